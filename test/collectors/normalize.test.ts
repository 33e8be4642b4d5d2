import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CollectorRegistry,
  defineCollector,
  normalizeConfig,
  NORMALIZATION_VERSION,
  routeros,
} from '../../src/collectors/index.js';
import { BackupError, isBackupError } from '../../src/core/errors.js';

// Only the common rules of SPEC §4: no vendor rule gets in the way.
const plain = defineCollector({ vendor: 'plain', commands: ['show config'] });
const normalize = (raw: string | Uint8Array): string => normalizeConfig(plain, raw).text;

describe('normalizeConfig: the common rules of SPEC §4, one at a time', () => {
  it('publishes normalization version 2', () => {
    expect(NORMALIZATION_VERSION).toBe(2);
  });

  it('decodes UTF-8 bytes and records no encoding', () => {
    const result = normalizeConfig(plain, Buffer.from('hostname zürich-01\n', 'utf8'));
    expect(result.text).toBe('hostname zürich-01\n');
    expect(result).not.toHaveProperty('encoding');
  });

  it('decodes bytes that are not UTF-8 as Latin-1 and records encoding latin1', () => {
    const result = normalizeConfig(plain, Buffer.from('comment="B\xfcro"\n', 'latin1'));
    expect(result.text).toBe('comment="Büro"\n');
    expect(result.encoding).toBe('latin1');
  });

  it('decodes Latin-1 losslessly: every byte becomes the code point of the same value', () => {
    // 0x80–0x9F included: windows-1252, which TextDecoder calls latin1, would change them.
    const bytes = Buffer.from(Array.from({ length: 0x100 - 0x80 }, (_, index) => 0x80 + index));
    const result = normalizeConfig(plain, Buffer.concat([Buffer.from('x'), bytes]));
    expect(result.encoding).toBe('latin1');
    expect(result.text).toBe(`x${String.fromCharCode(...bytes)}\n`);
  });

  it('drops a UTF-8 byte-order mark at the start of the bytes', () => {
    expect(normalize(Buffer.from('\ufeffhostname a\n', 'utf8'))).toBe('hostname a\n');
  });

  it('takes a string as it is, without decoding it again', () => {
    const result = normalizeConfig(plain, 'hostname Ã¼\n');
    expect(result.text).toBe('hostname Ã¼\n');
    expect(result).not.toHaveProperty('encoding');
  });

  it('strips ANSI CSI sequences such as colours and erase-line', () => {
    expect(normalize('\x1b[1;32mhostname\x1b[0m a\x1b[K\n')).toBe('hostname a\n');
  });

  it('strips ANSI OSC sequences such as window titles', () => {
    expect(normalize('\x1b]0;user@router: ~\x07hostname a\n\x1b]2;title\x1b\\x\n')).toBe(
      'hostname a\nx\n',
    );
  });

  it('strips short escape sequences and lone ESC characters', () => {
    expect(normalize('\x1b=\x1b(Bhostname a\x1b7\x1b>\n\x1b')).toBe('hostname a\n');
  });

  it('replays backspaces, so an erased pager prompt and overstrikes leave only what a terminal shows', () => {
    expect(
      normalize(' --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b shutdown\n'),
    ).toBe(' shutdown\n');
    expect(normalize('h\bho\bos\bst\bt\n')).toBe('host\n');
  });

  it('never lets a backspace erase across a line break', () => {
    expect(normalize('a\n\bb\n')).toBe('a\nb\n');
  });

  it('turns CRLF line endings into LF', () => {
    expect(normalize('a\r\nb\r\n')).toBe('a\nb\n');
  });

  it('drops carriage returns that do not end a line', () => {
    expect(normalize('ab\rc\r\r\nd\n')).toBe('abc\nd\n');
  });

  it('trims trailing spaces and tabs', () => {
    expect(normalize('a  \t \nb\t\n')).toBe('a\nb\n');
  });

  it('keeps indentation', () => {
    expect(normalize('interface x\n  \tdescription y\n')).toBe('interface x\n  \tdescription y\n');
  });

  it('collapses a run of blank lines to one', () => {
    expect(normalize('a\n\n\n  \n\t\nb\n')).toBe('a\n\nb\n');
  });

  it('drops blank lines at the start and at the end', () => {
    expect(normalize('\n \n\na\nb\n\n\n')).toBe('a\nb\n');
  });

  it('ends with exactly one newline, whether the output had none or several', () => {
    expect(normalize('a')).toBe('a\n');
    expect(normalize('a\n\n\n')).toBe('a\n');
  });

  it('throws invalid-output when nothing is left', () => {
    expect(() => normalize(' \r\n\x1b[K\n\t\n')).toThrow(BackupError);
    try {
      normalize('\n\n');
    } catch (error) {
      expect(isBackupError(error, 'invalid-output')).toBe(true);
    }
  });

  it('throws invalid-output without quoting the output in the message', () => {
    const secret = '# 2026-03-07 12:00:00 by RouterOS 7.16.2 password=hunter2';
    let caught: unknown;
    try {
      normalizeConfig(routeros, `${secret}\r\n`);
    } catch (error) {
      caught = error;
    }
    expect(isBackupError(caught, 'invalid-output')).toBe(true);
    expect((caught as BackupError).message).not.toContain('hunter2');
    expect(JSON.stringify(caught)).not.toContain('hunter2');
  });

  it('throws invalid-output for output with a NUL byte, as a string and as bytes (SPEC §7)', () => {
    const export_ = `/ip dns\r\nset servers=192.0.2.53 comment="${'\0'.repeat(3)}"\r\n`;
    for (const raw of [export_, Buffer.from(export_, 'utf8'), Buffer.from(export_, 'latin1')]) {
      let caught: unknown;
      try {
        normalizeConfig(routeros, raw);
      } catch (error) {
        caught = error;
      }
      expect(isBackupError(caught, 'invalid-output')).toBe(true);
      expect((caught as BackupError).message).toMatch(/NUL/);
      expect((caught as BackupError).message).not.toContain('192.0.2.53');
    }
  });

  it('throws invalid-output for a NUL byte however the rest would be decoded', () => {
    // Latin-1 (not UTF-8), with terminal escapes and backspaces: the string path's input.
    const raw = Buffer.concat([
      Buffer.from('a\x1b[Kb\x08\xff\n'),
      Buffer.from([0]),
      Buffer.from('\n'),
    ]);
    expect(() => normalize(raw)).toThrow(/NUL/);
    expect(() => normalize('hostname r1\n\0\n')).toThrow(/NUL/);
  });

  it('hashes the UTF-8 bytes of exactly the returned text, as lowercase hex SHA-256', () => {
    const result = normalizeConfig(plain, Buffer.from('caf\xe9\r\n', 'latin1'));
    const expected = createHash('sha256').update(Buffer.from('café\n', 'utf8')).digest('hex');
    expect(result.sha256).toBe(expected);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies the vendor rules before trimming, so a dropped line leaves no blank run behind', () => {
    const collector = defineCollector({
      vendor: 'dropper',
      commands: ['show'],
      normalization: { dropLines: [/^! generated /] },
    });
    expect(normalizeConfig(collector, 'a\n\n! generated now\n\nb\n').text).toBe('a\n\nb\n');
  });

  it('tests drop patterns against the line without its trailing blanks', () => {
    const collector = defineCollector({
      vendor: 'dropper',
      commands: ['show'],
      normalization: { dropLines: [/^volatile$/] },
    });
    expect(normalizeConfig(collector, 'a\nvolatile \t\r\nb\n').text).toBe('a\nb\n');
  });

  it('applies replacements after dropping lines, and then the transform', () => {
    const collector = defineCollector({
      vendor: 'ordered',
      commands: ['show'],
      normalization: {
        dropLines: [/^drop /],
        replaceInLines: [[/secret=\S+/g, 'secret=<masked>']],
        transform: (lines) => lines.map((line) => line.toUpperCase()),
      },
    });
    expect(normalizeConfig(collector, 'drop secret=1\nkeep secret=2 secret=3\n').text).toBe(
      'KEEP SECRET=<MASKED> SECRET=<MASKED>\n',
    );
  });

  it('cleans up what a transform leaves: trailing blanks and blank runs', () => {
    const collector = defineCollector({
      vendor: 'messy',
      commands: ['show'],
      normalization: { transform: (lines) => ['', ...lines.map((line) => `${line}  `), '', ''] },
    });
    expect(normalizeConfig(collector, 'a\nb\n').text).toBe('a\nb\n');
  });

  it('looks a vendor id up among the built-in collectors by default', () => {
    expect(normalizeConfig('routeros', '/ip dns\r\n').text).toBe('/ip dns\n');
  });

  it('looks a vendor id up in the registry it is given', () => {
    const registry = new CollectorRegistry([plain]);
    expect(normalizeConfig('plain', 'a', registry).text).toBe('a\n');
    expect(() => normalizeConfig('routeros', 'a', registry)).toThrow(/no collector for vendor/);
  });

  it('throws a TypeError naming an unknown vendor id', () => {
    expect(() => normalizeConfig('acme-os', 'a')).toThrow(TypeError);
    expect(() => normalizeConfig('acme-os', 'a')).toThrow(/"acme-os"/);
  });
});

describe('normalizeConfig: RouterOS line continuations', () => {
  const joined = (raw: string): string => normalizeConfig(routeros, `/x\n${raw}`).text.slice(3);

  it('joins a line ending in one backslash with the next, without the next line’s indentation', () => {
    expect(joined('set a l2mtu=1598 \\\n    speed=1Gbps\n')).toBe('set a l2mtu=1598 speed=1Gbps\n');
  });

  it('keeps the text before the backslash as it is', () => {
    expect(joined('set a b=1\\\n  c=2\n')).toBe('set a b=1c=2\n');
  });

  it('joins a chain of continuations into one line', () => {
    expect(joined('add a=1 \\\n    b=2 \\\n\tc=3\n')).toBe('add a=1 b=2 c=3\n');
  });

  it('does not join a line ending in two backslashes (an escaped backslash)', () => {
    expect(joined('add name=bob password=b\\\\\nadd name=carol\n')).toBe(
      'add name=bob password=b\\\\\nadd name=carol\n',
    );
  });

  it('joins a line ending in three backslashes, keeping the escaped pair', () => {
    expect(joined('add x="a\\\\\\\n    b"\n')).toBe('add x="a\\\\b"\n');
  });

  it('joins across CRLF line endings and trailing blanks after the backslash', () => {
    expect(joined('add a=1 \\  \r\n    b=2\r\n')).toBe('add a=1 b=2\n');
  });

  it('keeps a backslash on the last line, so the completeness check can see the cut', () => {
    const text = normalizeConfig(routeros, '/ip address\r\nadd address=10.0.0.1/24 \\\r\n').text;
    expect(text).toBe('/ip address\nadd address=10.0.0.1/24 \\\n');
    expect(routeros.isComplete(text)).toBe(false);
  });

  it('keeps a backslash that is followed by a blank line instead of swallowing the blank line', () => {
    expect(joined('add a=1 \\\n\nadd b=2\n')).toBe('add a=1 \\\n\nadd b=2\n');
  });

  it('joins only when the vendor asks for it', () => {
    expect(normalize('a \\\n  b\n')).toBe('a \\\n  b\n');
  });
});
