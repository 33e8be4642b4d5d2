/**
 * The distributed lock of one attempt (SPEC §1.5, §2): taken once, extended every third of its
 * TTL from the moment it is taken until it is released, the attempt aborted when it is lost.
 */
import { abortReason, raceSignal } from '../../core/abort.js';
import type { Clock } from '../../core/clock.js';
import { BackupError, errorText } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { isLockUnavailableError, type Lock, type Locker } from '../../core/ports.js';
import { startTimer } from '../../core/timer.js';
import type { WarningCode } from '../events.js';
import type { TimeBudget } from './time-budget.js';

/** What taking a lock needs. */
export interface TakeLockOptions {
  readonly locker: Locker;
  readonly deviceId: string;
  readonly ttlMs: number;
  /** How long to wait for a lock another instance holds (0: do not wait). */
  readonly waitMs: number;
  readonly onLockUnavailable: 'proceed' | 'skip';
  readonly clock: Clock;
  readonly logger: Logger;
  readonly warn: (deviceId: string, code: WarningCode, message: string) => void;
  /** Paused while waiting for another instance: that is waiting for a turn, not work. */
  readonly budget: TimeBudget;
  /** Aborted when the lock is lost, with a `cancelled` error saying so. */
  readonly attempt: AbortController;
  readonly signal: AbortSignal;
}

/** The lock key of a device (SPEC §1.5). */
export function lockKey(deviceId: string): string {
  return `backup:device:${deviceId}`;
}

/**
 * Takes the device's lock, retrying with backoff while another instance holds it (up to
 * `waitMs`). Resolves a {@link LockLease} that is extended from now on; `held` when another
 * instance has it (or the backend is down and `onLockUnavailable` is `skip`); `unavailable` when
 * the backend is down and the attempt proceeds without the lock (both warned about). Rejects with
 * `signal.reason`, or with a locker's error that is not a {@link LockUnavailableError}.
 */
export async function takeLock(o: TakeLockOptions): Promise<LockLease | 'held' | 'unavailable'> {
  const { clock, signal } = o;
  const key = lockKey(o.deviceId);
  const deadline = clock.now() + o.waitMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      const lock = await raceSignal(o.locker.acquire(key, o.ttlMs, signal), signal);
      if (lock) return new LockLease(lock, o);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      // Only an unreachable backend may be worked around; anything else is a real failure.
      if (!isLockUnavailableError(error)) throw error;
      if (o.onLockUnavailable === 'skip') {
        o.warn(
          o.deviceId,
          'lock-unavailable',
          `the lock backend is unreachable (${errorText(error)}); skipping the device as configured`,
        );
        return 'held';
      }
      o.warn(
        o.deviceId,
        'lock-unavailable',
        `the lock backend is unreachable (${errorText(error)}); backing up without the lock`,
      );
      return 'unavailable';
    }
    // Held by another instance. A manual trigger waits for it rather than answering "locked".
    if (clock.now() >= deadline) return 'held';
    o.budget.pause();
    try {
      await clock.sleep(Math.min(wait, Math.max(1, deadline - clock.now())), signal);
    } finally {
      o.budget.resume();
    }
  }
}

/**
 * A held lock, kept alive: extended every third of its TTL (at least every 50 ms) until
 * {@link release}. When an extension says the lock is lost, the attempt is aborted — someone else
 * may hold it now, and a device is never backed up twice at once.
 */
export class LockLease {
  #cancel: (() => void) | undefined;
  #released: Promise<void> | undefined;

  constructor(
    readonly lock: Lock,
    private readonly o: Pick<
      TakeLockOptions,
      'deviceId' | 'ttlMs' | 'clock' | 'logger' | 'warn' | 'attempt'
    >,
  ) {
    const everyMs = Math.max(50, Math.floor(o.ttlMs / 3));
    const tick = (): void => {
      let extended: Promise<boolean>;
      try {
        extended = lock.extend(o.ttlMs);
      } catch (error) {
        extended = Promise.reject(error);
      }
      extended.then(
        (held) => {
          if (held || !this.#cancel) return;
          const message = `${o.deviceId}: the lock ${lock.key} was lost during the backup; the attempt stopped`;
          o.warn(o.deviceId, 'lock-lost', message);
          o.attempt.abort(new BackupError({ kind: 'cancelled', deviceId: o.deviceId, message }));
        },
        (error: unknown) => {
          o.logger.debug(
            { deviceId: o.deviceId, error: errorText(error) },
            'lock extension failed',
          );
        },
      );
      if (this.#cancel) this.#cancel = startTimer(o.clock, everyMs, tick);
    };
    this.#cancel = startTimer(o.clock, everyMs, tick);
  }

  /**
   * Stops extending and gives the lock back (compare-and-delete). Never rejects: a release that
   * fails is logged, and the lock expires at its TTL. Calling it again returns the same promise.
   */
  release(): Promise<void> {
    if (this.#released) return this.#released;
    const stop = this.#cancel;
    this.#cancel = undefined;
    stop?.();
    let pending: Promise<unknown>;
    try {
      pending = this.lock.release();
    } catch (error) {
      pending = Promise.reject(error);
    }
    this.#released = pending.then(
      () => undefined,
      (error: unknown) => {
        this.o.logger.debug(
          { deviceId: this.o.deviceId, error: errorText(error) },
          'lock release failed; it expires at its TTL',
        );
      },
    );
    return this.#released;
  }
}
