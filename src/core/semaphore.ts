import { abortReason, onAbort } from './abort.js';

/** Gives a permit back. Calling it more than once has no further effect. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
}

/**
 * A counting semaphore with a FIFO queue of waiters. It bounds how many devices are worked on at
 * once; a waiter whose signal aborts leaves the queue at once and rejects with `signal.reason`.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(10);
 * const release = await slots.acquire(signal);
 * try {
 *   await backUp(device);
 * } finally {
 *   release();
 * }
 * // or simply:
 * await slots.run(() => backUp(device), signal);
 * ```
 */
export class Semaphore {
  readonly #permits: number;
  #inUse = 0;
  // A Set keeps insertion order (FIFO) and removes an aborted waiter in O(1).
  readonly #waiters = new Set<Waiter>();

  /** @throws {RangeError} when `permits` is not an integer ≥ 1. */
  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new RangeError(`Semaphore permits must be an integer >= 1, got ${String(permits)}`);
    }
    this.#permits = permits;
  }

  /** The number of permits the semaphore was created with. */
  get permits(): number {
    return this.#permits;
  }

  /** Permits free right now. */
  get available(): number {
    return this.#permits - this.#inUse;
  }

  /** Callers waiting in `acquire`. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Takes a permit if one is free, without waiting. */
  tryAcquire(): Release | undefined {
    if (this.#inUse >= this.#permits || this.#waiters.size > 0) return undefined;
    this.#inUse++;
    return this.#makeRelease();
  }

  /**
   * Waits for a permit (first come, first served) and resolves with its `release`.
   * Rejects with `signal.reason` if `signal` aborts first; the waiter is then gone from the queue.
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const immediate = this.tryAcquire();
    if (immediate) return Promise.resolve(immediate);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          detach();
          resolve(release);
        },
      };
      this.#waiters.add(waiter);
      const detach = onAbort(signal, () => {
        if (this.#waiters.delete(waiter)) reject(abortReason(signal!));
      });
    });
  }

  /** Runs `fn` while holding a permit and releases it however `fn` ends. */
  async run<T>(fn: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #makeRelease(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#handOver();
    };
  }

  #handOver(): void {
    const next = this.#waiters.values().next();
    if (next.done) {
      this.#inUse--;
      return;
    }
    // The permit passes straight to the next waiter: #inUse stays the same.
    this.#waiters.delete(next.value);
    next.value.grant(this.#makeRelease());
  }
}
