import { lastNonBlankLine } from '../config-text.js';

// Quoted strings (with \" escapes) hold braces that are not structure.
const QUOTED = /"(?:[^"\\\n]|\\.)*"/g;

/**
 * Whether a brace-structured configuration (PAN-OS, F5 tmsh) is whole: its braces balance,
 * never closing more than were opened, outside quoted strings, and its last line is `}`.
 * Internal.
 */
export function bracesCloseAtEnd(normalizedText: string): boolean {
  if (normalizedText.trim() === '') return false;
  let depth = 0;
  for (const character of normalizedText.replace(QUOTED, '')) {
    if (character === '{') depth++;
    else if (character === '}' && --depth < 0) return false;
  }
  return depth === 0 && lastNonBlankLine(normalizedText) === '}';
}
