import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DEVICE_ID_BYTES,
  decodeFileName,
  decodeSubjectToken,
  deviceIdProblem,
  encodeFileName,
  encodeSubjectToken,
} from '../../src/publish/index.js';

const UUID = '2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13';

/** Any string, biased towards the characters the encodings care about. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom('.', '*', '>', '%', ' ', '\t', '\n', '/', '\\', ':', '!', 'a', 'é', '😀'),
  }),
);

describe('deviceIdProblem', () => {
  it.each([
    'rtr-1',
    'core-sw1.example.net',
    UUID,
    'Zürich-1',
    'site a/rtr 1',
    ':!x',
    '*',
    '..',
    'x'.repeat(MAX_DEVICE_ID_BYTES),
    'é'.repeat(127), // 254 bytes
  ])('accepts %j', (id) => {
    expect(deviceIdProblem(id)).toBeUndefined();
  });

  it.each([
    [undefined, /must be a string/],
    [42, /must be a string/],
    ['', /must not be empty/],
    ['x'.repeat(5000), /is 5000 bytes of UTF-8; a device id has at most 255/],
    ['x'.repeat(256), /is 256 bytes/],
    ['é'.repeat(128), /is 256 bytes/],
    ['rtr\n1', /control character U\+000A at character 4/],
    ['rtr\t1', /control character U\+0009/],
    ['\u0000', /control character U\+0000/],
    ['a\u0085b', /control character U\+0085/],
    ['a\uD800b', /lone surrogate at character 2/],
  ])('rejects %j', (id, message) => {
    expect(deviceIdProblem(id)).toMatch(message);
  });

  it('never repeats the id in its message', () => {
    const id = `${'y'.repeat(300)}`;
    expect(deviceIdProblem(id)).not.toContain('yyyy');
  });
});

describe('encodeSubjectToken', () => {
  it.each([
    ['core-sw1.example.net', 'core-sw1%2Eexample%2Enet'],
    ['rtr-1', 'rtr-1'],
    [UUID, UUID],
    ['Zürich', 'Zürich'],
    ['a b', 'a%20b'],
    ['a*b>c', 'a%2Ab%3Ec'],
    ['100%', '100%25'],
    ['a\tb', 'a%09b'],
    ['site/rtr:1', 'site/rtr:1'],
  ])('encodes %j as %j', (id, token) => {
    expect(encodeSubjectToken(id)).toBe(token);
    expect(decodeSubjectToken(token)).toBe(id);
  });

  it('gives back every string exactly when decoded', () => {
    fc.assert(
      fc.property(anyString, (id) => {
        expect(decodeSubjectToken(encodeSubjectToken(id))).toBe(id);
      }),
    );
  });

  it('never leaves a byte NATS forbids in a token, nor a bare %', () => {
    fc.assert(
      fc.property(anyString, (id) => {
        const token = encodeSubjectToken(id);
        expect(token).not.toMatch(/[.*>\s\x00-\x1f\x7f]/);
        expect(token).not.toMatch(/%(?![0-9A-F]{2})/);
      }),
    );
  });

  it('maps different ids to different tokens', () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        fc.pre(a !== b);
        expect(encodeSubjectToken(a)).not.toBe(encodeSubjectToken(b));
      }),
    );
  });

  it('keeps the subject of the longest valid id far below the server control line limit', () => {
    // 255 bytes, each escaped: three times as long, still well inside nats-server's 4096.
    expect(encodeSubjectToken('.'.repeat(MAX_DEVICE_ID_BYTES))).toHaveLength(765);
  });
});

describe('decodeSubjectToken', () => {
  it.each(['%', '%2', '%zz', '%C3'])('rejects the malformed %j with a RangeError', (token) => {
    expect(() => decodeSubjectToken(token)).toThrow(RangeError);
  });

  it('decodes escaped multi-byte UTF-8 too', () => {
    expect(decodeSubjectToken('Z%C3%BCrich')).toBe('Zürich');
  });
});

describe('encodeFileName', () => {
  it.each([
    ['core-sw1.example.net', 'core-sw1.example.net'],
    ['rtr-1', 'rtr-1'],
    [UUID, UUID],
    ['site-a/rtr-1', 'site-a%2Frtr-1'],
    ['a\\b', 'a%5Cb'],
    ['50%', '50%25'],
    ['.hidden', '%2Ehidden'],
    ['.', '%2E'],
    ['..', '%2E.'],
    ['../etc', '%2E.%2Fetc'],
    [':!x', ':!x'],
    ['a\u0000b', 'a%00b'],
  ])('encodes %j as %j', (id, name) => {
    expect(encodeFileName(id)).toBe(name);
    expect(decodeFileName(name)).toBe(id);
  });

  it('gives back every string exactly when decoded', () => {
    fc.assert(
      fc.property(anyString, (id) => {
        expect(decodeFileName(encodeFileName(id))).toBe(id);
      }),
    );
  });

  it('never makes a path, a hidden file, "." or ".."', () => {
    fc.assert(
      fc.property(anyString, (id) => {
        const name = encodeFileName(id);
        expect(name).not.toMatch(/[/\\\x00-\x1f\x7f]/);
        expect(name.startsWith('.')).toBe(false);
        expect(name).not.toMatch(/%(?![0-9A-F]{2})/);
      }),
    );
  });
});

describe('the examples of docs/wire-format.md', () => {
  const doc = readFileSync(new URL('../../docs/wire-format.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('| device id')).split('\n\n')[0]!;
  const rows = table
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );

  it('lists examples', () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });

  it.each(rows)('encodes %j as the table says', (id, token, file) => {
    expect(encodeSubjectToken(id)).toBe(token);
    expect(`${encodeFileName(id)}.cfg`).toBe(file);
  });
});
