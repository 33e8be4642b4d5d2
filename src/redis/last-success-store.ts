import { throwIfAborted } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { LastSuccessStore } from '../core/ports.js';
import type { RedisClient } from './client.js';
import { checkPositiveMs, sendCommand, type CommandDeadline } from './command.js';

/** The client methods {@link RedisLastSuccessStore} uses. */
export type RedisLastSuccessStoreClient = Pick<RedisClient, 'status' | 'get' | 'set'>;

/** Options of {@link RedisLastSuccessStore}. */
export interface RedisLastSuccessStoreOptions {
  /** The service's connected ioredis client. Not closed here. */
  redis: RedisLastSuccessStoreClient;
  /** The key of a device is `keyPrefix + deviceId`. Default `'backup:last:'`. */
  keyPrefix?: string;
  /**
   * How long a record lives after it was written. Default: forever. A few backup intervals (e.g.
   * `3 * intervalMs`) lets the records of removed devices go away; a record that expired only makes
   * the next instance back the device up, which is what it would do anyway.
   */
  ttlMs?: number;
  /** How long one command may take before the call rejects. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Where the command timeout is measured. Default `systemClock`. */
  clock?: Clock;
}

/**
 * A {@link LastSuccessStore} on Redis: the time of each device's last successful backup by any
 * instance, at `backup:last:<deviceId>`, as a decimal string of ms since the epoch.
 *
 * It fails fast like the other Redis adapters: when the client is not ready, or Redis does not
 * answer within `commandTimeoutMs`, `get` and `set` reject at once instead of waiting in the
 * client's offline queue. A value that is not a number of ms reads as `undefined` (no record).
 *
 * @example
 * ```ts
 * import { RedisLastSuccessStore } from 'confsnap/redis';
 *
 * const lastSuccess = new RedisLastSuccessStore({ redis, ttlMs: 3 * intervalMs });
 * await lastSuccess.set('r1', Date.now());
 * await lastSuccess.get('r1'); // the time just written, in ms since the epoch
 * ```
 */
export class RedisLastSuccessStore implements LastSuccessStore {
  readonly #redis: RedisLastSuccessStoreClient;
  readonly #keyPrefix: string;
  readonly #ttlMs: number | undefined;
  readonly #commandTimeoutMs: number;
  readonly #clock: Clock;

  constructor(options: RedisLastSuccessStoreOptions) {
    this.#redis = options.redis;
    this.#keyPrefix = options.keyPrefix ?? 'backup:last:';
    this.#ttlMs =
      options.ttlMs === undefined
        ? undefined
        : Math.ceil(checkPositiveMs('RedisLastSuccessStore ttlMs', options.ttlMs));
    this.#commandTimeoutMs = checkPositiveMs(
      'RedisLastSuccessStore commandTimeoutMs',
      options.commandTimeoutMs ?? 1_000,
    );
    this.#clock = options.clock ?? systemClock;
  }

  async get(deviceId: string, signal?: AbortSignal): Promise<number | undefined> {
    const key = this.keyOf(deviceId);
    const value = await sendCommand(
      this.#redis,
      `Could not read ${key}`,
      () => this.#redis.get(key),
      this.#deadline(signal),
    );
    return parseLastSuccess(value);
  }

  /** The Redis key of a device's record. @internal */
  keyOf(deviceId: string): string {
    return this.#keyPrefix + deviceId;
  }

  async set(deviceId: string, atMs: number, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (!Number.isFinite(atMs) || atMs < 0) {
      throw new RangeError(`A last-success time must be ms since the epoch, got ${String(atMs)}`);
    }
    const key = this.#keyPrefix + deviceId;
    const value = String(Math.round(atMs));
    const ttlMs = this.#ttlMs;
    await sendCommand(
      this.#redis,
      `Could not write ${key}`,
      () =>
        ttlMs === undefined
          ? this.#redis.set(key, value)
          : this.#redis.set(key, value, 'PX', ttlMs),
      this.#deadline(signal),
    );
  }

  #deadline(signal: AbortSignal | undefined): CommandDeadline {
    return { clock: this.#clock, timeoutMs: this.#commandTimeoutMs, signal };
  }
}

/**
 * A stored last-success value as ms since the epoch; `undefined` for no record or a value that is
 * not a whole number of ms. @internal
 */
export function parseLastSuccess(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const atMs = Number(value);
  return Number.isSafeInteger(atMs) ? atMs : undefined;
}
