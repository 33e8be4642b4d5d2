/**
 * Small readers of normalized configuration text, shared by the vendors' completeness checks.
 * Internal: not part of the public surface.
 * @internal
 */

/** The last line that holds more than white space, without surrounding white space; `''` if none. */
export function lastNonBlankLine(text: string): string {
  const trimmed = text.trimEnd();
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1).trim();
}

/** The first line that holds more than white space, without surrounding white space; `''` if none. */
export function firstNonBlankLine(text: string): string {
  const trimmed = text.trimStart();
  const end = trimmed.indexOf('\n');
  return (end === -1 ? trimmed : trimmed.slice(0, end)).trim();
}

/** A completeness check: the last non-blank line is exactly `marker` (e.g. Cisco's `end`). */
export function endsWithLine(marker: string): (normalizedText: string) => boolean {
  return (normalizedText) => lastNonBlankLine(normalizedText) === marker;
}

/** Whether `line` ends in an odd number of `\\` — a RouterOS-style continuation. */
export function endsInOddBackslashes(line: string): boolean {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 0x5c) end--;
  return (line.length - end) % 2 === 1;
}
