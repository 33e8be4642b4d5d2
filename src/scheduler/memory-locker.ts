import { randomBytes } from 'node:crypto';
import { throwIfAborted } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Lock, Locker } from '../core/ports.js';

/** Options of {@link MemoryLocker}. */
export interface MemoryLockerOptions {
  /** Where expiry times come from. Default `systemClock`; pass a `FakeClock` in tests. */
  clock?: Clock;
}

interface HeldLock {
  readonly token: string;
  expiresAtMs: number;
}

/**
 * A {@link Locker} for a single process: enough when one poller instance runs, and a fake for tests.
 * Locks expire `ttlMs` after they were taken or last extended, measured on the injected clock (it
 * starts no timer: expiry is checked when a key is next touched). Tokens are random; `extend` and
 * `release` act only when the token still owns the key. It never rejects with a
 * `LockUnavailableError`.
 *
 * @example
 * ```ts
 * const clock = new FakeClock();
 * const locker = new MemoryLocker({ clock });
 * const lock = await locker.acquire('backup:device:r1', 60_000);
 * await locker.acquire('backup:device:r1', 60_000); // undefined: held
 * await clock.advance(60_000);
 * await lock?.extend(60_000); // false: it expired
 * ```
 */
export class MemoryLocker implements Locker {
  readonly #clock: Clock;
  readonly #held = new Map<string, HeldLock>();

  constructor(options: MemoryLockerOptions = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  acquire(key: string, ttlMs: number, signal?: AbortSignal): Promise<Lock | undefined> {
    return settle(() => {
      throwIfAborted(signal);
      const expiresInMs = checkTtlMs(ttlMs);
      if (this.#live(key)) return undefined;
      const token = randomBytes(16).toString('hex');
      this.#held.set(key, { token, expiresAtMs: this.#clock.now() + expiresInMs });
      return this.#lock(key, token);
    });
  }

  /** The held lock of `key` if it has not expired; drops it when it has. */
  #live(key: string): HeldLock | undefined {
    const held = this.#held.get(key);
    if (held && held.expiresAtMs <= this.#clock.now()) {
      this.#held.delete(key);
      return undefined;
    }
    return held;
  }

  #lock(key: string, token: string): Lock {
    return {
      key,
      token,
      extend: (ttlMs, signal) =>
        settle(() => {
          throwIfAborted(signal);
          const expiresInMs = checkTtlMs(ttlMs);
          const held = this.#live(key);
          if (held?.token !== token) return false;
          held.expiresAtMs = this.#clock.now() + expiresInMs;
          return true;
        }),
      release: (signal) =>
        settle(() => {
          throwIfAborted(signal);
          if (this.#live(key)?.token !== token) return false;
          this.#held.delete(key);
          return true;
        }),
    };
  }
}

/** `ttlMs` rounded up to whole ms, or a RangeError for anything but a positive finite number. */
function checkTtlMs(ttlMs: number): number {
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new RangeError(`A lock TTL must be a positive number of ms, got ${String(ttlMs)}`);
  }
  return Math.ceil(ttlMs);
}

/** Runs `fn` now and turns its result, or what it throws, into a promise. */
function settle<T>(fn: () => T): Promise<T> {
  // The executor runs synchronously, and a throw in it rejects the promise.
  return new Promise<T>((resolve) => resolve(fn()));
}
