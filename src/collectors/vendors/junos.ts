import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Junos secrets, in both the curly and the set form: `encrypted-password`, `secret`,
 * `authentication-key`, `pre-shared-key ascii-text`/`hexadecimal`, `simple-password`, `key` (RADIUS,
 * BGP, OSPF md5), SNMP communities and v3 keys, PEM private keys.
 */
const JUNOS_SECRETS: readonly SecretRule[] = [
  {
    line: /(?<![\w-])(?:encrypted-password|secret|authentication-key|ascii-text|hexadecimal|simple-password|hello-authentication-key|authentication-password|privacy-password|key) (?:"([^"]*)"|([^\s";{}]+))/g,
  },
  { line: /^\s*community (\S+) \{$/, within: { from: /^snmp \{$/, until: /^\}$/ } },
  { line: /^set snmp community (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Juniper Junos over an exec channel: `show configuration | display omit | no-more`.
 *
 * Complete when, in the usual curly-brace form, the braces balance (outside strings and comments)
 * and the last line closes a block with `}`; in `display set` form (every line `set …`,
 * `deactivate …`, …) when there is at least one statement. Normalization drops the
 * `## Last commit: …` and `## Last changed: …` comments.
 */
export const junos: ConfigCollector = defineCollector({
  vendor: 'junos',
  displayName: 'Juniper Junos',
  mode: 'exec',
  commands: ['show configuration | display omit | no-more'],
  errorPatterns: [
    /^[ \t]*error: syntax error/m,
    /^[ \t]*syntax error, expecting /m,
    /^[ \t]*unknown command\./m,
    /^[ \t]*error: permission denied/m,
  ],
  isComplete: isCompleteJunosConfiguration,
  normalization: {
    dropLines: [/^## Last commit: /, /^## Last changed: /],
  },
  secrets: JUNOS_SECRETS,
});

const SET_FORM_LINE = /^(?:set|deactivate|delete|activate|protect|insert) /;
// Quoted strings (with \" escapes), /* … */ annotations on one line, and # comments (a # that
// starts a line or follows white space, as in `…; ## SECRET-DATA`).
const NOT_STRUCTURE = /"(?:[^"\\\n]|\\.)*"|\/\*.*?\*\/|(?:^|[ \t])#.*$/gm;

function isCompleteJunosConfiguration(normalizedText: string): boolean {
  const lines = normalizedText.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return false;
  if (lines.every((line) => SET_FORM_LINE.test(line) || line.startsWith('#'))) {
    return lines.some((line) => SET_FORM_LINE.test(line));
  }
  let depth = 0;
  for (const character of normalizedText.replace(NOT_STRUCTURE, '')) {
    if (character === '{') depth++;
    else if (character === '}' && --depth < 0) return false;
  }
  return depth === 0 && lastNonBlankLine(normalizedText) === '}';
}
