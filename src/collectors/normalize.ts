import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { BackupError } from '../core/errors.js';
import { applyBackspaces, stripTerminalEscapes } from '../core/terminal-text.js';
import { endsInOddBackslashes } from './config-text.js';
import { type LineDropTest, normalizeUtf8Bytes, possibleFirstBytes } from './normalize-bytes.js';
import { builtinCollectors, type CollectorRegistry } from './registry.js';
import { maskSecretsInText } from './secrets.js';
import type { ConfigCollector, NormalizationRules } from './types.js';

/**
 * The version of the normalization rules (SPEC §4), published as `normalization_version`. Version 1
 * was the original poller's, which failed to strip real RouterOS headers.
 */
export const NORMALIZATION_VERSION = 2;

/** A normalized configuration and its hash, ready to publish. */
export interface NormalizedConfig {
  /** The configuration text: `\n` line endings, no trailing blanks, exactly one final `\n`. */
  readonly text: string;
  /** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
  readonly sha256: string;
  /** `latin1` when the device's bytes were not valid UTF-8 and were decoded as Latin-1. */
  readonly encoding?: 'latin1';
  /** True when the collector's secret rules masked the text (`maskSecrets`, SPEC §9). */
  readonly secretsMasked?: true;
}

/** Options of {@link normalizeConfig}. */
export interface NormalizeOptions {
  /**
   * Replace the secrets the collector declares (its `secrets` rules) with `<secret hidden>`, after
   * every other rule and before hashing, so a re-salted hash is no change (SPEC §9). A collector
   * without rules is left as it is, and the result does not say `secretsMasked`. Default false.
   */
  readonly maskSecrets?: boolean;
}

/**
 * Normalizes a device's output and hashes it, following SPEC §4 in order: decode (UTF-8, else
 * Latin-1 byte for byte, recorded as `encoding: 'latin1'`; a string is taken as is); strip ANSI
 * escape sequences and apply backspaces; `\r\n` → `\n`, then drop any other `\r`; the vendor's
 * rules (join continuations, drop volatile lines, replacements, transform); trim trailing spaces
 * and tabs; collapse runs of blank lines to one; drop leading and trailing blank lines; end with
 * exactly one `\n`. Bytes lose a leading UTF-8 byte-order mark, as UTF-8 decoding does.
 *
 * With `options.maskSecrets`, the collector's `secrets` rules then replace every secret they find
 * with `<secret hidden>` and the hash is taken over the masked text (SPEC §9); the result says
 * `secretsMasked: true`.
 *
 * Idempotent: `normalizeConfig(v, normalizeConfig(v, raw).text).text` equals
 * `normalizeConfig(v, raw).text`. It does not judge completeness; that is the collector's
 * `isComplete`.
 *
 * `vendor` is a collector or a vendor id, looked up in `registry` (default: the built-in
 * collectors); an unknown id throws a `TypeError`. Throws `BackupError` of kind `invalid-output`
 * when the output holds a NUL byte (SPEC §7) or nothing is left, with a message that never quotes
 * the output.
 *
 * @example
 * ```ts
 * const { text, sha256, encoding } = normalizeConfig('cisco-ios', outputBytes);
 * // text is the snapshot's config_text, sha256 its sha256_hash, encoding its encoding.
 * ```
 */
export function normalizeConfig(
  vendor: string | ConfigCollector,
  raw: string | Uint8Array,
  registry?: Pick<CollectorRegistry, 'get'>,
  options: NormalizeOptions = {},
): NormalizedConfig {
  const collector = typeof vendor === 'string' ? findCollector(vendor, registry) : vendor;
  rejectNulBytes(collector, raw);
  // A collector that declares no secret rules masks nothing, and its result must not claim it did.
  const mask = options.maskSecrets === true && (collector.secrets?.length ?? 0) > 0;
  const fromBytes =
    typeof raw === 'string' ? undefined : normalizeBytesFast(raw, collector.normalization);
  if (fromBytes?.sha256 !== undefined) {
    if (!mask) return { text: fromBytes.text, sha256: fromBytes.sha256 };
    const text = maskSecretsInText(fromBytes.text, collector.secrets ?? []);
    return { text, sha256: sha256Hex(text), secretsMasked: true };
  }
  // Unless the byte path ran and left nothing, the string path runs.
  const decoded = fromBytes ? undefined : decodeDeviceOutput(raw);
  const normalized = decoded ? normalizeText(decoded.text, collector.normalization) : '';
  const text = mask ? maskSecretsInText(normalized, collector.secrets ?? []) : normalized;
  if (text === '') {
    throw new BackupError({
      kind: 'invalid-output',
      message: `The ${collector.displayName} output is empty after normalization (only blank lines, volatile lines or terminal control sequences); nothing to publish — check that the collector's command prints the configuration`,
    });
  }
  const sha256 = sha256Hex(text);
  return {
    text,
    sha256,
    ...(decoded?.encoding === undefined ? {} : { encoding: decoded.encoding }),
    ...(mask ? { secretsMasked: true as const } : {}),
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * SPEC §7: output with NUL bytes is `invalid-output`. No configuration holds one, and neither
 * decoding nor normalization would remove it: what a device sends with NULs is binary data (or a
 * configuration with binary data inside), never something to publish. Checked once, before the
 * byte path and the string path part, so that both give the same answer.
 */
function rejectNulBytes(collector: ConfigCollector, raw: string | Uint8Array): void {
  // Buffer's indexOf is a memchr (a 16 MiB export costs microseconds); Uint8Array's is a loop.
  const found =
    typeof raw === 'string'
      ? raw.includes('\0')
      : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).includes(0);
  if (!found) return;
  throw new BackupError({
    kind: 'invalid-output',
    message: `The ${collector.displayName} output contains NUL bytes, which no configuration holds; nothing to publish — the device sent binary data`,
  });
}

function findCollector(
  vendor: string,
  registry: Pick<CollectorRegistry, 'get'> | undefined,
): ConfigCollector {
  const collector = registry
    ? registry.get(vendor)
    : builtinCollectors.find((candidate) => candidate.vendor === vendor);
  if (!collector) throw new TypeError(`normalizeConfig: no collector for vendor "${vendor}"`);
  return collector;
}

/**
 * The byte path (normalize-bytes.ts) for output that needs none of what only the string path
 * does: decoding as Latin-1, terminal escapes, backspaces, replacements, a transform. `undefined`
 * when the string path must run.
 */
function normalizeBytesFast(
  raw: Uint8Array,
  rules: NormalizationRules,
): ReturnType<typeof normalizeUtf8Bytes> | undefined {
  if (rules.transform || (rules.replaceInLines?.length ?? 0) > 0) return undefined;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (bytes.includes(0x1b) || bytes.includes(0x08)) return undefined;
  const dropLines = lineDropper(rules.dropLines ?? []);
  if (dropLines?.stateful) return undefined;
  const ascii = isAscii(bytes);
  if (!ascii && !isUtf8(bytes)) return undefined;
  return normalizeUtf8Bytes(bytes, ascii, {
    joinBackslashContinuations: rules.joinBackslashContinuations === true,
    dropLines,
  });
}

// One decoder for every call: with `fatal` and no `stream` option it keeps no state between calls.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function decodeDeviceOutput(raw: string | Uint8Array): { text: string; encoding?: 'latin1' } {
  if (typeof raw === 'string') return { text: raw };
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // Pure ASCII (the usual configuration) reads the same in every one of these encodings, and
  // Latin-1 is the cheapest decoder: a quarter of the time of UTF-8 on a 1 MB export.
  if (isAscii(bytes)) return { text: bytes.toString('latin1') };
  try {
    // Like every UTF-8 decoder of the Encoding standard, this drops one leading byte-order mark.
    return { text: utf8Decoder.decode(raw) };
  } catch {
    // Node's `latin1` maps every byte to the code point of the same value. TextDecoder('latin1')
    // would not: WHATWG makes it windows-1252, which changes 0x80–0x9F.
    return { text: bytes.toString('latin1'), encoding: 'latin1' };
  }
}

/** Steps 2 to 8 of SPEC §4: everything after decoding. */
function normalizeText(text: string, rules: NormalizationRules): string {
  const tail = new NormalizedLines();
  if (rules.transform) {
    const lines: string[] = [];
    applyLineRules(text, rules, (line) => lines.push(line));
    for (const line of rules.transform(lines)) tail.add(trimTrailingBlanks(line));
  } else {
    applyLineRules(text, rules, (line) => tail.add(line));
  }
  return tail.text();
}

/**
 * Steps 2 to 4 of SPEC §4 in one pass over the lines: terminal escapes, carriage returns and
 * backspaces, then the vendor's rules. Splitting on `\n` and dropping every `\r` of a line is the
 * same as `\r\n` → `\n` followed by dropping the remaining `\r`.
 */
function applyLineRules(
  text: string,
  rules: NormalizationRules,
  emit: (line: string) => void,
): void {
  const clean = stripTerminalEscapes(text);
  // Most lines of a CRLF output end in one `\r`; only a `\r` elsewhere needs a search per line.
  const hasCarriageReturn = clean.includes('\r');
  const hasLoneCarriageReturn = hasCarriageReturn && containsLoneCarriageReturn(clean);
  const hasBackspace = clean.includes('\b');
  const joinContinuations = rules.joinBackslashContinuations === true;
  const dropLine = lineDropper(rules.dropLines ?? [])?.drops;
  const replaceInLines = rules.replaceInLines ?? [];
  const keep = (line: string): void => {
    if (dropLine?.(line)) return;
    if (replaceInLines.length === 0) return emit(line);
    let replaced = line;
    for (const [pattern, replacement] of replaceInLines) {
      replaced = replaced.replace(pattern, replacement);
    }
    emit(trimTrailingBlanks(replaced));
  };
  // RouterOS continuations: a line ending in an odd number of `\` loses that last `\` and is
  // joined with the next line, whose leading blanks are removed; an even number is an escaped
  // backslash. A continuation followed by a blank line or by nothing stays as it is: the output
  // was cut there, and the collector's completeness check must still see it.
  let continued: string | undefined;
  for (let line of clean.split('\n')) {
    if (hasCarriageReturn && line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
    if (hasLoneCarriageReturn && line.includes('\r')) line = line.replaceAll('\r', '');
    if (hasBackspace && line.includes('\b')) line = applyBackspaces(line);
    line = trimTrailingBlanks(line);
    if (joinContinuations) {
      if (continued !== undefined) {
        if (line === '') keep(continued);
        else line = continued.slice(0, -1) + trimLeadingBlanks(line);
        continued = undefined;
      }
      if (endsInOddBackslashes(line)) {
        continued = line;
        continue;
      }
    }
    keep(line);
  }
  if (continued !== undefined) keep(continued);
}

function containsLoneCarriageReturn(text: string): boolean {
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== 0x0a) return true;
  }
  return false;
}

const droppers = new WeakMap<readonly RegExp[], LineDropTest>();

/**
 * A test for "drop this line". Patterns with the same flags and no back-references are combined
 * into one alternation: one regex run per line instead of one per pattern, which is most of the
 * time spent on a large RouterOS export. When every pattern is anchored on a literal first
 * character (`/^# /`), the test also says which bytes a dropped line can start with.
 */
function lineDropper(patterns: readonly RegExp[]): LineDropTest | undefined {
  if (patterns.length === 0) return undefined;
  let dropper = droppers.get(patterns);
  if (!dropper) {
    const sourcesByFlags = new Map<string, string[]>();
    const alone: RegExp[] = [];
    for (const pattern of patterns) {
      if (/\\[1-9]|\\k<|\(\?</.test(pattern.source)) {
        alone.push(pattern);
        continue;
      }
      const flags = pattern.flags.replace(/[gy]/g, '');
      const sources = sourcesByFlags.get(flags) ?? [];
      sources.push(`(?:${pattern.source})`);
      sourcesByFlags.set(flags, sources);
    }
    const combined = [...sourcesByFlags].map(
      ([flags, sources]) => new RegExp(sources.join('|'), flags),
    );
    const tests = [...combined, ...alone];
    const drops = (line: string): boolean => {
      for (const test of tests) if (test.test(line)) return true;
      return false;
    };
    const firstBytes = new Uint8Array(256);
    const known = patterns.every((pattern) => {
      const bytes = possibleFirstBytes(pattern);
      for (const byte of bytes ?? []) firstBytes[byte] = 1;
      return bytes !== undefined;
    });
    const stateful = alone.some((pattern) => pattern.global || pattern.sticky);
    dropper = known ? { drops, firstBytes, stateful } : { drops, stateful };
    droppers.set(patterns, dropper);
  }
  return dropper;
}

/**
 * The common tail of SPEC §4, fed one line at a time (already without trailing spaces and tabs):
 * runs of blank lines collapsed to one, no blank line at either end, exactly one final `\n`.
 */
class NormalizedLines {
  readonly #lines: string[] = [];
  #blankPending = false;

  /** Adds a line that has no trailing spaces or tabs. */
  add(line: string): void {
    if (line === '') {
      this.#blankPending = this.#lines.length > 0;
      return;
    }
    if (this.#blankPending) this.#lines.push('');
    this.#blankPending = false;
    this.#lines.push(line);
  }

  /** The text, or `''` when no line holds anything. */
  text(): string {
    if (this.#lines.length === 0) return '';
    this.#lines.push('');
    return this.#lines.join('\n');
  }
}

// Loops rather than /[ \t]+$/: that regex is quadratic on a long run of blanks inside a line.
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  for (let code = line.charCodeAt(end - 1); code === 0x20 || code === 0x09;) {
    end--;
    code = line.charCodeAt(end - 1);
  }
  return end === line.length ? line : line.slice(0, end);
}

function trimLeadingBlanks(line: string): string {
  let start = 0;
  for (let code = line.charCodeAt(0); code === 0x20 || code === 0x09;) {
    start++;
    code = line.charCodeAt(start);
  }
  return start === 0 ? line : line.slice(start);
}
