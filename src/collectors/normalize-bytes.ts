/**
 * The fast path of `normalizeConfig` for the usual device output: valid UTF-8 (most often plain
 * ASCII) without terminal escapes or backspaces, for a vendor whose rules are only line drops and
 * continuations. It works on the bytes in one pass and builds the result in one buffer, instead of
 * decoding to a string, splitting it into lines and joining them again — on a large export that
 * split/join and the garbage it leaves were most of the time.
 *
 * It must give exactly what the string path in `normalize.ts` gives; the tests compare the two on
 * random output. Internal: not part of the public surface.
 * @internal
 */
import { createHash } from 'node:crypto';

/** A line-drop test with, when it can be told from the patterns, the bytes a dropped line starts with. */
export interface LineDropTest {
  /** Whether the line (without its line break and trailing blanks) is dropped. */
  readonly drops: (line: string) => boolean;
  /**
   * `firstBytes[b] === 1` when a line starting with byte `b` may be dropped; absent when any line
   * may be. Lines starting with another byte skip the (comparatively costly) regex test.
   */
  readonly firstBytes?: Uint8Array;
  /**
   * A pattern with the `g` or `y` flag answers by its `lastIndex`, so its answers depend on every
   * line tested before: only the string path asks it about every line in order.
   */
  readonly stateful: boolean;
}

/** What the fast path needs of a vendor's rules. */
export interface ByteRules {
  readonly joinBackslashContinuations: boolean;
  readonly dropLines: LineDropTest | undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const BACKSLASH = 0x5c;

/**
 * Normalizes `bytes`, which the caller has checked to be valid UTF-8 (`ascii` when every byte is
 * below 0x80) with no ESC and no backspace, under rules without replacements or transform.
 * Returns `''` and no hash when nothing is left.
 */
export function normalizeUtf8Bytes(
  bytes: Uint8Array,
  ascii: boolean,
  rules: ByteRules,
): { text: string; sha256: string } | { text: ''; sha256?: undefined } {
  const length = bytes.length;
  // UTF-8 decoding drops one leading byte-order mark; plain ASCII cannot start with one.
  const first = !ascii && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Every line written is at most what was read for it, plus the one "\n" a last line without
  // a line break gets; a blank line kept between two lines was read as a "\n" of its own.
  const out = Buffer.allocUnsafe(length + 1);
  const input = new DataView(bytes.buffer, bytes.byteOffset, length);
  const output = new DataView(out.buffer, out.byteOffset, out.length);
  const lastWord = length - 4;
  const encoding = ascii ? 'latin1' : 'utf8';
  const join = rules.joinBackslashContinuations;
  const drop = rules.dropLines;
  const dropsBlankLine = drop !== undefined && drop.drops('');

  // The state lives in locals, not in variables shared with inner functions: this loop runs once
  // per byte, and V8 keeps only locals in registers.
  let o = 0; // next write position in `out`
  let mark = 0; // where the current logical line began, before the blank line reserved for it
  let lineStart = 0; // where the current logical line's own bytes begin
  let blankPending = false; // a blank line must precede the next kept line
  let continuedEnd = -1; // ≥ 0 while a continuation waits for the next line: its end, backslash included
  let at = first;
  for (;;) {
    let byte = 0;
    let end = 0;
    let blankAfter = false;
    if (continuedEnd !== -1) {
      // The line that continues the previous one loses its indentation (and any "\r").
      while (at < length) {
        byte = bytes[at]!;
        if (byte !== SPACE && byte !== TAB && byte !== CR) break;
        at++;
      }
      if (at === length || byte === LF) {
        // Only blanks after a continuation: the output was cut there. The continuation stays as
        // it is (backslash included) for the completeness check, and the blank line follows it.
        end = continuedEnd;
        continuedEnd = -1;
        blankAfter = true;
      } else {
        o = continuedEnd - 1; // without its last backslash
        continuedEnd = -1;
      }
    }
    if (!blankAfter) {
      // Copy the line. "\r\n" → "\n", then every other "\r" goes too: together, every "\r" goes.
      // Four bytes at a time while none of them is "\r" or "\n" (three times faster than one
      // byte at a time on a long export), then byte by byte up to the "\r" or "\n".
      copy: for (;;) {
        while (at <= lastWord) {
          const word = input.getInt32(at, true);
          const lf = word ^ 0x0a0a0a0a;
          const cr = word ^ 0x0d0d0d0d;
          if ((((lf - 0x01010101) & ~lf) | ((cr - 0x01010101) & ~cr)) & 0x80808080) break;
          output.setInt32(o, word, true);
          o += 4;
          at += 4;
        }
        for (;;) {
          if (at >= length) break copy;
          byte = bytes[at]!;
          if (byte === LF) break copy;
          at++;
          if (byte === CR) {
            // The usual "\r\n": the line ends here, without a detour through the word loop.
            if (bytes[at] === LF) break copy;
            continue copy;
          }
          out[o++] = byte;
        }
      }
      end = o;
      while (end > lineStart && (out[end - 1] === SPACE || out[end - 1] === TAB)) end--;
      if (join && end > lineStart && out[end - 1] === BACKSLASH && at < length) {
        let backslashes = end - 1;
        while (backslashes > lineStart && out[backslashes - 1] === BACKSLASH) backslashes--;
        if ((end - backslashes) % 2 === 1) {
          // Continued on the next line (a continuation on the last line is kept as it is).
          continuedEnd = end;
          o = end;
          at++;
          continue;
        }
      }
    }
    // The logical line [lineStart, end) ends: it is dropped, or kept with its "\n".
    if (end === lineStart) {
      o = mark;
      if (!dropsBlankLine) blankPending = mark > 0;
    } else if (drop !== undefined && isDropped(out, lineStart, end, encoding, drop)) {
      o = mark;
    } else {
      out[end] = LF;
      o = end + 1;
      blankPending = false;
    }
    mark = o;
    if (blankAfter && !dropsBlankLine) blankPending = mark > 0;
    // Reserve the blank line that must precede the next line, should it be kept.
    if (blankPending) out[o++] = LF;
    lineStart = o;
    if (at >= length) break;
    at++; // past the "\n"
  }
  // `mark` is the end of the last kept line: a blank line reserved after it has nothing to precede.
  if (mark === 0) return { text: '' };
  const result = out.subarray(0, mark);
  return {
    text: result.toString(encoding),
    sha256: createHash('sha256').update(result).digest('hex'),
  };
}

function isDropped(
  out: Buffer,
  start: number,
  end: number,
  encoding: 'latin1' | 'utf8',
  drop: LineDropTest,
): boolean {
  if (drop.firstBytes !== undefined && drop.firstBytes[out[start]!] !== 1) return false;
  return drop.drops(
    encoding === 'latin1' && latin1Slice !== undefined
      ? latin1Slice.call(out, start, end)
      : out.toString(encoding, start, end),
  );
}

// Node's Buffer decodes Latin-1 with this method behind `toString('latin1', start, end)`; called
// directly it skips the argument handling, which costs as much as the decoding of a short line.
const latin1Slice = (
  Buffer.prototype as unknown as {
    latin1Slice?: (this: Buffer, start: number, end: number) => string;
  }
).latin1Slice;

const REGEX_SYNTAX = new Set('\\^$.|?*+()[]{}');
const QUANTIFIERS = new Set('?*{');

/**
 * The bytes a line matching `pattern` can start with, when the pattern tells: it is anchored
 * with `^` and then begins with a literal character or a `(?:…|…)` group of such alternatives.
 * `undefined` when it cannot be told (the line must always be tested).
 */
export function possibleFirstBytes(pattern: RegExp): Set<number> | undefined {
  const source = pattern.source;
  // With `m`, `^` also matches after U+2028 and U+2029 inside a line; with `g` or `y` the test
  // depends on `lastIndex`, so every line must be tested in order.
  if (!source.startsWith('^') || /[gmy]/.test(pattern.flags)) return undefined;
  // In /^a|b/ only the first alternative is anchored: a line may match anywhere.
  const whole = alternativesFrom(source, 0);
  if (whole === undefined || whole.starts.length > 1) return undefined;
  return firstBytesOf(source, 1, pattern.flags.includes('i'));
}

/**
 * Scans from `from` to the `)` that closes the group `from` is in (or to the end of the
 * pattern): where each alternative at that level starts, and where the scan ended. `undefined`
 * when a class holds another `[` — a literal without the `v` flag, a nested class with it — which
 * is not worth telling apart.
 */
function alternativesFrom(
  source: string,
  from: number,
): { starts: number[]; close: number } | undefined {
  const starts = [from];
  let depth = 0;
  for (let index = from; index < source.length; index++) {
    const c = source[index];
    if (c === '\\') index++;
    else if (c === '[') {
      for (index++; source[index] !== ']'; index++) {
        if (index >= source.length || source[index] === '[') return undefined;
        if (source[index] === '\\') index++;
      }
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return { starts, close: index };
      depth--;
    } else if (c === '|' && depth === 0) starts.push(index + 1);
  }
  return { starts, close: source.length };
}

function firstBytesOf(source: string, at: number, ignoreCase: boolean): Set<number> | undefined {
  const character = source[at];
  if (character === undefined) return undefined;
  if (character === '(') {
    if (!source.startsWith('(?:', at)) return undefined;
    const group = alternativesFrom(source, at + 3);
    if (group === undefined || group.close === source.length) return undefined;
    if (QUANTIFIERS.has(source[group.close + 1] ?? '')) return undefined;
    const union = new Set<number>();
    for (const start of group.starts) {
      const bytes = firstBytesOf(source, start, ignoreCase);
      if (bytes === undefined) return undefined;
      for (const byte of bytes) union.add(byte);
    }
    return union;
  }
  let literal: string;
  let next: number;
  if (character === '\\') {
    const escaped = source[at + 1];
    // Only an escaped punctuation character is itself (`\.`, `\/`); `\d`, `\S`, `\x41` are not.
    if (escaped === undefined || /[0-9A-Za-z]/.test(escaped)) return undefined;
    literal = escaped;
    next = at + 2;
  } else {
    if (REGEX_SYNTAX.has(character)) return undefined;
    literal = character;
    next = at + 1;
  }
  if (QUANTIFIERS.has(source[next] ?? '')) return undefined;
  const code = literal.charCodeAt(0);
  if (code >= 0x80) return undefined;
  const bytes = new Set([code]);
  if (ignoreCase && /[A-Za-z]/.test(literal)) {
    bytes.add(literal.toLowerCase().charCodeAt(0));
    bytes.add(literal.toUpperCase().charCodeAt(0));
    // With the `u` or `v` flag, case folding maps a few non-ASCII letters to ASCII ones (the
    // Kelvin sign to `k`, the long s to `s`): any line starting with a non-ASCII byte may match.
    for (let byte = 0x80; byte <= 0xff; byte++) bytes.add(byte);
  }
  return bytes;
}
