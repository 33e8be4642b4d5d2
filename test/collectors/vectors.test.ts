import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createCollectorRegistry,
  normalizeConfig,
  NORMALIZATION_VERSION,
  SECRET_PLACEHOLDER,
  type ConfigCollector,
} from '../../src/collectors/index.js';
import { isBackupError } from '../../src/core/errors.js';
import { SECRET_VALUES } from '../fixtures/secret-values.js';

const vectorsDir = new URL('../fixtures/vectors/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, vectorsDir));

interface VectorCase {
  vendor: string;
  raw: string;
  expected?: string;
  sha256?: string;
  encoding?: 'latin1';
  expect?: 'ok' | 'command-failed' | 'truncated-output' | 'invalid-output';
  mask_secrets?: boolean;
  description?: string;
}
interface VectorIndex {
  normalization_version: number;
  cases: VectorCase[];
}

const sharedIndex = JSON.parse(read('index.json').toString('utf8')) as VectorIndex;
/**
 * confsnap's own vectors: index.confsnap.json, plus one `index.<vendor>.json` per vendor added
 * since (so that adding a vendor touches only its own files). Every file has the same shape.
 */
const confsnapIndexFiles = readdirSync(vectorsDir)
  .filter((name) => /^index\.[a-z0-9-]+\.json$/.test(name))
  .sort();
const confsnapIndexes = confsnapIndexFiles.map(
  (name) => JSON.parse(read(name).toString('utf8')) as VectorIndex,
);
const confsnapIndex: VectorIndex = {
  normalization_version: confsnapIndexes[0]!.normalization_version,
  cases: confsnapIndexes.flatMap((index) => index.cases),
};
const collectors = createCollectorRegistry();

function collectorFor(vendor: string): ConfigCollector {
  const collector = collectors.get(vendor);
  if (!collector) throw new Error(`no built-in collector for ${vendor}`);
  return collector;
}

/**
 * What collecting `raw` ends in, judged the way the SSH driver judges it: vendor error texts in the
 * raw output first, then normalization, then the completeness check.
 */
function outcomeOf(collector: ConfigCollector, raw: Buffer): string {
  const text = raw.toString('latin1');
  if (collector.errorPatterns.some((pattern) => pattern.test(text))) return 'command-failed';
  try {
    const normalized = normalizeConfig(collector, raw);
    return collector.isComplete(normalized.text) ? 'ok' : 'truncated-output';
  } catch (error) {
    if (isBackupError(error)) return error.kind;
    throw error;
  }
}

describe('the shared vectors (../shared/vectors, copied unchanged)', () => {
  it('are for the current normalization version', () => {
    expect(sharedIndex.normalization_version).toBe(NORMALIZATION_VERSION);
  });

  it.each(sharedIndex.cases)('$raw normalizes byte for byte to $expected', (vector) => {
    const result = normalizeConfig(vector.vendor, read(vector.raw));
    expect(result.text).toBe(read(vector.expected!).toString('utf8'));
    expect(result.sha256).toBe(vector.sha256);
    expect(collectorFor(vector.vendor).isComplete(result.text)).toBe(true);
  });
});

describe("confsnap's own vectors (index.confsnap.json)", () => {
  it('are for the current normalization version', () => {
    expect(confsnapIndexFiles).toContain('index.confsnap.json');
    for (const index of confsnapIndexes) {
      expect(index.normalization_version).toBe(NORMALIZATION_VERSION);
    }
  });

  it('cover every built-in vendor with a published output, a device error and a rejected output', () => {
    for (const vendor of collectors.vendors()) {
      const outcomes = new Set(
        confsnapIndex.cases.filter((c) => c.vendor === vendor).map((c) => c.expect),
      );
      expect([...outcomes].sort(), vendor).toEqual(
        expect.arrayContaining(['command-failed', 'ok']),
      );
      expect(outcomes.has('truncated-output') || outcomes.has('invalid-output'), vendor).toBe(true);
    }
  });

  it.each(confsnapIndex.cases)('$raw ends in $expect: $description', (vector) => {
    const raw = read(vector.raw);
    expect(outcomeOf(collectorFor(vector.vendor), raw)).toBe(vector.expect);
    if (vector.expect !== 'ok') return;

    const options = { maskSecrets: vector.mask_secrets === true };
    const result = normalizeConfig(vector.vendor, raw, undefined, options);
    const expected = read(vector.expected!);
    expect(result.text).toBe(expected.toString('utf8'));
    expect(result.sha256).toBe(vector.sha256);
    expect(createHash('sha256').update(expected).digest('hex')).toBe(vector.sha256);
    expect(result.encoding).toBe(vector.encoding);
    expect(result.secretsMasked).toBe(vector.mask_secrets === true ? true : undefined);
    expect(normalizeConfig(vector.vendor, result.text, undefined, options).text).toBe(result.text);
  });
});

describe('masked vectors (SPEC §9)', () => {
  const masked = confsnapIndex.cases.filter((vector) => vector.mask_secrets === true);

  it('cover every built-in vendor', () => {
    for (const vendor of collectors.vendors()) {
      expect(
        masked.some((vector) => vector.vendor === vendor),
        vendor,
      ).toBe(true);
    }
  });

  it.each(masked)('$expected shows none of the secrets of $raw', (vector) => {
    const text = read(vector.expected!).toString('utf8');
    const values = SECRET_VALUES[vector.raw];
    expect(values, `list the secrets of ${vector.raw}`).toBeDefined();
    for (const value of values!) {
      expect(read(vector.raw).toString('latin1')).toContain(value);
      expect(text, value).not.toContain(value);
    }
    expect(text).toContain(SECRET_PLACEHOLDER);
  });
});

/** `line` as a pattern in which each `<secret hidden>` stands for any value. */
function maskedLinePattern(line: string): RegExp {
  const parts = line
    .split(SECRET_PLACEHOLDER)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

const SECRET_WORDS = /password|passwd|secret|key|community|cipher|psk|name=/i;

describe('masking the shared vectors', () => {
  it.each(sharedIndex.cases)(
    '$raw: only secret values change, every other line is kept',
    (vector) => {
      const raw = read(vector.raw);
      const plain = normalizeConfig(vector.vendor, raw).text.split('\n');
      const masked = normalizeConfig(vector.vendor, raw, undefined, { maskSecrets: true });
      const maskedLines = masked.text.split('\n');
      expect(maskedLines).toHaveLength(plain.length);
      plain.forEach((line, index) => {
        const maskedLine = maskedLines[index]!;
        if (maskedLine === line) return;
        expect(maskedLine, line).toContain(SECRET_PLACEHOLDER);
        expect(line).toMatch(maskedLinePattern(maskedLine));
        expect(line).toMatch(SECRET_WORDS);
      });
      expect(masked.sha256).toBe(createHash('sha256').update(masked.text).digest('hex'));
      const again = normalizeConfig(vector.vendor, masked.text, undefined, { maskSecrets: true });
      expect(again.text).toBe(masked.text);
    },
  );
});
