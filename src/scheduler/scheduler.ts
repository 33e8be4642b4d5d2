import { EventEmitter } from 'eventemitter3';
import {
  abortReason,
  linkedAbortController,
  raceSignal,
  unlimitedController,
} from '../core/abort.js';
import { SteppedBackoff, type BackoffPolicy } from '../core/backoff.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Device } from '../core/device.js';
import { BackupError, isBackupError, type BackupErrorKind } from '../core/errors.js';
import { MinHeap } from '../core/heap.js';
import { uniformJitter } from '../core/jitter.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { Semaphore } from '../core/semaphore.js';
import { startTimer } from '../core/timer.js';
import { createCollectorRegistry, type CollectorRegistry } from '../collectors/registry.js';
import {
  createSnapshot,
  createSnapshotOfNormalized,
  type PublishReceipt,
  type Snapshot,
  type SnapshotPublisher,
} from '../publish/snapshot.js';
import type { AlgorithmsOption } from '../ssh/algorithms.js';
import { collectConfig, type CollectOptions, type CollectResult } from '../ssh/collect.js';
import { JumpHostPool } from '../ssh/jump-hosts.js';
import { canonicalFingerprint } from '../ssh/fingerprint.js';
import { isUpdaterPinning, type HostKeyPinning } from '../ssh/host-keys.js';
import type {
  AttemptCause,
  SchedulerEvents,
  SkipReason,
  UnblockReason,
  WarningCode,
} from './events.js';
import type { CredentialProvider, DeviceSource, VersionedCredentials } from './sources.js';
import {
  isLockUnavailableError,
  type LastSuccessStore,
  type Lock,
  type Locker,
  type OnlineGate,
} from '../core/ports.js';
import { checkDeviceRecord } from './validate.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The longest single sleep of the timer loop (about 24 days, the limit of `setTimeout`). */
const MAX_SLEEP_MS = 2_147_483_647;

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
  /** SSH algorithms for every device (`'legacy'` for old devices). */
  algorithms?: AlgorithmsOption;
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
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /**
   * Hard limit of one attempt and of every port call in it, counted from the attempt's start;
   * waiting for a slot or for another instance's lock does not count. It also bounds each read of
   * the device list. Default 300 s. The lock's TTL is this plus 30 s.
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

/** Where a device stands. */
export type DeviceState = 'idle' | 'waiting' | 'running' | 'backoff' | 'blocked' | 'offline';

/** One device's schedule and history, from {@link BackupScheduler.status}. */
export interface DeviceStatus {
  deviceId: string;
  vendor: string;
  tenantId: string | undefined;
  state: DeviceState;
  lastAttemptAt: Date | undefined;
  lastSuccessAt: Date | undefined;
  lastErrorKind: BackupErrorKind | undefined;
  lastErrorMessage: string | undefined;
  consecutiveFailures: number;
  nextAttemptAt: Date | undefined;
  lastSha256: string | undefined;
}

/** What one attempt came to, from {@link BackupScheduler.trigger}. */
export interface AttemptOutcome {
  status: 'success' | 'failed' | 'skipped' | 'locked';
  kind?: BackupErrorKind;
  sha256?: string;
  changed?: boolean;
  reason?: SkipReason;
  /** For failures and skips: what happened, without secrets. */
  message?: string;
}

/** Counters from {@link BackupScheduler.stats}. */
export interface SchedulerStats {
  devices: number;
  blocked: number;
  /** Attempts holding a concurrency slot now. */
  inFlight: number;
  /** Attempts due and waiting for a slot. */
  queueLength: number;
  outcomes: { success: number; failed: number; skipped: number; locked: number };
  skipped: Record<SkipReason, number>;
  failures: Partial<Record<BackupErrorKind, number>>;
  /** The publisher's own counters (e.g. the NATS outbox), when it has a `stats()`. */
  publisher?: unknown;
}

interface BlockCause {
  kind: BackupErrorKind;
  /** When the device was blocked: a success recorded by another instance after it unblocks. */
  at: number;
  credentialVersion: string | undefined;
  pin: string | undefined;
}

/** A device's record in the schedule. A class keeps one hidden shape for 100 000 of them. */
class Entry {
  gen = 0;
  nextAt: number | undefined = undefined;
  nextCause: AttemptCause = 'schedule';
  /** When the next regular (non-retry) attempt is due. */
  regularAt = 0;
  state: DeviceState = 'idle';
  lastAttemptAt: number | undefined = undefined;
  lastSuccessAt: number | undefined = undefined;
  lastErrorKind: BackupErrorKind | undefined = undefined;
  lastErrorMessage: string | undefined = undefined;
  failures = 0;
  lastSha256: string | undefined = undefined;
  blocked: BlockCause | undefined = undefined;
  running: Promise<AttemptOutcome> | undefined = undefined;
  runningCause: AttemptCause | undefined = undefined;
  controller: AbortController | undefined = undefined;
  removed = false;
  /** The last future `backup:last` value warned about, so it is reported once. */
  futureLastSuccessReported: number | undefined = undefined;
  /**
   * The freshest host-key pin this process knows (SPEC §1.9): from the newest record read, or the
   * key it pinned itself — whichever is newer by `pinReadSeq`.
   */
  pin: string | undefined = undefined;
  /** The read sequence number `pin` is as fresh as; records from older reads do not replace it. */
  pinReadSeq = -1;

  constructor(
    readonly id: string,
    public device: Device,
  ) {}
}

/** One attempt in progress, as stop() sees it. */
interface AttemptHandle {
  readonly controller: AbortController;
  /** False while it waits (device, gate, slot, lock); true once it works on the device. */
  working: boolean;
  lockRelease: Lock | undefined;
}

interface TimerNode {
  at: number;
  gen: number;
  entry: Entry;
}

/**
 * An attempt's time limit: it runs from the attempt's start and is paused only while the attempt
 * waits its turn (for a concurrency slot, or between tries of a lock another instance holds). When
 * it runs out, `onExpired` is called once.
 */
class TimeBudget {
  #remainingMs: number;
  #resumedAt: number | undefined;
  #cancel: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    limitMs: number,
    private readonly onExpired: () => void,
  ) {
    this.#remainingMs = limitMs;
  }

  /** Starts (or goes on) counting down. */
  resume(): void {
    if (this.#resumedAt !== undefined) return;
    this.#resumedAt = this.clock.now();
    this.#cancel = startTimer(this.clock, Math.max(0, this.#remainingMs), this.onExpired);
  }

  /** Stops counting down until {@link resume}. */
  pause(): void {
    if (this.#resumedAt === undefined) return;
    this.#remainingMs -= this.clock.now() - this.#resumedAt;
    this.#resumedAt = undefined;
    this.#cancel?.();
    this.#cancel = undefined;
  }
}

/**
 * Backs up every device of a {@link DeviceSource} on its own schedule: a random first attempt after
 * it joins, then every `intervalMs`; real retries after failures; devices that failed
 * authentication or presented another host key are blocked until what caused it changes. It holds
 * one timer for the whole fleet.
 *
 * @example
 * ```ts
 * const scheduler = new BackupScheduler({
 *   devices,
 *   credentials,
 *   publisher: new NatsSnapshotPublisher({ connection: nc }),
 *   hostKeys: { updater },
 *   locker: new RedisLocker({ redis }),
 *   lastSuccess: new RedisLastSuccessStore({ redis }),
 * });
 * scheduler.on('backup:failure', (e) => log.warn(e, 'backup failed'));
 * await scheduler.start();
 * // …
 * await scheduler.stop();
 * ```
 */
export class BackupScheduler extends EventEmitter<SchedulerEvents> {
  readonly #devices: DeviceSource;
  readonly #credentials: CredentialProvider;
  readonly #publisher: SnapshotPublisher;
  readonly #hostKeys: HostKeyPinning | undefined;
  readonly #onlineGate: OnlineGate | undefined;
  readonly #locker: Locker | undefined;
  readonly #lastSuccess: LastSuccessStore | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #collectors: CollectorRegistry;
  readonly #backoff: BackoffPolicy;
  readonly #collect: CollectFunction;
  // Jump hosts: the scheduler's shared hop connections, closed at stop().
  readonly #jumpHosts: JumpHostPool;
  readonly #algorithms: AlgorithmsOption | undefined;
  readonly #intervalMs: number;
  readonly #jitterMs: readonly [number, number];
  readonly #refreshIntervalMs: number;
  readonly #connectTimeoutMs: number | undefined;
  readonly #commandTimeoutMs: number | undefined;
  readonly #timeLimitMs: number;
  readonly #maxOutputBytes: number | undefined;
  readonly #onLockUnavailable: 'proceed' | 'skip';
  readonly #triggerLockWaitMs: number;
  readonly #lockTtlMs: number;
  readonly #stopGraceMs: number;
  readonly #clockSkewAllowanceMs: number;
  readonly #random: () => number;
  readonly #semaphore: Semaphore;

  readonly #entries = new Map<string, Entry>();
  readonly #timers = new MinHeap<TimerNode>((a, b) => a.at < b.at);
  readonly #inFlight = new Set<Promise<AttemptOutcome>>();
  readonly #attempts = new Set<AttemptHandle>();
  readonly #lockReleases = new Set<Promise<void>>();
  readonly #reportedProblems = new Set<string>();
  // Every attempt listens to this signal: thousands at once is normal, not a leak.
  readonly #stop = unlimitedController();
  #wake: AbortController | undefined;
  #sleepingUntil = Number.POSITIVE_INFINITY;
  #started = false;
  #stopped: Promise<void> | undefined;
  #loops: Promise<void>[] = [];
  #queueLength = 0;
  #running = 0;
  /** Numbers every read of device records and every pin this process stores, in order. */
  #readSeq = 0;
  readonly #outcomes = { success: 0, failed: 0, skipped: 0, locked: 0 };
  readonly #skips: Record<SkipReason, number> = {
    offline: 0,
    locked: 0,
    fresh: 0,
    blocked: 0,
  };
  readonly #failureKinds: Partial<Record<BackupErrorKind, number>> = {};

  /** @throws {RangeError} or {TypeError} when an option is invalid; the message names it. */
  constructor(options: BackupSchedulerOptions) {
    super();
    const o = options;
    requireObject(o, 'options');
    requireMethod(o.devices, 'list', 'devices');
    requireMethod(o.credentials, 'get', 'credentials');
    requireMethod(o.publisher, 'publish', 'publisher');
    this.#intervalMs = positive(o.intervalMs, 6 * HOUR, 'intervalMs');
    this.#refreshIntervalMs = positive(o.refreshIntervalMs, MINUTE, 'refreshIntervalMs');
    this.#timeLimitMs = positive(o.timeLimitMs, 5 * MINUTE, 'timeLimitMs');
    this.#connectTimeoutMs = optionalPositive(o.connectTimeoutMs, 'connectTimeoutMs');
    this.#commandTimeoutMs = optionalPositive(o.commandTimeoutMs, 'commandTimeoutMs');
    this.#maxOutputBytes = optionalPositive(o.maxOutputBytes, 'maxOutputBytes');
    this.#triggerLockWaitMs = nonNegative(
      o.triggerLockWaitMs,
      this.#timeLimitMs,
      'triggerLockWaitMs',
    );
    this.#stopGraceMs = nonNegative(o.stopGraceMs, 30_000, 'stopGraceMs');
    this.#clockSkewAllowanceMs = nonNegative(
      o.clockSkewAllowanceMs,
      5 * MINUTE,
      'clockSkewAllowanceMs',
    );
    this.#lockTtlMs = positive(o.lockTtlMs, this.#timeLimitMs + 30_000, 'lockTtlMs');
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
    const onLockUnavailable = o.onLockUnavailable ?? 'proceed';
    if (onLockUnavailable !== 'proceed' && onLockUnavailable !== 'skip') {
      throw new RangeError(
        `BackupScheduler: onLockUnavailable must be 'proceed' or 'skip', got ${String(onLockUnavailable)}`,
      );
    }
    this.#devices = o.devices;
    this.#credentials = o.credentials;
    this.#publisher = o.publisher;
    this.#hostKeys = o.hostKeys;
    this.#onlineGate = o.onlineGate;
    this.#locker = o.locker;
    this.#lastSuccess = o.lastSuccess;
    this.#clock = o.clock ?? systemClock;
    this.#logger = o.logger ?? silentLogger;
    this.#collectors = o.collectors ?? createCollectorRegistry();
    this.#backoff = o.backoff ?? new SteppedBackoff();
    this.#collect = o.collect ?? collectConfig;
    this.#algorithms = o.algorithms;
    // Jump hosts: one pool for every device behind a hop.
    this.#jumpHosts =
      o.jumpHosts ??
      new JumpHostPool({
        credentials: o.credentials,
        ...(o.hostKeys ? { hostKeys: o.hostKeys } : {}),
        ...(o.algorithms ? { algorithms: o.algorithms } : {}),
        clock: this.#clock,
        logger: this.#logger,
      });
    this.#jitterMs = [minMs, maxMs];
    this.#onLockUnavailable = onLockUnavailable;
    this.#random = o.random ?? Math.random;
    this.#semaphore = new Semaphore(concurrency);
  }

  /**
   * Reads the device list and starts the schedule. A failing first read is reported as a
   * `refresh:error` event and retried at the next refresh; `start()` still resolves.
   */
  async start(): Promise<void> {
    if (this.#stopped)
      throw new Error('BackupScheduler: a stopped scheduler cannot be started again');
    if (this.#started) return;
    this.#started = true;
    await this.refresh();
    this.#loops = [this.#timerLoop(), this.#refreshLoop()];
  }

  /**
   * Re-reads the device list now: new devices join, removed devices stop (an attempt in flight is
   * aborted), changed records take effect at their next attempt. Resolves false when the list could
   * not be read (a `refresh:error` event tells why; the current devices are kept).
   */
  async refresh(): Promise<boolean> {
    let list: readonly Device[];
    const bound = this.#portBound(
      undefined,
      `the device source did not answer within timeLimitMs (${this.#timeLimitMs} ms)`,
    );
    const readSeq = ++this.#readSeq;
    try {
      list = await callPort(() => this.#devices.list(bound.signal), bound.signal);
      if (!Array.isArray(list)) throw new TypeError('DeviceSource.list() did not return an array');
    } catch (error) {
      if (this.#stop.signal.aborted) return false;
      this.#emit('refresh:error', {
        deviceId: undefined,
        error,
        message: `reading the device list failed (${errorText(error)}); keeping the current ${this.#entries.size} devices`,
      });
      return false;
    } finally {
      bound.dispose();
    }
    if (this.#stop.signal.aborted) return false;
    this.#reconcile(list, readSeq);
    return true;
  }

  /**
   * Backs a device up now, bypassing the online gate, the interval and a block, but still within
   * the concurrency limit and the lock (waiting up to `triggerLockWaitMs` for another instance to
   * finish). If the device is being backed up already, resolves with that attempt's outcome. A
   * success unblocks a blocked device.
   */
  async trigger(
    deviceId: string,
    options: { signal?: AbortSignal; tenantId?: string } = {},
  ): Promise<AttemptOutcome> {
    const unknown: AttemptOutcome = { status: 'failed', message: `unknown device ${deviceId}` };
    const stopped: AttemptOutcome = {
      status: 'failed',
      kind: 'cancelled',
      message: 'the scheduler is stopped',
    };
    if (this.#stopped || this.#stop.signal.aborted) return stopped;
    let entry = this.#entries.get(deviceId);
    if (!entry && this.#devices.get) {
      const bound = this.#portBound(
        options.signal,
        `the device source did not answer within timeLimitMs (${this.#timeLimitMs} ms)`,
      );
      const readSeq = ++this.#readSeq;
      const device = await callPort(() => this.#devices.get!(deviceId, bound.signal), bound.signal)
        .catch(() => undefined)
        .finally(() => bound.dispose());
      if (this.#stop.signal.aborted) return stopped;
      // A refresh may have added the device meanwhile; never add a second copy of it.
      entry = this.#entries.get(deviceId);
      if (
        !entry &&
        !this.#stop.signal.aborted &&
        device?.id === deviceId &&
        checkDeviceRecord(device) === undefined &&
        this.#collectors.has(device.vendor)
      ) {
        entry = this.#add(device, readSeq);
      }
    }
    if (!entry) return unknown;
    if (options.tenantId !== undefined && (entry.device.tenantId ?? '') !== options.tenantId) {
      return unknown;
    }
    // A scheduled attempt in progress may still skip (gate, freshness): let it end, then run ours.
    while (entry.running) {
      if (entry.runningCause === 'manual') return raceSignal(entry.running, options.signal);
      // stop() ends this wait at once: after it, no attempt may start.
      const wait = linkedAbortController(options.signal, this.#stop.signal);
      try {
        await raceSignal(entry.running, wait.controller.signal);
      } catch (error) {
        if (this.#stop.signal.aborted && !options.signal?.aborted) return stopped;
        throw error;
      } finally {
        wait.dispose();
      }
    }
    if (this.#stop.signal.aborted) return stopped;
    if (entry.removed) return unknown;
    return this.#launch(entry, 'manual', options.signal);
  }

  /** Unblocks a device blocked by `auth-failed` or `host-key-mismatch` and schedules it now. */
  unblock(deviceId: string): boolean {
    const entry = this.#entries.get(deviceId);
    if (!entry?.blocked) return false;
    this.#unblock(entry, 'manual');
    this.#schedule(entry, this.#clock.now(), 'schedule');
    return true;
  }

  /** One device's status, or `undefined` for an unknown id. */
  status(deviceId: string): DeviceStatus | undefined;
  /** Every device's status. */
  status(): DeviceStatus[];
  status(deviceId?: string): DeviceStatus | DeviceStatus[] | undefined {
    if (deviceId !== undefined) {
      const entry = this.#entries.get(deviceId);
      return entry && statusOf(entry);
    }
    return [...this.#entries.values()].map(statusOf);
  }

  /** Counters per outcome and error kind, attempts in flight and waiting. */
  stats(): SchedulerStats {
    let blocked = 0;
    for (const entry of this.#entries.values()) if (entry.blocked) blocked++;
    const publisherStats = (this.#publisher as { stats?: () => unknown }).stats;
    return {
      devices: this.#entries.size,
      blocked,
      inFlight: this.#running,
      queueLength: this.#queueLength,
      outcomes: { ...this.#outcomes },
      skipped: { ...this.#skips },
      failures: { ...this.#failureKinds },
      ...(typeof publisherStats === 'function'
        ? { publisher: publisherStats.call(this.#publisher) }
        : {}),
    };
  }

  /**
   * Stops the schedule: no new attempt starts, attempts waiting (for the device, the gate, a slot
   * or a lock) are dropped, running attempts may finish within `graceMs` (default `stopGraceMs`;
   * `graceful: false` means 0) and are aborted after that. A `trigger()` waiting behind a running
   * attempt, or made later, settles as `cancelled`. It resolves even when a port never settles.
   * When it resolves, no timer, socket or subscription of the scheduler is left and no attempt
   * starts. The publisher and the injected clients are the caller's to close.
   */
  stop(options: { graceful?: boolean; graceMs?: number } = {}): Promise<void> {
    this.#stopped ??= this.#doStop(
      options.graceful === false ? 0 : (options.graceMs ?? this.#stopGraceMs),
    );
    return this.#stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // ---------------------------------------------------------------------------------------------
  // Device list

  #reconcile(list: readonly Device[], readSeq: number): void {
    const seen = new Set<string>();
    const now = this.#clock.now();
    for (let index = 0; index < list.length; index++) {
      const record = list[index];
      const problem = checkDeviceRecord(record);
      const id = (record as { id?: unknown } | undefined)?.id;
      const deviceId = typeof id === 'string' ? id : undefined;
      if (problem) {
        this.#reportInvalid(deviceId, index, problem.field, problem.message);
        // A known device whose record broke keeps its last good record until it is fixed.
        if (deviceId !== undefined && this.#entries.has(deviceId)) seen.add(deviceId);
        continue;
      }
      const device = record!;
      if (seen.has(device.id)) {
        this.#reportInvalid(
          device.id,
          index,
          'id',
          `duplicates an earlier device's id "${device.id}"`,
        );
        continue;
      }
      if (!this.#collectors.has(device.vendor)) {
        const key = `unsupported:${device.id}:${device.vendor}`;
        if (!this.#reportedProblems.has(key)) {
          this.#reportedProblems.add(key);
          this.#logger.warn(
            { deviceId: device.id, vendor: device.vendor },
            'no collector for this vendor; device ignored',
          );
          this.#emit('device:unsupported', { deviceId: device.id, vendor: device.vendor });
        }
        continue;
      }
      seen.add(device.id);
      const entry = this.#entries.get(device.id);
      if (!entry) {
        this.#add(device, readSeq, now);
        continue;
      }
      entry.device = device;
      this.#learnPin(entry, device, readSeq);
      if (
        entry.blocked?.kind === 'host-key-mismatch' &&
        (entry.pin ?? '') !== (entry.blocked.pin ?? '') &&
        !isStorePinning(this.#hostKeys)
      ) {
        // The operator re-pinned or reset the fingerprint beside the device row.
        this.#unblock(entry, 'host-key');
        this.#schedule(entry, now, 'schedule');
      }
    }
    for (const entry of [...this.#entries.values()]) {
      if (!seen.has(entry.id)) this.#remove(entry);
    }
  }

  #add(device: Device, readSeq: number, now = this.#clock.now()): Entry {
    const entry = new Entry(device.id, device);
    this.#learnPin(entry, device, readSeq);
    this.#entries.set(device.id, entry);
    const firstAttemptAt = now + uniformJitter(this.#jitterMs[0], this.#jitterMs[1], this.#random);
    entry.regularAt = firstAttemptAt;
    this.#schedule(entry, firstAttemptAt, 'schedule');
    this.#emit('device:added', { deviceId: device.id, firstAttemptAt });
    return entry;
  }

  /**
   * Takes the pin of a record read as `readSeq` — unless this process knows a newer one: a key it
   * pinned after that read started. A newer read that shows no pin, or another one, is an
   * operator's reset or re-pin, and wins.
   */
  #learnPin(entry: Entry, device: Device, readSeq: number): void {
    if (readSeq <= entry.pinReadSeq) return;
    entry.pin = pinOf(device);
    entry.pinReadSeq = readSeq;
  }

  /**
   * The record to connect with, carrying the freshest pin known. With a host-key store the store
   * itself is read by the collection and is the freshest; the record is used as it is.
   */
  #withFreshestPin(entry: Entry, device: Device): Device {
    if (isStorePinning(this.#hostKeys) || pinOf(device) === entry.pin) return device;
    return { ...device, hostKeyFingerprint: entry.pin };
  }

  #remove(entry: Entry): void {
    entry.removed = true;
    entry.gen++;
    entry.nextAt = undefined;
    this.#entries.delete(entry.id);
    entry.controller?.abort(
      new BackupError({
        kind: 'cancelled',
        deviceId: entry.id,
        message: `${entry.id}: the device was removed from the device list`,
      }),
    );
    this.#emit('device:removed', { deviceId: entry.id });
  }

  #reportInvalid(
    deviceId: string | undefined,
    index: number,
    field: string,
    message: string,
  ): void {
    // Keyed by device, not position: a record that moves in the list is not reported again.
    const key = `invalid:${deviceId ?? `#${index}`}:${field}:${message}`;
    if (this.#reportedProblems.has(key)) return;
    this.#reportedProblems.add(key);
    this.#logger.warn({ deviceId, index, field }, `invalid device record: ${field} ${message}`);
    this.#emit('device:invalid', {
      deviceId,
      index,
      field,
      message: `device #${index}${deviceId ? ` (${deviceId})` : ''}: ${field} ${message}`,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Timers

  #schedule(entry: Entry, at: number, cause: AttemptCause): void {
    if (entry.removed || this.#stop.signal.aborted) return;
    entry.gen++;
    entry.nextAt = at;
    entry.nextCause = cause;
    this.#timers.push({ at, gen: entry.gen, entry });
    if (at < this.#sleepingUntil) this.#wake?.abort();
  }

  async #timerLoop(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      const node = this.#timers.peek();
      if (node && (node.gen !== node.entry.gen || node.entry.removed)) {
        this.#timers.pop();
        continue;
      }
      const now = this.#clock.now();
      if (node && node.at <= now) {
        this.#timers.pop();
        const entry = node.entry;
        entry.nextAt = undefined;
        if (!entry.running) void this.#launch(entry, entry.nextCause);
        continue;
      }
      const wake = new AbortController();
      const { controller, dispose } = linkedAbortController(stop, wake.signal);
      this.#wake = wake;
      this.#sleepingUntil = node ? node.at : Number.POSITIVE_INFINITY;
      try {
        await this.#clock.sleep(
          node ? Math.min(node.at - now, MAX_SLEEP_MS) : MAX_SLEEP_MS,
          controller.signal,
        );
      } catch {
        // woken early: something was scheduled sooner, or the scheduler stops
      } finally {
        dispose();
        this.#wake = undefined;
        this.#sleepingUntil = Number.POSITIVE_INFINITY;
      }
    }
  }

  async #refreshLoop(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      try {
        await this.#clock.sleep(this.#refreshIntervalMs, stop);
      } catch {
        return;
      }
      await this.refresh();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts

  #launch(entry: Entry, cause: AttemptCause, signal?: AbortSignal): Promise<AttemptOutcome> {
    const promise = this.#attempt(entry, cause, signal).catch((error: unknown): AttemptOutcome => {
      // #attempt handles its failures; reaching here is a bug (or a throwing port in cleanup). It
      // must never crash the service nor drop the device from the schedule.
      this.#logger.error(
        { deviceId: entry.id, error: errorText(error) },
        'unexpected error in a backup attempt',
      );
      if (entry.nextAt === undefined) {
        this.#schedule(
          entry,
          Math.max(entry.regularAt, this.#clock.now() + this.#refreshIntervalMs),
          'schedule',
        );
      }
      return { status: 'failed', message: errorText(error) };
    });
    entry.running = promise;
    entry.runningCause = cause;
    this.#inFlight.add(promise);
    void promise.finally(() => {
      this.#inFlight.delete(promise);
      if (entry.running === promise) {
        entry.running = undefined;
        entry.runningCause = undefined;
      }
    });
    return promise;
  }

  async #attempt(
    entry: Entry,
    cause: AttemptCause,
    callerSignal?: AbortSignal,
  ): Promise<AttemptOutcome> {
    const manual = cause === 'manual';
    // Aborted by removal, by stop() (at once while waiting, after the grace period while working),
    // by a lost lock, or by the caller.
    const attempt: AttemptHandle = {
      controller: new AbortController(),
      working: false,
      lockRelease: undefined,
    };
    entry.controller = attempt.controller;
    this.#attempts.add(attempt);
    const limit = new AbortController();
    const linked = linkedAbortController(attempt.controller.signal, callerSignal, limit.signal);
    const signal = linked.controller.signal;
    const priorState = entry.state;
    let release: (() => void) | undefined;
    let lock: Lock | undefined;
    let stopExtending: (() => void) | undefined;
    let credentials: VersionedCredentials | undefined;
    let device = entry.device;
    let startedAt = this.#clock.now();
    // What the attempt is doing, for the time-limit message: an operator learns which port hung.
    let doing = 'reading the device from the device source';
    // Every port call is bounded by it, from the attempt's start; only waiting for a turn pauses it.
    const budget = new TimeBudget(this.#clock, this.#timeLimitMs, () =>
      limit.abort(
        new BackupError({
          kind: 'time-limit',
          deviceId: entry.id,
          message: `${entry.id}: the backup passed timeLimitMs (${this.#timeLimitMs} ms) while ${doing}, and was aborted`,
          details: { timeLimitMs: this.#timeLimitMs },
        }),
      ),
    );
    budget.resume();
    try {
      if (this.#stop.signal.aborted) throw abortReason(this.#stop.signal);
      device = await this.#freshDevice(entry, signal);
      if (entry.removed) return this.#skipRemoved(entry);

      // A blocked device stays blocked whatever the gate says; its cause is re-checked often.
      if (entry.blocked && !manual) {
        doing = 'checking whether the block still holds';
        const reason = await this.#unblockReason(entry, device, signal);
        if (!reason) return this.#skipBlocked(entry, startedAt);
        this.#unblock(entry, reason);
      }

      if (!manual && this.#onlineGate) {
        doing = 'asking the online gate';
        const online = await this.#checkOnline(device, signal);
        if (online === 'offline') {
          entry.state = 'offline';
          return this.#skip(entry, 'offline', startedAt + this.#intervalMs, 'schedule');
        }
      }

      // A manual trigger waits for another instance's lock without holding a slot meanwhile.
      if (this.#locker && manual) {
        doing = 'taking the lock';
        const taken = await this.#takeLock(entry, true, signal, budget);
        if (taken === 'held')
          return this.#skip(entry, 'locked', entry.regularAt, 'schedule', priorState);
        if (taken !== 'unavailable') {
          lock = taken;
          // Kept alive from now on, through the wait for a slot: its TTL is no bound on that wait.
          attempt.lockRelease = lock;
          stopExtending = this.#keepExtending(entry, lock, attempt.controller);
        }
      }

      if (!entry.blocked) entry.state = 'waiting';
      this.#queueLength++;
      budget.pause();
      try {
        release = await this.#semaphore.acquire(signal);
      } finally {
        this.#queueLength--;
        budget.resume();
      }
      this.#running++;
      entry.state = 'running';
      // The interval counts from when the work starts, so a queue never turns into a standing burst.
      startedAt = this.#clock.now();

      if (this.#locker && !manual) {
        doing = 'taking the lock';
        const taken = await this.#takeLock(entry, false, signal, budget);
        if (taken === 'held') {
          return this.#skip(entry, 'locked', startedAt + this.#intervalMs, 'schedule');
        }
        if (taken !== 'unavailable') {
          lock = taken;
          attempt.lockRelease = lock;
          stopExtending = this.#keepExtending(entry, lock, attempt.controller);
        }
      }

      if (!manual && this.#lastSuccess) {
        doing = 'reading the last success from the last-success store';
        const last = await this.#readLastSuccess(entry, signal);
        if (last !== undefined && startedAt - last < this.#intervalMs * 0.9) {
          entry.lastSuccessAt = Math.max(entry.lastSuccessAt ?? 0, last);
          return this.#skip(entry, 'fresh', last + this.#intervalMs, 'schedule');
        }
      }

      attempt.working = true;
      entry.lastAttemptAt = startedAt;
      this.#emit('backup:start', { deviceId: entry.id, cause, attempt: entry.failures + 1 });

      doing = 'reading the credentials';
      credentials = await this.#readCredentials(device, signal);
      doing = 'collecting the configuration';
      const result = await raceSignal(
        this.#collect({
          device,
          credentials,
          signal,
          clock: this.#clock,
          logger: this.#logger,
          collectors: this.#collectors,
          jumpHosts: this.#jumpHosts, // Jump hosts
          ...(this.#hostKeys ? { hostKeys: this.#hostKeys } : {}),
          ...(this.#algorithms ? { algorithms: this.#algorithms } : {}),
          timeLimitMs: this.#timeLimitMs,
          ...(this.#connectTimeoutMs ? { connectTimeoutMs: this.#connectTimeoutMs } : {}),
          ...(this.#commandTimeoutMs ? { commandTimeoutMs: this.#commandTimeoutMs } : {}),
          ...(this.#maxOutputBytes ? { maxOutputBytes: this.#maxOutputBytes } : {}),
        }),
        signal,
      );
      if (result.hostKeyPinned) {
        // Newer than any record read so far: a read that started before the pin was stored
        // cannot know it, and must not make the next attempt trust on first use again.
        entry.pin = canonicalFingerprint(result.hostKeyFingerprint);
        entry.pinReadSeq = ++this.#readSeq;
        this.#emit('hostkey:pinned', {
          deviceId: entry.id,
          fingerprint: result.hostKeyFingerprint,
        });
      }
      doing = 'publishing the snapshot';
      const receipt = await this.#publish(entry, device, result, signal);
      doing = 'recording the success';
      return await this.#succeeded(entry, result, receipt, startedAt, manual, signal);
    } catch (error) {
      let reason: unknown = error;
      if (attempt.controller.signal.aborted) reason = attempt.controller.signal.reason;
      else if (limit.signal.aborted) reason = limit.signal.reason;
      else if (callerSignal?.aborted && !isBackupError(error, 'cancelled')) {
        reason = new BackupError({
          kind: 'cancelled',
          deviceId: entry.id,
          cause: callerSignal.reason,
          message: `${entry.id}: the backup was cancelled by its caller`,
        });
      }
      // The pin as the operator sees it: a change of it (reset, re-pin) is what unblocks.
      const pinAtFailure = isBackupError(reason, 'host-key-mismatch')
        ? await this.#pinAtFailure(device)
        : undefined;
      return this.#failed(entry, reason, credentials, startedAt, cause, priorState, pinAtFailure);
    } finally {
      // The slot first: nothing below may keep another device waiting.
      if (release) {
        this.#running--;
        release();
      }
      budget.pause();
      stopExtending?.();
      linked.dispose();
      this.#attempts.delete(attempt);
      if (entry.controller === attempt.controller) entry.controller = undefined;
      if (lock) this.#releaseLock(entry, lock);
    }
  }

  /**
   * A signal for a port call outside an attempt: it aborts on stop, on `signal`, or after
   * `timeLimitMs` (with `timeoutMessage`). Call `dispose()` when the call settled.
   */
  #portBound(
    signal: AbortSignal | undefined,
    timeoutMessage: string,
  ): { signal: AbortSignal; dispose: () => void } {
    const linked = linkedAbortController(this.#stop.signal, signal);
    const cancel = startTimer(this.#clock, this.#timeLimitMs, () =>
      linked.controller.abort(new Error(timeoutMessage)),
    );
    return {
      signal: linked.controller.signal,
      dispose: () => {
        cancel();
        linked.dispose();
      },
    };
  }

  /** Gives a lock back; stop() waits (bounded) for these, so other instances are not locked out. */
  #releaseLock(entry: Entry, lock: Lock): void {
    let pending: Promise<unknown>;
    try {
      pending = lock.release();
    } catch (error) {
      pending = Promise.reject(error);
    }
    const settled = pending.then(
      () => undefined,
      (error: unknown) => {
        this.#logger.debug(
          { deviceId: entry.id, error: errorText(error) },
          'lock release failed; it expires at its TTL',
        );
      },
    );
    this.#lockReleases.add(settled);
    void settled.finally(() => this.#lockReleases.delete(settled));
  }

  async #freshDevice(entry: Entry, signal: AbortSignal): Promise<Device> {
    if (!this.#devices.get) return this.#withFreshestPin(entry, entry.device);
    let device: Device | undefined;
    const readSeq = ++this.#readSeq;
    try {
      device = await callPort(() => this.#devices.get!(entry.id, signal), signal);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw new BackupError({
        kind: 'unreachable',
        deviceId: entry.id,
        cause: error,
        message: `${entry.id}: reading the device from the device source failed (${errorText(error)}); not backing up with an older copy of its record, check the device source`,
      });
    }
    if (device === undefined) {
      this.#remove(entry);
      return entry.device;
    }
    const problem = checkDeviceRecord(device);
    if (problem || device.id !== entry.id || !this.#collectors.has(device.vendor)) {
      this.#reportInvalid(
        entry.id,
        -1,
        problem?.field ?? 'vendor',
        problem?.message ?? 'has no collector',
      );
      return this.#withFreshestPin(entry, entry.device);
    }
    entry.device = device;
    this.#learnPin(entry, device, readSeq);
    return this.#withFreshestPin(entry, device);
  }

  async #checkOnline(
    device: Device,
    signal: AbortSignal,
  ): Promise<'online' | 'offline' | 'unknown'> {
    try {
      return await callPort(() => this.#onlineGate!.check(device, signal), signal);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      this.#warn(
        device.id,
        'online-gate-failed',
        `the online gate failed (${errorText(error)}); trying the device anyway`,
      );
      return 'unknown';
    }
  }

  async #unblockReason(
    entry: Entry,
    device: Device,
    signal: AbortSignal,
  ): Promise<UnblockReason | undefined> {
    const blocked = entry.blocked!;
    if (blocked.kind === 'host-key-mismatch') {
      const pin = await this.#currentPin(device, signal);
      if ((pin ?? '') !== (blocked.pin ?? '')) return 'host-key';
    }
    const unanswered = (): undefined => {
      if (signal.aborted) throw abortReason(signal);
      return undefined;
    };
    if (blocked.kind === 'auth-failed') {
      const credentials = await callPort(() => this.#credentials.get(device, signal), signal).catch(
        unanswered,
      );
      if (credentials?.version !== undefined && credentials.version !== blocked.credentialVersion) {
        return 'credentials';
      }
    }
    if (this.#lastSuccess) {
      // Another instance fixed it (e.g. a manual trigger answered there): follow it.
      const recorded = await callPort(() => this.#lastSuccess!.get(entry.id, signal), signal).catch(
        unanswered,
      );
      const last = this.#plausibleLastSuccess(entry, recorded);
      if (last !== undefined && last > blocked.at) return 'elsewhere';
    }
    return undefined;
  }

  /**
   * The pin as the operator sees it after a mismatch. The attempt's own signal may have aborted;
   * this read is bounded by the time limit and by stop on its own.
   */
  async #pinAtFailure(device: Device): Promise<string | undefined> {
    const bound = this.#portBound(undefined, 'the host-key store did not answer');
    try {
      return await this.#currentPin(device, bound.signal);
    } catch {
      return undefined;
    } finally {
      bound.dispose();
    }
  }

  async #currentPin(device: Device, signal: AbortSignal): Promise<string | undefined> {
    if (device.hostKeyFingerprint) return canonicalFingerprint(device.hostKeyFingerprint);
    const store = this.#hostKeys;
    if (!store || isUpdaterPinning(store)) return undefined;
    const pin = await callPort(() => store.get(device.id, signal), signal).catch(() => {
      if (signal.aborted) throw abortReason(signal);
      return undefined;
    });
    return pin === undefined ? undefined : canonicalFingerprint(pin);
  }

  async #takeLock(
    entry: Entry,
    manual: boolean,
    signal: AbortSignal,
    budget: TimeBudget,
  ): Promise<Lock | 'held' | 'unavailable'> {
    const key = `backup:device:${entry.id}`;
    const ttlMs = this.#lockTtlMs;
    const deadline = this.#clock.now() + (manual ? this.#triggerLockWaitMs : 0);
    for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        const lock = await raceSignal(this.#locker!.acquire(key, ttlMs, signal), signal);
        if (lock) return lock;
      } catch (error) {
        if (signal.aborted) throw abortReason(signal);
        // Only an unreachable backend may be worked around; anything else is a real failure.
        if (!isLockUnavailableError(error)) throw error;
        if (this.#onLockUnavailable === 'skip') {
          this.#warn(
            entry.id,
            'lock-unavailable',
            `the lock backend is unreachable (${errorText(error)}); skipping the device as configured`,
          );
          return 'held';
        }
        this.#warn(
          entry.id,
          'lock-unavailable',
          `the lock backend is unreachable (${errorText(error)}); backing up without the lock`,
        );
        return 'unavailable';
      }
      // Held by another instance. A manual trigger waits for it rather than answering "locked".
      if (this.#clock.now() >= deadline) return 'held';
      // Waiting for another instance is waiting for a turn, not work: the time limit pauses.
      budget.pause();
      try {
        await this.#clock.sleep(Math.min(wait, Math.max(1, deadline - this.#clock.now())), signal);
      } finally {
        budget.resume();
      }
    }
  }

  #keepExtending(entry: Entry, lock: Lock, attempt: AbortController): () => void {
    const ttlMs = this.#lockTtlMs;
    const everyMs = Math.max(50, Math.floor(ttlMs / 3));
    let cancel: (() => void) | undefined;
    const tick = (): void => {
      let extended: Promise<boolean>;
      try {
        extended = lock.extend(ttlMs);
      } catch (error) {
        extended = Promise.reject(error);
      }
      extended.then(
        (held) => {
          if (held || !cancel) return;
          // Someone else may hold it now: stop rather than back the device up twice at once.
          const message = `${entry.id}: the lock ${lock.key} was lost during the backup; the attempt stopped`;
          this.#warn(entry.id, 'lock-lost', message);
          attempt.abort(new BackupError({ kind: 'cancelled', deviceId: entry.id, message }));
        },
        (error: unknown) => {
          this.#logger.debug(
            { deviceId: entry.id, error: errorText(error) },
            'lock extension failed',
          );
        },
      );
      if (cancel) cancel = startTimer(this.#clock, everyMs, tick);
    };
    cancel = startTimer(this.#clock, everyMs, tick);
    return () => {
      const stop = cancel;
      cancel = undefined;
      stop?.();
    };
  }

  async #readLastSuccess(entry: Entry, signal: AbortSignal): Promise<number | undefined> {
    try {
      const recorded = await callPort(() => this.#lastSuccess!.get(entry.id, signal), signal);
      return this.#plausibleLastSuccess(entry, recorded);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      this.#warn(
        entry.id,
        'last-success-unavailable',
        `the last-success store is unreachable (${errorText(error)}); backing up anyway`,
      );
      return undefined;
    }
  }

  /**
   * A recorded last success, or `undefined` when it lies further in the future than the clock-skew
   * allowance (SPEC §1.6): an instance with a clock ahead must not stop every instance backing the
   * device up, nor unblock it. Warned about once per recorded value.
   */
  #plausibleLastSuccess(entry: Entry, recorded: number | undefined): number | undefined {
    if (recorded === undefined) return undefined;
    const now = this.#clock.now();
    if (recorded <= now + this.#clockSkewAllowanceMs) return recorded;
    if (entry.futureLastSuccessReported !== recorded) {
      entry.futureLastSuccessReported = recorded;
      this.#warn(
        entry.id,
        'last-success-in-future',
        `the recorded last success (${new Date(recorded).toISOString()}) is ${Math.round((recorded - now) / 1000)} s ahead of this instance's clock, more than clockSkewAllowanceMs (${this.#clockSkewAllowanceMs} ms); ignoring it — check the clocks of the poller instances`,
      );
    }
    return undefined;
  }

  async #readCredentials(device: Device, signal: AbortSignal): Promise<VersionedCredentials> {
    let credentials: VersionedCredentials | undefined;
    try {
      credentials = await raceSignal(this.#credentials.get(device, signal), signal);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw new BackupError({
        kind: 'credentials-unavailable',
        deviceId: device.id,
        cause: error,
        message: `${device.id}: the credential provider failed (${errorText(error)}); check its backend`,
      });
    }
    if (!credentials || typeof credentials.username !== 'string' || credentials.username === '') {
      throw new BackupError({
        kind: 'credentials-unavailable',
        deviceId: device.id,
        message: `${device.id}: the credential provider has no credentials for this device`,
      });
    }
    return credentials;
  }

  async #publish(
    entry: Entry,
    device: Device,
    result: CollectResult,
    signal: AbortSignal,
  ): Promise<PublishReceipt> {
    const routerosVersion =
      result.vendor === 'routeros' ? (result.deviceVersion ?? device.version) : undefined;
    let snapshot: Snapshot;
    try {
      const fields = {
        deviceId: entry.id,
        tenantId: device.tenantId ?? '',
        vendor: result.vendor,
        configText: result.text,
        collectedAt: result.collectedAt,
        ...(routerosVersion ? { routerosVersion } : {}),
        ...(result.encoding ? { encoding: result.encoding } : {}),
      };
      // collectConfig's hash is normalizeConfig's, over exactly this text: no need to hash a
      // large configuration twice. A custom `collect` function's result is hashed again.
      snapshot =
        this.#collect === collectConfig
          ? createSnapshotOfNormalized(fields, result.sha256)
          : createSnapshot(fields);
    } catch (error) {
      // Only a custom `collect` can hand over such a result; name the field, never the text.
      throw new BackupError({
        kind: 'invalid-output',
        deviceId: entry.id,
        cause: error,
        message: `${entry.id}: the collected result cannot be published (${errorText(error)})`,
      });
    }
    try {
      return await raceSignal(this.#publisher.publish(snapshot, { signal }), signal);
    } catch (error) {
      if (isBackupError(error)) throw error;
      if (signal.aborted) throw abortReason(signal);
      throw new BackupError({
        kind: 'publish-failed',
        deviceId: entry.id,
        cause: error,
        message: `${entry.id}: publishing the snapshot failed (${errorText(error)})`,
      });
    }
  }

  async #succeeded(
    entry: Entry,
    result: CollectResult,
    receipt: PublishReceipt,
    startedAt: number,
    manual: boolean,
    signal: AbortSignal,
  ): Promise<AttemptOutcome> {
    const now = this.#clock.now();
    const changed =
      entry.lastSha256 !== undefined ? entry.lastSha256 !== result.sha256 : !receipt.duplicate;
    entry.lastSha256 = result.sha256;
    entry.lastSuccessAt = now;
    entry.failures = 0;
    entry.lastErrorKind = undefined;
    entry.lastErrorMessage = undefined;
    if (entry.blocked) this.#unblock(entry, manual ? 'trigger' : 'manual');
    entry.state = 'idle';
    entry.regularAt = startedAt + this.#intervalMs;
    this.#schedule(entry, entry.regularAt, 'schedule');
    this.#outcomes.success++;
    if (this.#lastSuccess) {
      // The start time, not the end: this instance's own next regular attempt (interval after the
      // start) must never look "fresh" to itself.
      await raceSignal(this.#lastSuccess.set(entry.id, startedAt, signal), signal).catch(
        (error: unknown) => {
          this.#warn(
            entry.id,
            'last-success-unavailable',
            `recording the success failed (${errorText(error)})`,
          );
        },
      );
    }
    this.#emit('backup:success', {
      deviceId: entry.id,
      sha256: result.sha256,
      changed,
      durationMs: now - startedAt,
      receipt,
    });
    return { status: 'success', sha256: result.sha256, changed };
  }

  #failed(
    entry: Entry,
    reason: unknown,
    credentials: VersionedCredentials | undefined,
    startedAt: number,
    cause: AttemptCause,
    priorState: DeviceState,
    pinAtFailure?: string,
  ): AttemptOutcome {
    const error = isBackupError(reason)
      ? reason
      : new BackupError({
          kind: this.#stop.signal.aborted ? 'cancelled' : 'unreachable',
          deviceId: entry.id,
          cause: reason,
          message: `${entry.id}: the attempt failed (${errorText(reason)})`,
        });
    if (error.kind === 'cancelled') {
      // Whoever cancelled (the caller of a trigger, a removal, stop(), a lost lock) is no fault of
      // the device: nothing is counted, and a pending retry or regular attempt stays as it was.
      entry.state = priorState === 'running' || priorState === 'waiting' ? 'idle' : priorState;
      if (entry.blocked) entry.state = 'blocked';
      if (!entry.removed && !this.#stop.signal.aborted && entry.nextAt === undefined) {
        this.#schedule(entry, Math.max(entry.regularAt, this.#clock.now()), 'schedule');
      }
      return { status: 'failed', kind: 'cancelled', message: error.message };
    }
    entry.state = entry.blocked ? 'blocked' : 'idle';
    entry.failures++;
    entry.lastErrorKind = error.kind;
    entry.lastErrorMessage = error.message;
    this.#outcomes.failed++;
    this.#failureKinds[error.kind] = (this.#failureKinds[error.kind] ?? 0) + 1;
    const now = this.#clock.now();
    if (error.kind === 'host-key-mismatch') {
      this.#emit('hostkey:mismatch', {
        deviceId: entry.id,
        expectedFingerprint: String(error.details.expectedFingerprint ?? ''),
        observedFingerprint: String(error.details.observedFingerprint ?? ''),
        // Jump hosts: the changed key is the hop's.
        ...(error.details.hop !== undefined ? { jumpHost: String(error.details.hop) } : {}),
      });
    }
    let nextAttemptAt: number | undefined;
    if (error.permanent) {
      entry.blocked = {
        kind: error.kind,
        at: now,
        credentialVersion: credentials?.version,
        // Not the fingerprint the connection expected: with no pin stored (a key that changed
        // during one connection), comparing against that would unblock at once, in a loop.
        pin: error.kind === 'host-key-mismatch' ? (pinAtFailure ?? '') : undefined,
      };
      entry.state = 'blocked';
      entry.regularAt = startedAt + this.#intervalMs;
      // Blocked devices are not attempted; their cause is re-checked at every refresh interval.
      this.#schedule(entry, now + this.#refreshIntervalMs, 'schedule');
      this.#emit('device:blocked', {
        deviceId: entry.id,
        kind: error.kind,
        message: error.message,
      });
    } else if (entry.blocked) {
      // A manual trigger of a blocked device failed otherwise: it stays blocked, re-checked often.
      entry.state = 'blocked';
      this.#schedule(entry, now + this.#refreshIntervalMs, 'schedule');
    } else {
      if (cause !== 'retry') entry.regularAt = startedAt + this.#intervalMs;
      const retryAt = now + this.#retryDelay(entry.failures);
      const regularAt = entry.regularAt;
      nextAttemptAt = Math.min(retryAt, regularAt);
      entry.state = 'backoff';
      this.#schedule(entry, nextAttemptAt, retryAt < regularAt ? 'retry' : 'schedule');
    }
    this.#logger.warn(
      { deviceId: entry.id, kind: error.kind, failures: entry.failures },
      error.message,
    );
    this.#emit('backup:failure', {
      deviceId: entry.id,
      kind: error.kind,
      message: error.message,
      consecutiveFailures: entry.failures,
      permanent: error.permanent,
      ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
    });
    return { status: 'failed', kind: error.kind, message: error.message };
  }

  /**
   * Ends an attempt that did not run. `priorState` is given for a manual trigger: it leaves the
   * device's state and pending schedule as they were.
   */
  #skip(
    entry: Entry,
    reason: SkipReason,
    nextAt: number,
    cause: AttemptCause,
    priorState?: DeviceState,
  ): AttemptOutcome {
    if (priorState !== undefined) {
      entry.state = priorState;
      if (entry.nextAt === undefined)
        this.#schedule(entry, Math.max(nextAt, this.#clock.now()), cause);
    } else {
      if (entry.state === 'running' || entry.state === 'waiting')
        entry.state = entry.blocked ? 'blocked' : 'idle';
      entry.regularAt = nextAt;
      this.#schedule(entry, nextAt, cause);
    }
    if (reason === 'locked') this.#outcomes.locked++;
    else this.#outcomes.skipped++;
    this.#skips[reason]++;
    this.#emit('backup:skipped', { deviceId: entry.id, reason, nextAttemptAt: nextAt });
    return reason === 'locked'
      ? { status: 'locked', reason, message: `${entry.id} is being backed up by another instance` }
      : { status: 'skipped', reason };
  }

  #skipBlocked(entry: Entry, now: number): AttemptOutcome {
    entry.state = 'blocked';
    // Re-check the cause at every refresh interval; report the skip once per regular interval.
    this.#schedule(entry, now + this.#refreshIntervalMs, 'schedule');
    if (now >= entry.regularAt) {
      entry.regularAt = now + this.#intervalMs;
      this.#outcomes.skipped++;
      this.#skips.blocked++;
      this.#emit('backup:skipped', { deviceId: entry.id, reason: 'blocked' });
    }
    return {
      status: 'skipped',
      reason: 'blocked',
      message: `${entry.id} is blocked by ${entry.blocked?.kind ?? 'a failure'}`,
    };
  }

  #skipRemoved(entry: Entry): AttemptOutcome {
    return { status: 'skipped', message: `${entry.id} was removed from the device list` };
  }

  #unblock(entry: Entry, reason: UnblockReason): void {
    if (!entry.blocked) return;
    entry.blocked = undefined;
    entry.failures = 0;
    if (entry.state === 'blocked') entry.state = 'idle';
    this.#emit('device:unblocked', { deviceId: entry.id, reason });
  }

  /** The backoff delay, checked: a policy's NaN or negative value must not break the timer heap. */
  #retryDelay(failures: number): number {
    const delay = this.#backoff.delay(failures);
    if (Number.isFinite(delay) && delay >= 0) return delay;
    this.#logger.error(
      { failures, delay },
      'the backoff policy returned an invalid delay; using 5 min',
    );
    return 5 * MINUTE;
  }

  async #doStop(graceMs: number): Promise<void> {
    const stopping = new BackupError({ kind: 'cancelled', message: 'the scheduler is stopping' });
    this.#stop.abort(stopping);
    this.#wake?.abort();
    // Attempts still waiting (for the device, the gate, a slot or a lock) end at once.
    for (const attempt of this.#attempts) if (!attempt.working) attempt.controller.abort(stopping);
    await Promise.all(this.#loops);
    if (this.#inFlight.size > 0 && graceMs > 0) {
      const grace = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.#inFlight]),
        this.#clock.sleep(graceMs, grace.signal).catch(() => {}),
      ]);
      grace.abort();
    }
    // Every attempt is in #attempts: no need to walk the whole fleet.
    for (const attempt of this.#attempts) attempt.controller.abort(stopping);
    await Promise.allSettled([...this.#inFlight]);
    // Give locks back before the caller closes its Redis client, so other instances are not
    // locked out for a whole TTL; a backend that does not answer is not waited for long.
    if (this.#lockReleases.size > 0) {
      const bound = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.#lockReleases]),
        this.#clock.sleep(2_000, bound.signal).catch(() => {}),
      ]);
      bound.abort();
    }
    // Jump hosts: every attempt has ended; the hop connections go too.
    await this.#jumpHosts.close();
    this.#timers.clear();
  }

  #warn(deviceId: string | undefined, code: WarningCode, message: string): void {
    this.#logger.warn({ deviceId, code }, message);
    this.#emit('warning', { deviceId, code, message });
  }

  /** Emits without letting a throwing listener break the scheduler. */
  #emit<E extends keyof SchedulerEvents>(
    event: E,
    payload: Parameters<SchedulerEvents[E]>[0],
  ): void {
    try {
      (this.emit as (event: E, payload: unknown) => boolean)(event, payload);
    } catch (error) {
      const message = `a listener of ${event} threw (${errorText(error)}); the scheduler goes on`;
      this.#logger.error({ event, error: errorText(error) }, message);
      if (event !== 'warning') {
        this.#emit('warning', { deviceId: payload.deviceId, code: 'listener-error', message });
      }
    }
  }
}

/**
 * Calls a port (a user's device source, gate, store…) and settles with it, or with `signal.reason`
 * as soon as `signal` aborts — even when the port never settles and ignores its signal. A port that
 * throws instead of rejecting rejects here.
 */
function callPort<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(call());
  } catch (error) {
    pending = Promise.reject(error);
  }
  return raceSignal(pending, signal);
}

function statusOf(entry: Entry): DeviceStatus {
  return {
    deviceId: entry.id,
    vendor: entry.device.vendor,
    tenantId: entry.device.tenantId,
    state: entry.state,
    lastAttemptAt: toDate(entry.lastAttemptAt),
    lastSuccessAt: toDate(entry.lastSuccessAt),
    lastErrorKind: entry.lastErrorKind,
    lastErrorMessage: entry.lastErrorMessage,
    consecutiveFailures: entry.failures,
    // A blocked device is only re-checked, never attempted, until it is unblocked.
    nextAttemptAt: entry.blocked ? undefined : toDate(entry.nextAt),
    lastSha256: entry.lastSha256,
  };
}

function toDate(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

/** A record's pin in canonical form, or `undefined` when it has none (services use '' and null). */
function pinOf(device: Device): string | undefined {
  const pin: unknown = device.hostKeyFingerprint;
  return typeof pin === 'string' && pin.trim() !== '' ? canonicalFingerprint(pin) : undefined;
}

function isStorePinning(pinning: HostKeyPinning | undefined): boolean {
  return pinning !== undefined && !isUpdaterPinning(pinning);
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 300);
  return String(error).slice(0, 300);
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
