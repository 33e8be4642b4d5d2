import { SteppedBackoff, type BackoffPolicy } from '../core/backoff.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type {
  CredentialProvider,
  DeviceSource,
  HostKeyPinning,
  LastSuccessStore,
  Locker,
  OnlineGate,
  SnapshotPublisher,
} from '../core/ports.js';
import { createCollectorRegistry, type CollectorRegistry } from '../collectors/registry.js';
import type { Device } from '../core/device.js';
import type { AlgorithmsOption } from '../ssh/algorithms.js';
import { JumpHostPool } from '../ssh/jump-hosts.js';
import { collectConfig, type CollectOptions, type CollectResult } from '../ssh/collect.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The same signature as {@link collectConfig}: what the scheduler calls to collect one device. */
export type CollectFunction = (options: CollectOptions) => Promise<CollectResult>;

/** Options of {@link BackupScheduler}. */
export interface BackupSchedulerOptions {
  /** Where devices come from; re-read every `refreshIntervalMs`, and before each attempt if it has `get`. */
  devices: DeviceSource;
  /** Credentials per device, read before each attempt. */
  credentials: CredentialProvider;
  /** Where snapshots go. An attempt succeeds only when the publisher acknowledged its snapshot. */
  publisher: SnapshotPublisher;
  /** Host-key pins: a store, or `{ updater }` when pins live beside the device rows. */
  hostKeys?: HostKeyPinning;
  /** Skips devices known to be offline. */
  onlineGate?: OnlineGate;
  /** Keeps several poller instances off the same device (e.g. `RedisLocker`). */
  locker?: Locker;
  /** Shares the time of each device's last success between instances (e.g. `RedisLastSuccessStore`). */
  lastSuccess?: LastSuccessStore;
  clock?: Clock;
  logger?: Logger;
  /** The vendors known. Default: the built-in collectors. */
  collectors?: CollectorRegistry;
  /** Delay before a retry after failures. Default 5 min, 15 min, then 1 h. */
  backoff?: BackoffPolicy;
  /** Replaces the SSH collection, e.g. with `FakeCollector` from `confsnap/testing`. */
  collect?: CollectFunction;
  /**
   * SSH algorithms for every device (`'legacy'` for old devices). A device's own
   * `ssh.algorithms` wins for it — `'legacy'` on the few devices that need it keeps weak crypto off
   * the rest. Jump hosts always use this one.
   */
  algorithms?: AlgorithmsOption;
  /**
   * Mask every device's secrets to `<secret hidden>` before hashing and publishing (SPEC §9;
   * snapshots then say `secrets_masked: true`). A device's own `maskSecrets` wins. Default false.
   */
  maskSecrets?: boolean;
  /**
   * The shared connections to jump hosts, for devices with `via` (SPEC §8). Default: a pool of the
   * scheduler's own, with hop credentials from `credentials` (asked with a record whose vendor is
   * `'jump-host'`), hop pins in `hostKeys`, and the scheduler's clock, logger and algorithms.
   * Either way it is closed at `stop()`.
   */
  jumpHosts?: JumpHostPool;
  /** Time between regular backups of a device. Default 6 h. */
  intervalMs?: number;
  /** Range of the random delay of a device's first attempt after it joins. Default [30 s, 300 s]. */
  initialJitterMs?: readonly [minMs: number, maxMs: number];
  /** Devices worked on at once. Default 10. */
  concurrency?: number;
  /** Time between re-reads of the device list. Default 60 s. */
  refreshIntervalMs?: number;
  /**
   * One deadline for TCP connect + key exchange + login, per attempt. Default 20 s. This, the
   * command timeout, the time limit and the keepalive yield to a device's own `device.ssh`.
   */
  connectTimeoutMs?: number;
  /** Deadline of each command (and of the prompt). Default 60 s. */
  commandTimeoutMs?: number;
  /** SSH keepalive interval of each device session, in ms; `0`: none. Default 0. */
  keepaliveIntervalMs?: number;
  /**
   * Hard limit of one attempt and of every port call in it, counted from the attempt's start;
   * waiting for a slot or for another instance's lock does not count. It also bounds each read of
   * the device list. Default 300 s. The lock's TTL is this plus 30 s. A device's own
   * `ssh.timeLimitMs` replaces it for that device's attempts (its lock TTL and trigger lock wait
   * follow).
   */
  timeLimitMs?: number;
  maxOutputBytes?: number;
  /** What to do when the lock backend is unreachable. Default `proceed` (with a `warning` event). */
  onLockUnavailable?: 'proceed' | 'skip';
  /**
   * TTL of the lock `backup:device:<id>`, so a crashed instance's lock expires on its own. Default
   * `timeLimitMs` + 30 s. The lock is extended every third of its TTL from the moment it is taken
   * until it is released (also while a trigger waits for a slot), and the attempt stops if the
   * lock is lost.
   */
  lockTtlMs?: number;
  /** How long a manual trigger waits for a lock held by another instance. Default `timeLimitMs`. */
  triggerLockWaitMs?: number;
  /** How long `stop()` lets running attempts finish before aborting them. Default 30 s. */
  stopGraceMs?: number;
  /**
   * How far in the future a device's recorded last success (`lastSuccess`) may lie and still be
   * believed: the clocks of poller instances differ a little. A time further ahead is ignored with
   * a `warning` (`last-success-in-future`): it neither makes the device look fresh nor unblocks it.
   * Default 5 min.
   */
  clockSkewAllowanceMs?: number;
  /** Random source in [0, 1) for the jitter; inject one for deterministic tests. */
  random?: () => number;
}

/**
 * Every option of {@link BackupSchedulerOptions} with its default filled in and checked: what the
 * rest of the scheduler reads, so no default or check is written twice.
 */
export interface SchedulerSettings {
  readonly devices: DeviceSource;
  readonly credentials: CredentialProvider;
  readonly publisher: SnapshotPublisher;
  readonly hostKeys: HostKeyPinning | undefined;
  readonly onlineGate: OnlineGate | undefined;
  readonly locker: Locker | undefined;
  readonly lastSuccess: LastSuccessStore | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly collectors: CollectorRegistry;
  readonly backoff: BackoffPolicy;
  readonly collect: CollectFunction;
  readonly algorithms: AlgorithmsOption | undefined;
  /** The shared hop connections, closed at `stop()`. */
  readonly jumpHosts: JumpHostPool;
  readonly intervalMs: number;
  readonly initialJitterMs: readonly [minMs: number, maxMs: number];
  readonly concurrency: number;
  readonly refreshIntervalMs: number;
  readonly connectTimeoutMs: number | undefined;
  readonly commandTimeoutMs: number | undefined;
  readonly keepaliveIntervalMs: number | undefined;
  readonly timeLimitMs: number;
  readonly maxOutputBytes: number | undefined;
  /** Whether devices without their own `maskSecrets` are masked. */
  readonly maskSecrets: boolean;
  readonly onLockUnavailable: 'proceed' | 'skip';
  /** The lock TTL of a device without its own time limit (see `attemptLimitsOf`). */
  readonly lockTtlMs: number;
  /** `lockTtlMs` as given, when it was: it then holds for every device. */
  readonly lockTtlMsGiven: number | undefined;
  readonly triggerLockWaitMs: number;
  /** `triggerLockWaitMs` as given, when it was: it then holds for every device. */
  readonly triggerLockWaitMsGiven: number | undefined;
  readonly stopGraceMs: number;
  readonly clockSkewAllowanceMs: number;
  readonly random: () => number;
}

/**
 * Checks `options` and fills in every default (SPEC §2: interval ≤ 0, concurrency < 1 and a jitter
 * min above its max are rejected).
 *
 * @throws {RangeError} or {TypeError} when an option is invalid; the message names it.
 * @example
 * ```ts
 * resolveSettings({ devices, credentials, publisher }).intervalMs; // 21_600_000 (6 h)
 * ```
 */
export function resolveSettings(options: BackupSchedulerOptions): SchedulerSettings {
  const o = options;
  requireObject(o, 'options');
  requireMethod(o.devices, 'list', 'devices');
  requireMethod(o.credentials, 'get', 'credentials');
  requireMethod(o.publisher, 'publish', 'publisher');
  const intervalMs = positive(o.intervalMs, 6 * HOUR, 'intervalMs');
  const refreshIntervalMs = positive(o.refreshIntervalMs, MINUTE, 'refreshIntervalMs');
  const timeLimitMs = positive(o.timeLimitMs, 5 * MINUTE, 'timeLimitMs');
  const connectTimeoutMs = optionalPositive(o.connectTimeoutMs, 'connectTimeoutMs');
  const commandTimeoutMs = optionalPositive(o.commandTimeoutMs, 'commandTimeoutMs');
  const keepaliveIntervalMs =
    o.keepaliveIntervalMs === undefined
      ? undefined
      : nonNegative(o.keepaliveIntervalMs, 0, 'keepaliveIntervalMs');
  const maxOutputBytes = optionalPositive(o.maxOutputBytes, 'maxOutputBytes');
  const triggerLockWaitMs = nonNegative(o.triggerLockWaitMs, timeLimitMs, 'triggerLockWaitMs');
  const stopGraceMs = nonNegative(o.stopGraceMs, 30_000, 'stopGraceMs');
  const clockSkewAllowanceMs = nonNegative(
    o.clockSkewAllowanceMs,
    5 * MINUTE,
    'clockSkewAllowanceMs',
  );
  const lockTtlMs = positive(o.lockTtlMs, timeLimitMs + 30_000, 'lockTtlMs');
  const concurrency = o.concurrency ?? 10;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `BackupScheduler: concurrency must be an integer >= 1, got ${String(concurrency)}`,
    );
  }
  const [minMs, maxMs] = o.initialJitterMs ?? [30_000, 300_000];
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs >= 0)) {
    throw new RangeError('BackupScheduler: initialJitterMs must be two finite numbers >= 0');
  }
  if (minMs > maxMs) {
    throw new RangeError(
      `BackupScheduler: initialJitterMs min (${minMs}) must be <= max (${maxMs})`,
    );
  }
  if (o.maskSecrets !== undefined && typeof o.maskSecrets !== 'boolean') {
    throw new TypeError(
      `BackupScheduler: maskSecrets must be true or false, got ${JSON.stringify(o.maskSecrets)}`,
    );
  }
  const onLockUnavailable = o.onLockUnavailable ?? 'proceed';
  if (onLockUnavailable !== 'proceed' && onLockUnavailable !== 'skip') {
    throw new RangeError(
      `BackupScheduler: onLockUnavailable must be 'proceed' or 'skip', got ${String(onLockUnavailable)}`,
    );
  }
  return {
    devices: o.devices,
    credentials: o.credentials,
    publisher: o.publisher,
    hostKeys: o.hostKeys,
    onlineGate: o.onlineGate,
    locker: o.locker,
    lastSuccess: o.lastSuccess,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
    collectors: o.collectors ?? createCollectorRegistry(),
    backoff: o.backoff ?? new SteppedBackoff(),
    collect: o.collect ?? collectConfig,
    algorithms: o.algorithms,
    jumpHosts:
      o.jumpHosts ??
      new JumpHostPool({
        credentials: o.credentials,
        ...(o.hostKeys ? { hostKeys: o.hostKeys } : {}),
        ...(o.algorithms ? { algorithms: o.algorithms } : {}),
        clock: o.clock ?? systemClock,
        logger: o.logger ?? silentLogger,
      }),
    intervalMs,
    initialJitterMs: [minMs, maxMs],
    concurrency,
    refreshIntervalMs,
    connectTimeoutMs,
    commandTimeoutMs,
    keepaliveIntervalMs,
    timeLimitMs,
    maxOutputBytes,
    maskSecrets: o.maskSecrets === true,
    onLockUnavailable,
    lockTtlMs,
    lockTtlMsGiven: o.lockTtlMs,
    triggerLockWaitMs,
    triggerLockWaitMsGiven: o.triggerLockWaitMs,
    stopGraceMs,
    clockSkewAllowanceMs,
    random: o.random ?? Math.random,
  };
}

/** The limits of one attempt of one device. */
export interface AttemptLimits {
  /** The attempt's time budget (SPEC §1.8). */
  readonly timeLimitMs: number;
  /** The TTL its lock is taken and extended with. */
  readonly lockTtlMs: number;
  /** How long a manual trigger waits for another instance's lock. */
  readonly triggerLockWaitMs: number;
}

/**
 * The limits of `device`'s attempts: its own `ssh.timeLimitMs` when it has one (checked with the
 * record), else the scheduler's; the lock TTL (time limit + 30 s) and a trigger's lock wait (the
 * time limit) follow it, unless `lockTtlMs` / `triggerLockWaitMs` were given, which hold for all.
 *
 * @example
 * ```ts
 * attemptLimitsOf(settings, { id: 'big', host: 'big', vendor: 'cisco-ios', ssh: { timeLimitMs: 900_000 } });
 * // { timeLimitMs: 900_000, lockTtlMs: 930_000, triggerLockWaitMs: 900_000 }
 * ```
 */
export function attemptLimitsOf(settings: SchedulerSettings, device: Device): AttemptLimits {
  const own = device.ssh?.timeLimitMs;
  if (own === undefined) {
    return {
      timeLimitMs: settings.timeLimitMs,
      lockTtlMs: settings.lockTtlMs,
      triggerLockWaitMs: settings.triggerLockWaitMs,
    };
  }
  return {
    timeLimitMs: own,
    lockTtlMs: settings.lockTtlMsGiven ?? own + 30_000,
    triggerLockWaitMs: settings.triggerLockWaitMsGiven ?? own,
  };
}

function requireObject(value: unknown, name: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`BackupScheduler: ${name} must be an object`);
  }
}

function requireMethod(value: unknown, method: string, name: string): void {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Record<string, unknown>)[method] !== 'function'
  ) {
    throw new TypeError(`BackupScheduler: options.${name} must have a ${method}() method`);
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `BackupScheduler: ${name} must be a positive number of ms, got ${String(value)}`,
    );
  }
  return value;
}

function optionalPositive(value: number | undefined, name: string): number | undefined {
  return value === undefined ? undefined : positive(value, 0, name);
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`BackupScheduler: ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}
