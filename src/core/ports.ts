/**
 * The ports the scheduler uses to ask whether a device is online, to keep two poller instances off
 * the same device, and to share the time of a device's last backup. `confsnap/redis` implements
 * them on Redis; `MemoryLocker` implements {@link Locker} for one process.
 */
import type { Device } from './device.js';

/**
 * What an {@link OnlineGate} knows about a device: `online` and `unknown` let the attempt proceed,
 * `offline` skips it.
 */
export type OnlineStatus = 'online' | 'offline' | 'unknown';

/**
 * Tells the scheduler whether a device is worth trying now (SPEC §1 step 2).
 *
 * A gate answers `unknown` when it cannot tell — including when its backend is unreachable — so that
 * an outage of the gate never stops backups. It rejects only with `signal.reason` when `signal`
 * aborts, and it answers within a bounded time.
 *
 * @example
 * ```ts
 * const gate: OnlineGate = {
 *   check: async (device) => ((await ping(device.host)) ? 'online' : 'unknown'),
 * };
 * ```
 */
export interface OnlineGate {
  /** The device's status as far as the gate knows it. */
  check(device: Device, signal?: AbortSignal): Promise<OnlineStatus>;
}

/**
 * A held lock: the key and the random token that proves this holder owns it. Both operations compare
 * the token first, so a holder whose lock expired and was taken by someone else can neither extend
 * nor delete the new holder's lock.
 */
export interface Lock {
  /** The key the lock was acquired under, exactly as passed to {@link Locker.acquire}. */
  readonly key: string;
  /** The random token identifying this holder. Not a secret, but unguessable by other holders. */
  readonly token: string;
  /**
   * Sets the lock to expire `ttlMs` from now, if this holder still owns it. Resolves `true` when
   * extended, `false` when the lock is lost (expired, or held by someone else now) — stop the work
   * it protects then. Rejects with a {@link LockUnavailableError} when the backend cannot be reached:
   * whether the lock is still held is then unknown, and it expires on its own at its last TTL.
   */
  extend(ttlMs: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Deletes the lock if this holder still owns it. Resolves `true` when it was deleted, `false` when
   * it was no longer this holder's (nothing is deleted then). Rejects with a
   * {@link LockUnavailableError} when the backend cannot be reached; the lock then expires at its TTL.
   */
  release(signal?: AbortSignal): Promise<boolean>;
}

/**
 * Mutual exclusion between poller instances (SPEC §1 step 5).
 *
 * The scheduler passes the full key, `backup:device:<deviceId>`; a locker stores it as given.
 *
 * @example
 * ```ts
 * const lock = await locker.acquire(`backup:device:${device.id}`, timeLimitMs + 30_000, signal);
 * if (!lock) return skip('locked');
 * try {
 *   await backUp(device);
 * } finally {
 *   await lock.release().catch(() => {}); // it expires at its TTL anyway
 * }
 * ```
 */
export interface Locker {
  /**
   * Takes the lock `key` for `ttlMs` with a fresh random token. Resolves the {@link Lock}, or
   * `undefined` when someone else holds it. Rejects with a {@link LockUnavailableError} when the
   * backend cannot be reached (within a bounded time), so the caller can choose to proceed without
   * the lock or skip; with a `RangeError` when `ttlMs` is not a positive finite number; with
   * `signal.reason` when `signal` aborts.
   */
  acquire(key: string, ttlMs: number, signal?: AbortSignal): Promise<Lock | undefined>;
}

/**
 * The time of each device's last successful backup, shared by every poller instance
 * (SPEC §1 step 6), so that K instances back a device up about once per interval, not K times.
 */
export interface LastSuccessStore {
  /**
   * When the device was last backed up successfully by any instance, in ms since the epoch, or
   * `undefined` when no instance recorded one (or the record expired). Rejects when the store cannot
   * answer in a bounded time; a caller should treat that as "not fresh" and back the device up.
   */
  get(deviceId: string, signal?: AbortSignal): Promise<number | undefined>;
  /**
   * Records a successful backup of the device at `atMs` (ms since the epoch). Rejects when the store
   * cannot be written in a bounded time; the backup itself is not undone by that.
   */
  set(deviceId: string, atMs: number, signal?: AbortSignal): Promise<void>;
}

// A registered symbol is the same in every copy of the package (ESM and CJS loaded side by side),
// where `instanceof` would fail.
const LOCK_UNAVAILABLE_BRAND = Symbol.for('confsnap.LockUnavailableError');

/** Options of {@link LockUnavailableError}. */
export interface LockUnavailableErrorOptions {
  /** The lock key that could not be taken, extended or released. */
  key: string;
  /** What happened and what to do; a default naming the key is used when absent. */
  message?: string;
  /** The underlying failure (connection error, timeout). */
  cause?: unknown;
}

/**
 * The lock backend could not be reached, so whether the lock is free, held or still ours is unknown.
 * The scheduler applies `onLockUnavailable` (`proceed` or `skip`). Recognise it with
 * {@link isLockUnavailableError}, which works across two loaded copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   lock = await locker.acquire(key, ttlMs);
 * } catch (error) {
 *   if (!isLockUnavailableError(error)) throw error;
 *   logger.warn({ key: error.key }, error.message); // and go on without the lock
 * }
 * ```
 */
export class LockUnavailableError extends Error {
  declare readonly [LOCK_UNAVAILABLE_BRAND]: true;
  override readonly name = 'LockUnavailableError';
  /** The lock key concerned. */
  readonly key: string;

  constructor(options: LockUnavailableErrorOptions) {
    super(
      options.message ??
        `The lock backend is unreachable, so the lock ${options.key} could not be used; check its connection`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.key = options.key;
    Object.defineProperty(this, LOCK_UNAVAILABLE_BRAND, { value: true });
  }
}

/** Whether `value` is a {@link LockUnavailableError}, from this copy of confsnap or any other. */
export function isLockUnavailableError(value: unknown): value is LockUnavailableError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[LOCK_UNAVAILABLE_BRAND] === true
  );
}
