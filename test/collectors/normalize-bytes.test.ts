import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtinCollectors,
  defineCollector,
  normalizeConfig,
  type ConfigCollector,
} from '../../src/collectors/index.js';
import { possibleFirstBytes } from '../../src/collectors/normalize-bytes.js';

// normalizeConfig takes UTF-8 bytes without escapes or backspaces down a byte path of its own; a
// string is always normalized by the line path. Both must give the same text and hash.
const fragments = [
  'a',
  'set x=1',
  '/ip address',
  'é',
  '😀',
  '\u2028',
  '\u212a',
  '#',
  '!',
  ':',
  ' ',
  '  ',
  '\t',
  '\\',
  '\\\\',
  '\n',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '# 2026-03-07 12:00:00 by RouterOS 7.16.2',
  '# JAN/02/1970 00:22:56 by routeros 6.48.6',
  '# ether1 not ready',
  '# inactive time',
  '# channel: 5180',
  'Building configuration...',
  'Current configuration : 12 bytes',
  'ntp clock-period 17179738',
  'Tue Mar 10 14:20:01.337 UTC',
  '!Time: Tue Mar 10 2026',
  ': Saved',
  '## Last commit: 2026',
  '#conf_file_ver=1',
  '\0',
];

const output = fc
  .array(fc.constantFrom(...fragments), { maxLength: 40 })
  .map((pieces) => pieces.join(''));

// Rules the built-in vendors do not have: a drop test that matches blank lines, case-insensitive
// and multiline patterns, patterns whose first character cannot be told.
const custom: ConfigCollector[] = [
  collectorWith('blank-dropper', [/^\s*$/, /^# /], true),
  collectorWith('ignore-case', [/^k/i, /^channel/iu], false),
  collectorWith('multiline', [/^# inactive/m], true),
  collectorWith('unanchored', [/not ready$/, /(?:a|b)+ /], true),
  collectorWith('half-anchored', [/^# inactive|channel: /, /^!|Saved$/], true),
  collectorWith('no-rules', [], false),
];

function collectorWith(vendor: string, dropLines: RegExp[], join: boolean): ConfigCollector {
  return defineCollector({
    vendor,
    mode: 'exec',
    commands: ['show'],
    normalization: { dropLines, joinBackslashContinuations: join },
  });
}

function normalized(collector: ConfigCollector, raw: string | Uint8Array): unknown {
  try {
    return normalizeConfig(collector, raw);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('normalizeConfig on bytes: the byte path gives what the line path gives', () => {
  for (const collector of [...builtinCollectors, ...custom]) {
    it(`for ${collector.vendor}`, () => {
      fc.assert(
        fc.property(output, (text) => {
          const bytes = Buffer.from(text, 'utf8');
          // The line path drops a leading byte-order mark on decoding bytes only.
          const asString = text.startsWith('\ufeff') ? text.slice(1) : text;
          expect(normalized(collector, bytes)).toEqual(normalized(collector, asString));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('asks a drop pattern with the g flag about every line in order, as the line path does', () => {
    // With `g`, test() starts at lastIndex: the answers depend on the lines asked before.
    // defineCollector refuses such a pattern; a collector object built by hand can still have one.
    const pattern = /^(a)\1/g;
    const collector: ConfigCollector = {
      ...builtinCollectors[0]!,
      vendor: 'stateful',
      normalization: { dropLines: [pattern] },
    };
    const output = 'aa\n\naa\nb\n';
    pattern.lastIndex = 0;
    const fromString = normalizeConfig(collector, output);
    pattern.lastIndex = 0;
    expect(normalizeConfig(collector, Buffer.from(output))).toEqual(fromString);
  });

  it('drops a leading byte-order mark, as UTF-8 decoding does', () => {
    const bytes = Buffer.from('\ufeff/ip dns\r\nset a=1\r\n', 'utf8');
    expect(normalizeConfig('routeros', bytes).text).toBe('/ip dns\nset a=1\n');
  });

  it('hashes the UTF-8 bytes of the text it returns', () => {
    const bytes = Buffer.from('/ip dns\r\nset name="café"\r\n', 'utf8');
    const { text, sha256 } = normalizeConfig('routeros', bytes);
    expect(text).toBe('/ip dns\nset name="café"\n');
    expect(sha256).toBe(normalizeConfig('routeros', text).sha256);
  });

  it('reads bytes from a view into a larger buffer without looking past it', () => {
    const whole = Buffer.from('#### /ip dns\nset a=1\n####', 'utf8');
    expect(normalizeConfig('routeros', whole.subarray(5, 21)).text).toBe('/ip dns\nset a=1\n');
  });
});

describe('possibleFirstBytes', () => {
  const chars = (bytes: Set<number> | undefined): string[] | undefined =>
    bytes && [...bytes].map((byte) => String.fromCharCode(byte)).sort();

  it('reads a literal first character after ^', () => {
    expect(chars(possibleFirstBytes(/^# inactive time$/))).toEqual(['#']);
    expect(chars(possibleFirstBytes(/^\.\.\. end/))).toEqual(['.']);
  });

  it('reads every alternative of a leading (?:…) group', () => {
    expect(chars(possibleFirstBytes(/^(?:Mon|Tue|[S]at) \d/))).toBeUndefined();
    expect(chars(possibleFirstBytes(/^(?:Mon|Tue|(?:Wed|Thu)) \d/))).toEqual(['M', 'T', 'W']);
  });

  it('cannot tell for an unanchored, optional, class or escape-class start', () => {
    expect(possibleFirstBytes(/# inactive/)).toBeUndefined();
    expect(possibleFirstBytes(/^#? x/)).toBeUndefined();
    expect(possibleFirstBytes(/^(?:a|b)* x/)).toBeUndefined();
    expect(possibleFirstBytes(/^[#!] x/)).toBeUndefined();
    expect(possibleFirstBytes(/^\d+ bytes/)).toBeUndefined();
    expect(possibleFirstBytes(/^(?:a|) x/)).toBeUndefined();
    expect(possibleFirstBytes(/^(?=a)a/)).toBeUndefined();
  });

  it('cannot tell when an alternative outside any group is not anchored', () => {
    expect(possibleFirstBytes(/^# x|not ready/)).toBeUndefined();
    expect(possibleFirstBytes(/^(?:# x)|y/)).toBeUndefined();
    expect(possibleFirstBytes(/^#[[]|y/)).toBeUndefined();
    expect(chars(possibleFirstBytes(/^#[|]x/))).toEqual(['#']);
    expect(chars(possibleFirstBytes(/^#(?:a|b)\|/))).toEqual(['#']);
  });

  it('cannot tell for multiline, global or sticky patterns', () => {
    expect(possibleFirstBytes(/^# x/m)).toBeUndefined();
    expect(possibleFirstBytes(/^# x/g)).toBeUndefined();
    expect(possibleFirstBytes(/^# x/y)).toBeUndefined();
  });

  it('takes both cases, and any non-ASCII lead byte, for a letter under the i flag', () => {
    const bytes = possibleFirstBytes(/^k/i)!;
    expect(bytes.has(0x6b) && bytes.has(0x4b)).toBe(true);
    expect(bytes.has(0xe2)).toBe(true); // the Kelvin sign, U+212A, folds to k under /iu
    expect(chars(possibleFirstBytes(/^# x/i))).toEqual(['#']);
  });
});
