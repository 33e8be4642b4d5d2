import { abortReason } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Device } from '../core/device.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { OnlineGate, OnlineStatus } from '../core/ports.js';
import type { RedisClient } from './client.js';
import { checkPositiveMs, describeFailure, sendCommand } from './command.js';
import { OutageLog } from './outage-log.js';

/** Options of {@link RedisOnlineGate}. */
export interface RedisOnlineGateOptions {
  /** The service's connected ioredis client (anything with `status` and `get`). Not closed here. */
  redis: Pick<RedisClient, 'status' | 'get'>;
  /**
   * Prepended to `device:<deviceId>:status`, for a Redis shared with other systems. Default `''`.
   * (A `keyPrefix` set on the ioredis client itself applies as well.)
   */
  keyPrefix?: string;
  /** How long one status read may take before the answer is `unknown`. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Where the command timeout is measured. Default `systemClock`. */
  clock?: Clock;
  /** Receives one warning per Redis outage and one info line when it ends. Default silent. */
  logger?: Logger;
}

/**
 * An {@link OnlineGate} that reads the status the service's device monitor keeps in Redis, at
 * `device:<deviceId>:status`: exactly `"online"` is online, any other value is offline, a missing
 * key is unknown.
 *
 * It fails fast and never throws for Redis' sake: when the client is not ready it answers `unknown`
 * at once without queuing a command, and when Redis does not answer within `commandTimeoutMs` it
 * answers `unknown` then. Such an outage is logged once (warn) when it starts and once (info) when a
 * read succeeds again. It rejects only with `signal.reason` when `signal` aborts.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisOnlineGate } from 'confsnap/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false });
 * const onlineGate = new RedisOnlineGate({ redis, logger });
 * await onlineGate.check(device); // 'online' | 'offline' | 'unknown'
 * ```
 */
export class RedisOnlineGate implements OnlineGate {
  readonly #redis: Pick<RedisClient, 'status' | 'get'>;
  readonly #keyPrefix: string;
  readonly #commandTimeoutMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #outage: OutageLog;

  constructor(options: RedisOnlineGateOptions) {
    this.#redis = options.redis;
    this.#keyPrefix = options.keyPrefix ?? '';
    this.#commandTimeoutMs = checkPositiveMs(
      'RedisOnlineGate commandTimeoutMs',
      options.commandTimeoutMs ?? 1_000,
    );
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#outage = new OutageLog(
      this.#logger,
      this.#clock,
      'RedisOnlineGate',
      'device online status reads as unknown (backups proceed)',
    );
  }

  async check(device: Device, signal?: AbortSignal): Promise<OnlineStatus> {
    const key = `${this.#keyPrefix}device:${device.id}:status`;
    let value: string | null;
    try {
      value = await sendCommand(this.#redis, `Could not read ${key}`, () => this.#redis.get(key), {
        clock: this.#clock,
        timeoutMs: this.#commandTimeoutMs,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (isReplyError(error)) {
        // Redis is up but refused this read (e.g. the key holds a hash): a data problem of this
        // device, not an outage.
        this.#outage.answered();
        this.#logger.warn(
          { component: 'RedisOnlineGate', deviceId: device.id, key, error: describeFailure(error) },
          'Redis refused to read the device status; counting it as unknown',
        );
      } else {
        this.#outage.failed(error);
      }
      return 'unknown';
    }
    this.#outage.answered();
    if (value === null) return 'unknown';
    return value === 'online' ? 'online' : 'offline';
  }
}

/** An error reply from the server (ioredis' `ReplyError`), as opposed to no reply at all. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}
