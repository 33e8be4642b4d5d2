/**
 * How long to wait before the next try after some consecutive failures.
 *
 * @example
 * ```ts
 * const backoff: BackoffPolicy = new SteppedBackoff();
 * backoff.delay(1); // 300_000 (5 min)
 * backoff.delay(9); // 3_600_000 (1 h, the last step)
 * ```
 */
export interface BackoffPolicy {
  /** Milliseconds to wait after `failures` consecutive failures (`failures` ≥ 1). */
  delay(failures: number): number;
}

const MINUTE = 60_000;

/** The default retry steps of SPEC §1.13: 5 min, 15 min, then 1 h for every failure after. */
export const DEFAULT_BACKOFF_STEPS_MS: readonly number[] = Object.freeze([
  5 * MINUTE,
  15 * MINUTE,
  60 * MINUTE,
]);

function checkFailures(failures: number): number {
  if (!Number.isFinite(failures) || failures < 1) {
    throw new RangeError(`failures must be >= 1, got ${String(failures)}`);
  }
  return Math.floor(failures);
}

/**
 * A fixed table of delays: failure n waits `stepsMs[n-1]`; past the end, the last step forever.
 *
 * @example
 * ```ts
 * const backoff = new SteppedBackoff([60_000, 600_000]);
 * backoff.delay(1); // 60_000
 * backoff.delay(5); // 600_000
 * ```
 */
export class SteppedBackoff implements BackoffPolicy {
  /** The steps, in milliseconds. */
  readonly stepsMs: readonly number[];

  /** @throws {RangeError} when the table is empty or has a negative or non-finite step. */
  constructor(stepsMs: readonly number[] = DEFAULT_BACKOFF_STEPS_MS) {
    if (stepsMs.length === 0) throw new RangeError('SteppedBackoff needs at least one step');
    for (const step of stepsMs) {
      if (!Number.isFinite(step) || step < 0) {
        throw new RangeError(`SteppedBackoff steps must be finite and >= 0, got ${String(step)}`);
      }
    }
    this.stepsMs = Object.freeze([...stepsMs]);
  }

  delay(failures: number): number {
    const n = checkFailures(failures);
    return this.stepsMs[Math.min(n, this.stepsMs.length) - 1]!;
  }
}

/** How `ExponentialBackoff` randomizes its delays. */
export type JitterMode = 'none' | 'full' | 'equal' | 'decorrelated';

/** Options of {@link ExponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** Delay after the first failure, before jitter. Default 5 min. */
  initialMs?: number;
  /** Upper bound of any delay. Default 1 h. */
  maxMs?: number;
  /** Growth per failure. Default 2. */
  factor?: number;
  /**
   * `none`: exactly `min(max, initial × factor^(n-1))`; `full`: uniform in [0, that];
   * `equal`: half of it plus uniform in [0, half]; `decorrelated`: uniform in
   * [initial, previous × 3], capped (AWS "decorrelated jitter", deterministic per failure count).
   * Default `none`.
   */
  jitter?: JitterMode;
  /** Random source in [0, 1). Inject one to make the delays deterministic. Default `Math.random`. */
  random?: () => number;
}

/**
 * Exponential growth with optional jitter.
 *
 * @example
 * ```ts
 * const backoff = new ExponentialBackoff({ initialMs: 1_000, maxMs: 60_000, jitter: 'full' });
 * backoff.delay(3); // somewhere in [0, 4_000]
 * ```
 */
export class ExponentialBackoff implements BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: JitterMode;
  readonly #random: () => number;

  /** @throws {RangeError} on a negative initial delay, an infinite max, max < initial or factor < 1. */
  constructor(options: ExponentialBackoffOptions = {}) {
    const {
      initialMs = 5 * MINUTE,
      maxMs = 60 * MINUTE,
      factor = 2,
      jitter = 'none',
      random = Math.random,
    } = options;
    if (!Number.isFinite(initialMs) || initialMs < 0) {
      throw new RangeError(`initialMs must be finite and >= 0, got ${String(initialMs)}`);
    }
    if (!Number.isFinite(maxMs) || !(maxMs >= initialMs)) {
      throw new RangeError(
        `maxMs must be finite and >= initialMs (${String(initialMs)}), got ${String(maxMs)}`,
      );
    }
    if (!Number.isFinite(factor) || factor < 1) {
      throw new RangeError(`factor must be finite and >= 1, got ${String(factor)}`);
    }
    if (!['none', 'full', 'equal', 'decorrelated'].includes(jitter)) {
      throw new RangeError(
        `jitter must be none, full, equal or decorrelated, got ${String(jitter)}`,
      );
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.jitter = jitter;
    this.#random = random;
  }

  delay(failures: number): number {
    const n = checkFailures(failures);
    const base = this.#exactDelay(n);
    switch (this.jitter) {
      case 'none':
        return base;
      case 'full':
        return Math.round(this.#random() * base);
      case 'equal':
        return Math.round(base / 2 + this.#random() * (base / 2));
      case 'decorrelated': {
        // Stateless form: the "previous" delay is the un-jittered delay of failure n-1.
        const previous = n === 1 ? this.initialMs : this.#exactDelay(n - 1);
        const upper = Math.min(this.maxMs, Math.max(this.initialMs, previous * 3));
        return Math.round(this.initialMs + this.#random() * (upper - this.initialMs));
      }
    }
  }

  /** The un-jittered delay of failure `n`: `min(max, initial × factor^(n-1))`. */
  #exactDelay(n: number): number {
    // factor^(n-1) overflows to Infinity for large n, and 0 × Infinity is NaN.
    if (this.initialMs === 0) return 0;
    return Math.min(this.maxMs, this.initialMs * this.factor ** (n - 1));
  }
}
