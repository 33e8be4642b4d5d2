import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF_STEPS_MS,
  ExponentialBackoff,
  SteppedBackoff,
  type JitterMode,
} from '../../src/core/backoff.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The largest double below 1: what `Math.random()` can return at most. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

/** A random source that returns `values` in turn, then throws. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => {
    if (index >= values.length) throw new Error('random called more often than expected');
    return values[index++]!;
  };
}

describe('SteppedBackoff', () => {
  it('waits 5 min, 15 min, then 1 h by default', () => {
    const backoff = new SteppedBackoff();
    expect([1, 2, 3].map((failures) => backoff.delay(failures))).toEqual([
      5 * MINUTE,
      15 * MINUTE,
      HOUR,
    ]);
  });

  it('keeps waiting 1 h for every failure past the default table', () => {
    const backoff = new SteppedBackoff();
    expect([4, 10, 1_000_000].map((failures) => backoff.delay(failures))).toEqual([
      HOUR,
      HOUR,
      HOUR,
    ]);
  });

  it('exposes a frozen default table', () => {
    expect(DEFAULT_BACKOFF_STEPS_MS).toEqual([5 * MINUTE, 15 * MINUTE, HOUR]);
    expect(Object.isFrozen(DEFAULT_BACKOFF_STEPS_MS)).toBe(true);
  });

  it('follows custom steps and repeats the last one', () => {
    const backoff = new SteppedBackoff([1_000, 0, 7_000]);
    expect([1, 2, 3, 4, 5].map((failures) => backoff.delay(failures))).toEqual([
      1_000, 0, 7_000, 7_000, 7_000,
    ]);
  });

  it('keeps its own copy of the steps', () => {
    const steps = [1_000, 2_000];
    const backoff = new SteppedBackoff(steps);
    steps[0] = 99;
    expect(backoff.delay(1)).toBe(1_000);
    expect(Object.isFrozen(backoff.stepsMs)).toBe(true);
  });

  it('counts a fractional failure count as its whole failures', () => {
    const backoff = new SteppedBackoff([1_000, 2_000]);
    expect(backoff.delay(1.9)).toBe(1_000);
  });

  it('rejects an empty table with a RangeError', () => {
    expect(() => new SteppedBackoff([])).toThrow(RangeError);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a step of %s with a RangeError',
    (step) => {
      expect(() => new SteppedBackoff([1_000, step])).toThrow(RangeError);
    },
  );

  it.each([0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %s failures with a RangeError',
    (failures) => {
      expect(() => new SteppedBackoff().delay(failures)).toThrow(RangeError);
    },
  );
});

describe('ExponentialBackoff', () => {
  it('doubles from 5 min up to 1 h by default, without jitter', () => {
    const backoff = new ExponentialBackoff();
    expect([1, 2, 3, 4, 5, 50].map((failures) => backoff.delay(failures))).toEqual([
      5 * MINUTE,
      10 * MINUTE,
      20 * MINUTE,
      40 * MINUTE,
      HOUR,
      HOUR,
    ]);
  });

  it("returns exactly initial × factor^(n-1), capped at maxMs, with jitter 'none'", () => {
    const backoff = new ExponentialBackoff({ initialMs: 100, maxMs: 5_000, factor: 3 });
    expect([1, 2, 3, 4, 5].map((failures) => backoff.delay(failures))).toEqual([
      100, 300, 900, 2_700, 5_000,
    ]);
  });

  it('never asks the random source when jitter is none', () => {
    const backoff = new ExponentialBackoff({ random: sequence() });
    expect(backoff.delay(3)).toBe(20 * MINUTE);
  });

  it('stays at maxMs for failure counts so large the growth overflows', () => {
    const backoff = new ExponentialBackoff({ initialMs: 1_000, maxMs: 60_000 });
    expect(backoff.delay(100_000)).toBe(60_000);
  });

  it('stays at 0 for any failure count when initialMs is 0', () => {
    const backoff = new ExponentialBackoff({ initialMs: 0, maxMs: 60_000 });
    expect(backoff.delay(1)).toBe(0);
    expect(backoff.delay(100_000)).toBe(0);
  });

  describe("jitter 'full'", () => {
    const options = { initialMs: 1_000, maxMs: 10_000, jitter: 'full' as const };

    it('waits 0 when the random source gives 0', () => {
      expect(new ExponentialBackoff({ ...options, random: () => 0 }).delay(3)).toBe(0);
    });

    it('waits the whole un-jittered delay when the random source gives almost 1', () => {
      expect(new ExponentialBackoff({ ...options, random: () => ALMOST_ONE }).delay(3)).toBe(4_000);
    });

    it('scales each un-jittered delay by its random draw', () => {
      const backoff = new ExponentialBackoff({
        ...options,
        random: sequence(0.25, 0.5, 0.75, 0.5),
      });
      expect([1, 2, 3, 5].map((failures) => backoff.delay(failures))).toEqual([
        250, 1_000, 3_000, 5_000,
      ]);
    });
  });

  describe("jitter 'equal'", () => {
    const options = { initialMs: 1_000, maxMs: 10_000, jitter: 'equal' as const };

    it('waits half the un-jittered delay when the random source gives 0', () => {
      expect(new ExponentialBackoff({ ...options, random: () => 0 }).delay(3)).toBe(2_000);
    });

    it('waits the whole un-jittered delay when the random source gives almost 1', () => {
      expect(new ExponentialBackoff({ ...options, random: () => ALMOST_ONE }).delay(3)).toBe(4_000);
    });

    it('adds the random share of the other half', () => {
      const backoff = new ExponentialBackoff({ ...options, random: sequence(0.5, 0.25) });
      expect([2, 5].map((failures) => backoff.delay(failures))).toEqual([1_500, 6_250]);
    });
  });

  describe("jitter 'decorrelated'", () => {
    const options = { initialMs: 1_000, maxMs: 20_000, jitter: 'decorrelated' as const };

    it('waits initialMs when the random source gives 0, whatever the failure count', () => {
      const backoff = new ExponentialBackoff({ ...options, random: () => 0 });
      expect([1, 3, 10].map((failures) => backoff.delay(failures))).toEqual([1_000, 1_000, 1_000]);
    });

    it('waits up to three times the previous un-jittered delay when the random source gives almost 1', () => {
      const backoff = new ExponentialBackoff({ ...options, random: () => ALMOST_ONE });
      // Previous un-jittered delays: 1 000 (for failure 1), 1 000, 2 000, 4 000.
      expect([1, 2, 3, 4].map((failures) => backoff.delay(failures))).toEqual([
        3_000, 3_000, 6_000, 12_000,
      ]);
    });

    it('reaches maxMs once three times the previous delay passes it', () => {
      const backoff = new ExponentialBackoff({ ...options, random: () => ALMOST_ONE });
      expect([5, 6, 40].map((failures) => backoff.delay(failures))).toEqual([
        20_000, 20_000, 20_000,
      ]);
    });

    it('takes the previous delay from the capped table even when the factor exceeds 3', () => {
      const backoff = new ExponentialBackoff({
        initialMs: 1_000,
        maxMs: 50_000,
        factor: 10,
        jitter: 'decorrelated',
        random: () => ALMOST_ONE,
      });
      // Un-jittered: 1 000, 10 000, 50 000 (capped), 50 000, ...: failure 3 follows 10 000 → 30 000,
      // and failure 4 follows 50 000 → capped at 50 000.
      expect([3, 4].map((failures) => backoff.delay(failures))).toEqual([30_000, 50_000]);
    });

    it('draws uniformly between initialMs and the upper bound', () => {
      const backoff = new ExponentialBackoff({ ...options, random: sequence(0.5) });
      // Failure 3: previous 2 000, upper 6 000 → 1 000 + 0.5 × 5 000.
      expect(backoff.delay(3)).toBe(3_500);
    });
  });

  it('gives the same delays for the same seeded random source', () => {
    const delays = (seed: number): number[] => {
      const backoff = new ExponentialBackoff({ jitter: 'full', random: mulberry32(seed) });
      return Array.from({ length: 20 }, (_, i) => backoff.delay(i + 1));
    };
    expect(delays(42)).toEqual(delays(42));
    expect(delays(42)).not.toEqual(delays(43));
  });

  it.each<[string, ConstructorParameters<typeof ExponentialBackoff>[0]]>([
    ['a negative initialMs', { initialMs: -1 }],
    ['a NaN initialMs', { initialMs: Number.NaN }],
    ['an infinite initialMs', { initialMs: Number.POSITIVE_INFINITY }],
    ['maxMs below initialMs', { initialMs: 1_000, maxMs: 999 }],
    ['a NaN maxMs', { maxMs: Number.NaN }],
    ['an infinite maxMs', { maxMs: Number.POSITIVE_INFINITY }],
    ['a factor below 1', { factor: 0.5 }],
    ['a NaN factor', { factor: Number.NaN }],
    ['an infinite factor', { factor: Number.POSITIVE_INFINITY }],
    ['an unknown jitter mode', { jitter: 'sometimes' as JitterMode }],
  ])('rejects %s with a RangeError', (_, options) => {
    expect(() => new ExponentialBackoff(options)).toThrow(RangeError);
  });

  it.each([0, -3, Number.NaN])('rejects %s failures with a RangeError', (failures) => {
    expect(() => new ExponentialBackoff().delay(failures)).toThrow(RangeError);
  });

  describe('properties', () => {
    const jitterMode = fc.constantFrom<JitterMode>('none', 'full', 'equal', 'decorrelated');
    const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    // Options as a caller would give them: delays in whole ms up to a few days, any sane factor.
    const options = fc
      .record({
        initialMs: fc.integer({ min: 0, max: 3 * 24 * HOUR }),
        extraMs: fc.integer({ min: 0, max: 3 * 24 * HOUR }),
        factor: fc.double({ min: 1, max: 20, noNaN: true }),
      })
      .map(({ initialMs, extraMs, factor }) => ({ initialMs, maxMs: initialMs + extraMs, factor }));
    const failures = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 1e9 }));

    it('always waits between 0 and maxMs', () => {
      fc.assert(
        fc.property(options, jitterMode, random, failures, (opts, jitter, r, n) => {
          const delay = new ExponentialBackoff({ ...opts, jitter, random: () => r }).delay(n);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(opts.maxMs);
        }),
      );
    });

    it("never lets 'none' shrink as failures grow", () => {
      fc.assert(
        fc.property(options, failures, (opts, n) => {
          const backoff = new ExponentialBackoff(opts);
          expect(backoff.delay(n + 1)).toBeGreaterThanOrEqual(backoff.delay(n));
        }),
      );
    });

    // Jittered delays are rounded to whole milliseconds, so they are compared with the rounded
    // un-jittered delay.
    it("never lets 'full' exceed the un-jittered delay", () => {
      fc.assert(
        fc.property(options, random, failures, (opts, r, n) => {
          const exact = new ExponentialBackoff(opts).delay(n);
          const jittered = new ExponentialBackoff({ ...opts, jitter: 'full', random: () => r });
          expect(jittered.delay(n)).toBeLessThanOrEqual(Math.round(exact));
        }),
      );
    });

    it("keeps 'equal' between half the un-jittered delay and all of it", () => {
      fc.assert(
        fc.property(options, random, failures, (opts, r, n) => {
          const exact = new ExponentialBackoff(opts).delay(n);
          const delay = new ExponentialBackoff({ ...opts, jitter: 'equal', random: () => r }).delay(
            n,
          );
          expect(delay).toBeGreaterThanOrEqual(Math.round(exact / 2));
          expect(delay).toBeLessThanOrEqual(Math.round(exact));
        }),
      );
    });

    it("keeps 'decorrelated' between initialMs and maxMs", () => {
      fc.assert(
        fc.property(options, random, failures, (opts, r, n) => {
          const jittered = new ExponentialBackoff({
            ...opts,
            jitter: 'decorrelated',
            random: () => r,
          });
          expect(jittered.delay(n)).toBeGreaterThanOrEqual(opts.initialMs);
          expect(jittered.delay(n)).toBeLessThanOrEqual(opts.maxMs);
        }),
      );
    });

    it('returns whole milliseconds for every jittered mode', () => {
      fc.assert(
        fc.property(
          options,
          fc.constantFrom<JitterMode>('full', 'equal', 'decorrelated'),
          random,
          failures,
          (opts, jitter, r, n) => {
            const delay = new ExponentialBackoff({ ...opts, jitter, random: () => r }).delay(n);
            expect(Number.isInteger(delay)).toBe(true);
          },
        ),
      );
    });
  });
});

/** A small seeded PRNG (mulberry32) returning numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
