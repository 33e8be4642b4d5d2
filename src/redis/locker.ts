import { randomBytes } from 'node:crypto';
import { abortReason, throwIfAborted } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { LockUnavailableError, type Lock, type Locker } from '../core/ports.js';
import type { RedisClient } from './client.js';
import {
  checkPositiveMs,
  describeFailure,
  RedisUnavailableError,
  sendCommand,
  type CommandDeadline,
} from './command.js';
import { runLuaScript, type LuaScript } from './lua-script.js';
import { parseLastSuccess, type RedisLastSuccessStore } from './last-success-store.js';
import { OutageLog } from './outage-log.js';
import { acquireLockReadingScript } from './scripts/acquire-lock.js';
import { extendLockScript } from './scripts/extend-lock.js';
import { releaseLockScript } from './scripts/release-lock.js';

/** The client methods {@link RedisLocker} uses. */
export type RedisLockerClient = Pick<RedisClient, 'status' | 'set' | 'evalsha' | 'eval'>;

/** Options of {@link RedisLocker}. */
export interface RedisLockerOptions {
  /** The service's connected ioredis client. Not closed here. */
  redis: RedisLockerClient;
  /** How long one lock command may take before it fails with a `LockUnavailableError`. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Where the command timeout is measured. Default `systemClock`. */
  clock?: Clock;
  /** Receives one warning per Redis outage and one info line when it ends. Default silent. */
  logger?: Logger;
  /**
   * The scheduler's last-success store, on the same Redis: taking a device's lock
   * (`backup:device:<deviceId>`) then also reads its last success in the same round trip (one Lua
   * script), set on the lock as `lastSuccessAt`, and the scheduler does not ask the store again.
   * Pass the same store you give the scheduler as `lastSuccess`. With Redis Cluster, both keys
   * must hash to one slot (a `{…}` hash tag in the store's `keyPrefix` and device ids), or leave
   * this out. Default: none (the lock is a plain `SET NX PX`).
   */
  lastSuccess?: RedisLastSuccessStore;
}

/** The prefix of the scheduler's lock keys, after which comes the device id. */
const DEVICE_LOCK_PREFIX = 'backup:device:';

/**
 * A {@link Locker} on Redis, shared by every poller instance that uses the same Redis: the lock is
 * the key itself, `SET key <random token> NX PX ttlMs`; `extend` and `release` are Lua scripts that
 * compare the token first (compare-and-extend, compare-and-delete), so a holder whose lock expired
 * cannot touch the next holder's lock.
 *
 * `acquire(key)` takes the full key as given (the scheduler passes `backup:device:<deviceId>`); a
 * `keyPrefix` set on the ioredis client still applies.
 *
 * It fails fast: when the client is not ready, or Redis does not answer within `commandTimeoutMs`,
 * `acquire`, `extend` and `release` reject with a `LockUnavailableError` instead of waiting in the
 * client's offline queue. A lock that a timed-out `acquire` took after all (its `SET` was answered
 * late) is released again at once.
 *
 * @example
 * ```ts
 * import { RedisLocker } from 'confsnap/redis';
 *
 * const locker = new RedisLocker({ redis, logger });
 * const lock = await locker.acquire('backup:device:r1', 330_000);
 * if (lock) {
 *   try {
 *     await work();
 *   } finally {
 *     await lock.release();
 *   }
 * }
 * ```
 */
export class RedisLocker implements Locker {
  readonly #redis: RedisLockerClient;
  readonly #commandTimeoutMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #outage: OutageLog;
  readonly #lastSuccess: RedisLastSuccessStore | undefined;

  constructor(options: RedisLockerOptions) {
    this.#redis = options.redis;
    this.#lastSuccess = options.lastSuccess;
    this.#commandTimeoutMs = checkPositiveMs(
      'RedisLocker commandTimeoutMs',
      options.commandTimeoutMs ?? 1_000,
    );
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#outage = new OutageLog(
      this.#logger,
      this.#clock,
      'RedisLocker',
      'device locks cannot be taken',
    );
  }

  async acquire(key: string, ttlMs: number, signal?: AbortSignal): Promise<Lock | undefined> {
    throwIfAborted(signal);
    const expiresInMs = checkTtlMs(ttlMs);
    const token = randomBytes(16).toString('hex');
    const store = this.#lastSuccess;
    if (store && key.startsWith(DEVICE_LOCK_PREFIX)) {
      const deviceId = key.slice(DEVICE_LOCK_PREFIX.length);
      const reading = await this.#send(
        `Could not take the lock ${key}`,
        key,
        () =>
          runLuaScript(
            this.#redis,
            acquireLockReadingScript,
            [key, store.keyOf(deviceId)],
            [token, expiresInMs],
          ),
        signal,
        (lateReply) => {
          if (Array.isArray(lateReply) && lateReply[0] === 1) this.#giveBack(key, token);
        },
      );
      if (!Array.isArray(reading) || reading[0] !== 1) return undefined;
      const value: unknown = reading[1];
      return this.#lock(
        key,
        token,
        parseLastSuccess(typeof value === 'string' ? value : null) ?? null,
      );
    }
    const reply = await this.#send(
      `Could not take the lock ${key}`,
      key,
      () => this.#redis.set(key, token, 'PX', expiresInMs, 'NX'),
      signal,
      (lateReply) => {
        if (lateReply === 'OK') this.#giveBack(key, token);
      },
    );
    return reply === 'OK' ? this.#lock(key, token) : undefined;
  }

  #lock(key: string, token: string, lastSuccessAt?: number | null): Lock {
    return {
      key,
      token,
      ...(lastSuccessAt === undefined ? {} : { lastSuccessAt }),
      extend: async (ttlMs, signal) => {
        throwIfAborted(signal);
        const expiresInMs = checkTtlMs(ttlMs);
        const reply = await this.#runScript(
          `Could not extend the lock ${key}`,
          extendLockScript,
          key,
          [token, expiresInMs],
          signal,
        );
        return reply === 1;
      },
      release: async (signal) => {
        throwIfAborted(signal);
        const reply = await this.#runScript(
          `Could not release the lock ${key}`,
          releaseLockScript,
          key,
          [token],
          signal,
        );
        return reply === 1;
      },
    };
  }

  #runScript(
    failure: string,
    script: LuaScript,
    key: string,
    args: readonly (string | number)[],
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return this.#send(failure, key, () => runLuaScript(this.#redis, script, [key], args), signal);
  }

  /**
   * Sends a lock command; any failure but an abort becomes a LockUnavailableError whose message
   * starts with `failure`.
   */
  async #send<T>(
    failure: string,
    key: string,
    send: () => Promise<T>,
    signal: AbortSignal | undefined,
    onLateReply?: (reply: T) => void,
  ): Promise<T> {
    const deadline: CommandDeadline = {
      clock: this.#clock,
      timeoutMs: this.#commandTimeoutMs,
      signal,
    };
    try {
      const reply = await sendCommand(this.#redis, failure, send, deadline, onLateReply);
      this.#outage.answered();
      return reply;
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      this.#outage.failed(error);
      const reason =
        error instanceof RedisUnavailableError
          ? error.message
          : `${failure}: ${describeFailure(error)}`;
      throw new LockUnavailableError({
        key,
        message: `${reason}; check the Redis connection`,
        cause: error,
      });
    }
  }

  /** Releases a lock that was taken after its acquire had given up; best effort. */
  #giveBack(key: string, token: string): void {
    this.#lock(key, token)
      .release()
      .then(
        (released) =>
          this.#logger.debug(
            { component: 'RedisLocker', key, released },
            'Released a lock that Redis granted after acquire had given up',
          ),
        (error: unknown) =>
          this.#logger.warn(
            { component: 'RedisLocker', key, error: describeFailure(error) },
            'Could not release a lock that Redis granted after acquire had given up; it expires at its TTL',
          ),
      );
  }
}

/** `ttlMs` rounded up to whole ms, or a RangeError for anything but a positive finite number. */
function checkTtlMs(ttlMs: number): number {
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new RangeError(`A lock TTL must be a positive number of ms, got ${String(ttlMs)}`);
  }
  return Math.ceil(ttlMs);
}
