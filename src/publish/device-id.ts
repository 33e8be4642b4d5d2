/**
 * Device ids and the namespaces they meet (SPEC §7).
 *
 * A device id is any string of 1–255 UTF-8 bytes without control characters; host names and FQDNs
 * such as `core-sw1.example.net` are the common case. Where an id has to fit a namespace with rules
 * of its own — one token of a NATS subject, one file name — it is percent-encoded, reversibly and
 * the same way everywhere: each byte that the namespace forbids, and `%` itself, becomes `%XX`
 * (uppercase hex). Everything else is kept as it is, so UUIDs and plain names encode to themselves.
 * The wire JSON (`device_id`) always carries the id unchanged.
 */

/** The longest device id, in UTF-8 bytes (SPEC §7). */
export const MAX_DEVICE_ID_BYTES = 255;

const CONTROL_CHARACTER = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What is wrong with `id` as a device id (SPEC §7), as the end of a sentence that starts with the
 * field's name ("id must …"); `undefined` when it is a valid id. The message never repeats the id,
 * which may be thousands of characters long.
 *
 * @example
 * ```ts
 * deviceIdProblem('core-sw1.example.net'); // undefined
 * deviceIdProblem('x'.repeat(5000)); // 'is 5000 bytes of UTF-8; a device id has at most 255'
 * ```
 */
export function deviceIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return 'must be a string';
  if (id.length === 0) return 'must not be empty';
  // Checked before the size: a lone surrogate has no UTF-8 form to measure.
  const surrogate = LONE_SURROGATE.exec(id);
  if (surrogate) {
    return `is not valid Unicode (a lone surrogate at character ${surrogate.index + 1}); give the id as well-formed UTF-8`;
  }
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes > MAX_DEVICE_ID_BYTES) {
    return `is ${bytes} bytes of UTF-8; a device id has at most ${MAX_DEVICE_ID_BYTES} — use a shorter name (a host name, an FQDN or a UUID)`;
  }
  const control = CONTROL_CHARACTER.exec(id);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `contains the control character U+${code} at character ${control.index + 1}; a device id must not contain control characters (tabs and line breaks included)`;
  }
  return undefined;
}

// In a NATS subject token: the separator, the wildcards, white space (and every other ASCII
// control character, which the protocol line cannot carry), and the escape character itself.
const SUBJECT_TOKEN_ESCAPED = /[\x00-\x20.*>%\x7f]/g;
// In a file name: both path separators, the escape character, and ASCII control characters (NUL
// ends a path); a leading `.` is escaped separately, which also covers the names `.` and `..`.
const FILE_NAME_ESCAPED = /[\x00-\x1f/\\%\x7f]/g;

function percentByte(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * `id` as one NATS subject token: `.`, `*`, `>`, white space (any ASCII control character) and `%`
 * become `%XX`, the uppercase hex of the byte; everything else, non-ASCII letters included, is kept.
 * UUIDs and plain names are returned unchanged. Reversed by {@link decodeSubjectToken}.
 *
 * @example
 * ```ts
 * encodeSubjectToken('core-sw1.example.net'); // 'core-sw1%2Eexample%2Enet'
 * encodeSubjectToken('rtr-1'); // 'rtr-1'
 * encodeSubjectToken('2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13'); // unchanged
 * ```
 */
export function encodeSubjectToken(id: string): string {
  return id.replace(SUBJECT_TOKEN_ESCAPED, percentByte);
}

/**
 * The device id that {@link encodeSubjectToken} turned into `token`, e.g. the last token of a
 * snapshot's subject: every `%XX` becomes the byte it names (sequences of them are decoded as
 * UTF-8).
 *
 * @throws {RangeError} when a `%` is not followed by two hex digits or the bytes are not UTF-8.
 * @example
 * ```ts
 * decodeSubjectToken('core-sw1%2Eexample%2Enet'); // 'core-sw1.example.net'
 * ```
 */
export function decodeSubjectToken(token: string): string {
  return percentDecode(token, 'subject token');
}

/**
 * `id` as a file name (without an extension): `/`, `\`, `%`, ASCII control characters and a
 * leading `.` become `%XX`, so the name is never a path, a hidden file, `.` or `..`. Dots inside
 * the name are kept: `core-sw1.example.net` stays `core-sw1.example.net`. Reversed by
 * {@link decodeFileName}. File systems allow names of 255 bytes, so an id whose encoded form plus
 * its extension is longer cannot be a file.
 *
 * @example
 * ```ts
 * encodeFileName('core-sw1.example.net'); // 'core-sw1.example.net'
 * encodeFileName('site-a/rtr-1'); // 'site-a%2Frtr-1'
 * encodeFileName('..'); // '%2E.'
 * ```
 */
export function encodeFileName(id: string): string {
  const escaped = id.replace(FILE_NAME_ESCAPED, percentByte);
  return escaped.startsWith('.') ? `%2E${escaped.slice(1)}` : escaped;
}

/**
 * The device id that {@link encodeFileName} turned into `name` (the file name without its
 * extension).
 *
 * @throws {RangeError} when a `%` is not followed by two hex digits or the bytes are not UTF-8.
 * @example
 * ```ts
 * decodeFileName('site-a%2Frtr-1'); // 'site-a/rtr-1'
 * ```
 */
export function decodeFileName(name: string): string {
  return percentDecode(name, 'file name');
}

function percentDecode(encoded: string, what: string): string {
  try {
    // Exactly the decoding wanted: `%XX` sequences as UTF-8 bytes, everything else kept (`+` too).
    return decodeURIComponent(encoded);
  } catch (error) {
    throw new RangeError(
      `${JSON.stringify(encoded.slice(0, 80))} is not an encoded device id (${what}): every "%" must be followed by two hex digits that form UTF-8`,
      { cause: error },
    );
  }
}
