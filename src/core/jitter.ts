/**
 * A uniformly random whole number of milliseconds in `[minMs, maxMs]`, both ends included.
 *
 * @param random source in [0, 1); inject one for deterministic tests.
 * @throws {RangeError} when `minMs > maxMs` or either bound is not finite.
 * @example
 * ```ts
 * uniformJitter(30_000, 300_000); // first attempt somewhere between 30 s and 5 min
 * ```
 */
export function uniformJitter(
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  if (!Number.isFinite(minMs) || !Number.isFinite(maxMs)) {
    throw new RangeError(`jitter bounds must be finite, got [${String(minMs)}, ${String(maxMs)}]`);
  }
  if (minMs > maxMs) {
    throw new RangeError(`jitter min (${minMs}) must be <= max (${maxMs})`);
  }
  const low = Math.ceil(minMs);
  const high = Math.floor(maxMs);
  if (high < low) return minMs; // a range with no whole number in it, e.g. [0.2, 0.8]
  return low + Math.floor(random() * (high - low + 1));
}
