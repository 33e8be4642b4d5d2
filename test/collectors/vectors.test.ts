import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createCollectorRegistry,
  normalizeConfig,
  NORMALIZATION_VERSION,
  type ConfigCollector,
} from '../../src/collectors/index.js';
import { isBackupError } from '../../src/core/errors.js';

const vectorsDir = new URL('../fixtures/vectors/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, vectorsDir));

interface VectorCase {
  vendor: string;
  raw: string;
  expected?: string;
  sha256?: string;
  encoding?: 'latin1';
  expect?: 'ok' | 'command-failed' | 'truncated-output' | 'invalid-output';
  description?: string;
}
interface VectorIndex {
  normalization_version: number;
  cases: VectorCase[];
}

const sharedIndex = JSON.parse(read('index.json').toString('utf8')) as VectorIndex;
const confsnapIndex = JSON.parse(read('index.confsnap.json').toString('utf8')) as VectorIndex;
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
    expect(confsnapIndex.normalization_version).toBe(NORMALIZATION_VERSION);
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

    const result = normalizeConfig(vector.vendor, raw);
    const expected = read(vector.expected!);
    expect(result.text).toBe(expected.toString('utf8'));
    expect(result.sha256).toBe(vector.sha256);
    expect(createHash('sha256').update(expected).digest('hex')).toBe(vector.sha256);
    expect(result.encoding).toBe(vector.encoding);
    expect(normalizeConfig(vector.vendor, result.text).text).toBe(result.text);
  });
});
