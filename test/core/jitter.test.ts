import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniformJitter } from '../../src/core/jitter.js';

/** The largest double below 1: what `Math.random()` can return at most. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

describe('uniformJitter', () => {
  it('returns minMs when the random source gives 0', () => {
    expect(uniformJitter(30_000, 300_000, () => 0)).toBe(30_000);
  });

  it('returns maxMs when the random source gives almost 1', () => {
    expect(uniformJitter(30_000, 300_000, () => 0.9999999)).toBe(300_000);
    expect(uniformJitter(30_000, 300_000, () => ALMOST_ONE)).toBe(300_000);
  });

  it('gives every whole number of the range the same share of the random source', () => {
    // [0, 3] has four values: each owns a quarter of [0, 1).
    const draws = [0, 0.2499, 0.25, 0.4999, 0.5, 0.7499, 0.75, 0.9999];
    expect(draws.map((r) => uniformJitter(0, 3, () => r))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('returns the bound when minMs equals maxMs', () => {
    expect(uniformJitter(5_000, 5_000, () => ALMOST_ONE)).toBe(5_000);
  });

  it('keeps to the whole numbers inside fractional bounds', () => {
    expect(uniformJitter(0.5, 2.5, () => 0)).toBe(1);
    expect(uniformJitter(0.5, 2.5, () => ALMOST_ONE)).toBe(2);
  });

  it('returns minMs for a range with no whole number in it', () => {
    expect(uniformJitter(0.2, 0.8, () => 0.5)).toBe(0.2);
  });

  it('rejects minMs greater than maxMs with a RangeError', () => {
    expect(() => uniformJitter(2, 1)).toThrow(RangeError);
  });

  it.each([
    [Number.NaN, 1],
    [0, Number.NaN],
    [Number.NEGATIVE_INFINITY, 1],
    [0, Number.POSITIVE_INFINITY],
  ])('rejects the bounds [%s, %s] with a RangeError', (minMs, maxMs) => {
    expect(() => uniformJitter(minMs, maxMs)).toThrow(RangeError);
  });

  it('stays within the bounds with the default random source', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        (a, b) => {
          const [minMs, maxMs] = a <= b ? [a, b] : [b, a];
          const value = uniformJitter(minMs, maxMs);
          expect(value).toBeGreaterThanOrEqual(minMs);
          expect(value).toBeLessThanOrEqual(maxMs);
        },
      ),
    );
  });

  it('always returns a whole number within the bounds', () => {
    const bound = fc.integer({ min: -1e12, max: 1e12 });
    const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(bound, bound, random, (a, b, r) => {
        const [minMs, maxMs] = a <= b ? [a, b] : [b, a];
        const value = uniformJitter(minMs, maxMs, () => r);
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(minMs);
        expect(value).toBeLessThanOrEqual(maxMs);
      }),
    );
  });

  it('always returns a whole number within fractional bounds that contain one', () => {
    const bound = fc.double({ min: -1e9, max: 1e9, noNaN: true });
    const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(bound, bound, random, (a, b, r) => {
        const [minMs, maxMs] = a <= b ? [a, b] : [b, a];
        fc.pre(Math.ceil(minMs) <= Math.floor(maxMs));
        const value = uniformJitter(minMs, maxMs, () => r);
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(minMs);
        expect(value).toBeLessThanOrEqual(maxMs);
      }),
    );
  });
});
