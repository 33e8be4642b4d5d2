import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtinCollectors,
  normalizeConfig,
  type ConfigCollector,
} from '../../src/collectors/index.js';
import { isBackupError } from '../../src/core/errors.js';

// Pieces that exercise every rule: continuations and escaped backslashes, blanks, every kind of
// line ending, terminal escapes, backspaces, non-ASCII, and the vendors' volatile lines.
const fragments = [
  'a',
  'set x=1',
  '/ip address',
  'end',
  ': end',
  'return',
  '}',
  '{',
  '"',
  "'",
  '#',
  '!',
  ' ',
  '  ',
  '\t',
  '\\',
  '\\\\',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '\x1b',
  '\x1b[31m',
  '\x1b]0;t\x07',
  '\x1b[',
  '\b',
  'é',
  '\u00a0',
  '\ufeff',
  '😀',
  '# 2026-03-07 12:00:00 by RouterOS 7.16.2',
  '# ether1 not ready',
  '# inactive time',
  '# channel: 5180',
  'Building configuration...',
  'Current configuration : 12 bytes',
  'ntp clock-period 17179738',
  '!Time: Tue Mar 10 2026',
  ': Saved',
  ': Written by x at 1',
  '## Last commit: 2026',
  '! Time: x',
  '!Last configuration was saved at 2026',
  'set password ENC abc==',
  '    set psk ENC',
  '#conf_file_ver=1',
  'Tue Mar 10 14:20:01.337 UTC',
  // Secrets, for masking (SPEC §9).
  'enable secret 9 $9$x',
  'username u secret 5 $1$y',
  ' password 7 0822',
  ' key 7 0822',
  'tacacs server T',
  'snmp-server community pub RO',
  'password=abc',
  'secret="a b"',
  '/snmp community',
  'add name=pub',
  'encrypted-password "$6$x";',
  "set system login user v authentication plaintext-password 'p'",
  ' local-user a password cipher %^%#x',
  'config system snmp community',
  '        set name "pub"',
  '-----BEGIN PRIVATE KEY-----',
  '-----END PRIVATE KEY-----',
  '<secret hidden>',
  '=',
  '"',
];

const deviceText = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength: 40 })
  .map((pieces) => pieces.join(''));

/** The normalized text, or undefined when the input normalizes to nothing (invalid-output). */
function normalizedOrEmpty(
  collector: ConfigCollector,
  raw: string | Uint8Array,
): string | undefined {
  try {
    return normalizeConfig(collector, raw).text;
  } catch (error) {
    if (isBackupError(error, 'invalid-output')) return undefined;
    throw error;
  }
}

describe.each(builtinCollectors.map((collector) => [collector.vendor, collector] as const))(
  'normalization of %s',
  (_vendor, collector) => {
    it('is idempotent on text', () => {
      fc.assert(
        fc.property(deviceText, (raw) => {
          const once = normalizedOrEmpty(collector, raw);
          if (once === undefined) return;
          expect(normalizeConfig(collector, once).text).toBe(once);
        }),
        { numRuns: 500 },
      );
    });

    it('is idempotent with maskSecrets, and masks what it masked before the same way', () => {
      const masking = { maskSecrets: true };
      fc.assert(
        fc.property(deviceText, (raw) => {
          if (normalizedOrEmpty(collector, raw) === undefined) return;
          const once = normalizeConfig(collector, raw, undefined, masking).text;
          expect(normalizeConfig(collector, once, undefined, masking).text).toBe(once);
          expect(once).not.toMatch(/[ \t]\n/);
        }),
        { numRuns: 500 },
      );
    });

    it('is idempotent on arbitrary bytes, UTF-8 or not', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          const once = normalizedOrEmpty(collector, bytes);
          if (once === undefined) return;
          expect(normalizeConfig(collector, once).text).toBe(once);
        }),
        { numRuns: 300 },
      );
    });

    it('always yields text without control residue, trailing blanks or blank runs', () => {
      fc.assert(
        fc.property(deviceText, (raw) => {
          const text = normalizedOrEmpty(collector, raw);
          if (text === undefined) return;
          expect(text).not.toMatch(/[\r\x1b\b]/);
          expect(text).not.toMatch(/[ \t]\n/);
          expect(text).not.toMatch(/\n\n\n/);
          expect(text.startsWith('\n')).toBe(false);
          expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  },
);
