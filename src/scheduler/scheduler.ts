import { EventEmitter } from 'eventemitter3';
import { linkedAbortController, raceSignal, unlimitedController } from '../core/abort.js';
import type { Device } from '../core/device.js';
import { BackupError, errorText, type BackupErrorKind } from '../core/errors.js';
import { Semaphore } from '../core/semaphore.js';
import { checkDeviceRecord } from '../ssh/device-record.js';
import { isUpdaterPinning } from '../ssh/host-keys.js';
import type { AttemptContext } from './attempt/context.js';
import { runAttempt } from './attempt/pipeline.js';
import { callPort, portBound } from './attempt/port-call.js';
import type { AttemptHandle } from './attempt/steps.js';
import { statusOf, type DeviceRecord, type DeviceStatus } from './device-record.js';
import { DueQueue } from './due-queue.js';
import type { AttemptCause, SchedulerEvents, SkipReason, WarningCode } from './events.js';
import type { AttemptOutcome } from './outcome.js';
import { Fleet } from './fleet.js';
import {
  resolveSettings,
  type BackupSchedulerOptions,
  type SchedulerSettings,
} from './settings.js';

export type { BackupSchedulerOptions, CollectFunction } from './settings.js';
export type { DeviceState, DeviceStatus } from './device-record.js';
export type { AttemptOutcome } from './outcome.js';

/** Counters from {@link BackupScheduler.stats}. */
export interface SchedulerStats {
  devices: number;
  blocked: number;
  /** Attempts holding a concurrency slot now (at most `concurrency`). */
  slotsHeld: number;
  /**
   * Attempts in progress now, in any step: reading the device, waiting for a slot or a lock,
   * working on the device. At least `slotsHeld`.
   */
  attemptsInFlight: number;
  /** @deprecated The same as `slotsHeld` (attempts holding a slot), under its old name. */
  inFlight: number;
  /** Attempts due and waiting for a slot. */
  queueLength: number;
  outcomes: { success: number; failed: number; skipped: number; locked: number };
  skipped: Record<SkipReason, number>;
  failures: Partial<Record<BackupErrorKind, number>>;
  /** The publisher's own counters (e.g. the NATS outbox), when it has a `stats()`. */
  publisher?: unknown;
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
  readonly #settings: SchedulerSettings;
  readonly #stopHopPinEvents: () => void;
  readonly #fleet: Fleet;
  /** Every attempt's promise, from its start to its end, whatever step it is in. */
  readonly #attemptPromises = new Set<Promise<AttemptOutcome>>();
  readonly #attempts = new Set<AttemptHandle>();
  readonly #lockReleases = new Set<Promise<void>>();
  // Every attempt listens to this signal: thousands at once is normal, not a leak.
  readonly #stop = unlimitedController();
  readonly #queue: DueQueue;
  readonly #context: AttemptContext;
  #started = false;
  #stopped: Promise<void> | undefined;
  #loops: Promise<void>[] = [];
  /** Numbers every read of device records and every pin this process stores, in order. */
  #readSeq = 0;
  readonly #counts = { queueLength: 0, slotsHeld: 0 };

  /** @throws {RangeError} or {TypeError} when an option is invalid; the message names it. */
  constructor(options: BackupSchedulerOptions) {
    super();
    const settings = resolveSettings(options);
    this.#settings = settings;
    this.#queue = new DueQueue(settings.clock, this.#stop.signal);
    const storePinning = settings.hostKeys !== undefined && !isUpdaterPinning(settings.hostKeys);
    const fleet = new Fleet(
      settings,
      this.#queue,
      (event, payload) => this.#emit(event, payload),
      storePinning,
    );
    this.#fleet = fleet;
    this.#stopHopPinEvents = settings.jumpHosts.onHostKeyPinned(({ jumpHost, fingerprint }) =>
      this.#emit('hostkey:pinned', { deviceId: jumpHost, fingerprint, jumpHost }),
    );
    this.#context = {
      settings,
      stop: this.#stop.signal,
      semaphore: new Semaphore(settings.concurrency),
      counts: this.#counts,
      storePinning,
      nextReadSeq: () => ++this.#readSeq,
      emit: (event, payload) => this.#emit(event, payload),
      warn: (deviceId, code, message) => this.#warn(deviceId, code, message),
      conclude: (record, result) => fleet.conclude(record, result),
      applyDecision: (record, result) => fleet.applyDecision(record, result),
      emitDecided: (events) => fleet.emitDecided(events),
      unblock: (record, reason) => fleet.unblock(record, reason),
      remove: (record) => fleet.remove(record),
      reportInvalid: (deviceId, index, field, message) =>
        fleet.reportInvalid(deviceId, index, field, message),
      trackLockRelease: (released) => {
        this.#lockReleases.add(released);
        void released.finally(() => this.#lockReleases.delete(released));
      },
      portBound: (signal, timeoutMessage) => this.#portBound(signal, timeoutMessage),
    };
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
    this.#loops = [
      this.#queue.run((record, cause) => {
        if (!record.inFlight) void this.#launch(record, cause);
      }),
      this.#refreshLoop(),
    ];
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
      `the device source did not answer within timeLimitMs (${this.#settings.timeLimitMs} ms)`,
    );
    const readSeq = ++this.#readSeq;
    try {
      list = await callPort(() => this.#settings.devices.list(bound.signal), bound.signal);
      if (!Array.isArray(list)) throw new TypeError('DeviceSource.list() did not return an array');
    } catch (error) {
      if (this.#stop.signal.aborted) return false;
      this.#emit('refresh:error', {
        deviceId: undefined,
        error,
        message: `reading the device list failed (${errorText(error)}); keeping the current ${this.#fleet.records.size} devices`,
      });
      return false;
    } finally {
      bound.dispose();
    }
    if (this.#stop.signal.aborted) return false;
    this.#fleet.applyList(list, readSeq);
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
    let record = this.#fleet.records.get(deviceId);
    if (!record && this.#settings.devices.get) {
      const bound = this.#portBound(
        options.signal,
        `the device source did not answer within timeLimitMs (${this.#settings.timeLimitMs} ms)`,
      );
      const readSeq = ++this.#readSeq;
      const device = await callPort(
        () => this.#settings.devices.get!(deviceId, bound.signal),
        bound.signal,
      )
        .catch(() => undefined)
        .finally(() => bound.dispose());
      if (this.#stop.signal.aborted) return stopped;
      // A refresh may have added the device meanwhile; never add a second copy of it.
      record = this.#fleet.records.get(deviceId);
      if (
        !record &&
        !this.#stop.signal.aborted &&
        device?.id === deviceId &&
        checkDeviceRecord(device) === undefined &&
        this.#settings.collectors.has(device.vendor)
      ) {
        record = this.#fleet.add(device, readSeq);
      }
    }
    if (!record) return unknown;
    if (options.tenantId !== undefined && (record.device.tenantId ?? '') !== options.tenantId) {
      return unknown;
    }
    // A scheduled attempt in progress may still skip (gate, freshness): let it end, then run ours.
    while (record.inFlight) {
      if (record.inFlight.cause === 'manual')
        return raceSignal(record.inFlight.promise, options.signal);
      // stop() ends this wait at once: after it, no attempt may start.
      const wait = linkedAbortController(options.signal, this.#stop.signal);
      try {
        await raceSignal(record.inFlight.promise, wait.controller.signal);
      } catch (error) {
        if (this.#stop.signal.aborted && !options.signal?.aborted) return stopped;
        throw error;
      } finally {
        wait.dispose();
      }
    }
    if (this.#stop.signal.aborted) return stopped;
    if (record.removed) return unknown;
    return this.#launch(record, 'manual', options.signal);
  }

  /** Unblocks a device blocked by `auth-failed` or `host-key-mismatch` and schedules it now. */
  unblock(deviceId: string): boolean {
    const record = this.#fleet.records.get(deviceId);
    if (!record?.block) return false;
    this.#fleet.unblock(record, 'manual');
    this.#queue.schedule(record, this.#settings.clock.now(), 'schedule');
    return true;
  }

  /** One device's status, or `undefined` for an unknown id. */
  status(deviceId: string): DeviceStatus | undefined;
  /** Every device's status. */
  status(): DeviceStatus[];
  status(deviceId?: string): DeviceStatus | DeviceStatus[] | undefined {
    if (deviceId !== undefined) {
      const record = this.#fleet.records.get(deviceId);
      return record && statusOf(record);
    }
    return [...this.#fleet.records.values()].map(statusOf);
  }

  /** Counters per outcome and error kind, attempts in flight and waiting. */
  stats(): SchedulerStats {
    let blocked = 0;
    for (const record of this.#fleet.records.values()) if (record.block) blocked++;
    const publisher = this.#settings.publisher;
    const publisherStats = (publisher as { stats?: () => unknown }).stats;
    return {
      devices: this.#fleet.records.size,
      blocked,
      slotsHeld: this.#counts.slotsHeld,
      attemptsInFlight: this.#attemptPromises.size,
      inFlight: this.#counts.slotsHeld,
      queueLength: this.#counts.queueLength,
      outcomes: { ...this.#fleet.outcomes },
      skipped: { ...this.#fleet.skipped },
      failures: { ...this.#fleet.failures },
      ...(typeof publisherStats === 'function'
        ? { publisher: publisherStats.call(publisher) }
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
      options.graceful === false ? 0 : (options.graceMs ?? this.#settings.stopGraceMs),
    );
    return this.#stopped;
  }

  /** True once `stop()` was called: no attempt starts any more, and `start()` throws. */
  get stopped(): boolean {
    return this.#stopped !== undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts

  async #refreshLoop(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      try {
        await this.#settings.clock.sleep(this.#settings.refreshIntervalMs, stop);
      } catch {
        return;
      }
      await this.refresh();
    }
  }

  #launch(
    record: DeviceRecord,
    cause: AttemptCause,
    signal?: AbortSignal,
  ): Promise<AttemptOutcome> {
    const promise = runAttempt(record, cause, signal, this.#context, this.#attempts).catch(
      (error: unknown): AttemptOutcome => {
        // runAttempt handles its failures; reaching here is a bug (or a throwing port in cleanup).
        // It must never crash the service nor drop the device from the schedule.
        this.#settings.logger.error(
          { deviceId: record.id, error: errorText(error) },
          'unexpected error in a backup attempt',
        );
        if (record.due === undefined) {
          this.#queue.schedule(
            record,
            Math.max(
              record.regularAt,
              this.#settings.clock.now() + this.#settings.refreshIntervalMs,
            ),
            'schedule',
          );
        }
        return { status: 'failed', message: errorText(error) };
      },
    );
    const inFlight = { promise, cause };
    record.inFlight = inFlight;
    this.#attemptPromises.add(promise);
    void promise.finally(() => {
      this.#attemptPromises.delete(promise);
      if (record.inFlight === inFlight) record.inFlight = undefined;
    });
    return promise;
  }

  #portBound(
    signal: AbortSignal | undefined,
    timeoutMessage: string,
  ): { signal: AbortSignal; dispose: () => void } {
    const { clock, timeLimitMs } = this.#settings;
    return portBound(clock, timeLimitMs, this.#stop.signal, signal, timeoutMessage);
  }

  async #doStop(graceMs: number): Promise<void> {
    const stopping = new BackupError({ kind: 'cancelled', message: 'the scheduler is stopping' });
    this.#stop.abort(stopping);
    this.#queue.wake();
    // Attempts still waiting (for the device, the gate, a slot or a lock) end at once.
    for (const attempt of this.#attempts) if (!attempt.working) attempt.controller.abort(stopping);
    await Promise.all(this.#loops);
    if (this.#attemptPromises.size > 0 && graceMs > 0) {
      const grace = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.#attemptPromises]),
        this.#settings.clock.sleep(graceMs, grace.signal).catch(() => {}),
      ]);
      grace.abort();
    }
    // Every attempt is in #attempts: no need to walk the whole fleet.
    for (const attempt of this.#attempts) attempt.controller.abort(stopping);
    await Promise.allSettled([...this.#attemptPromises]);
    // Give locks back before the caller closes its Redis client, so other instances are not
    // locked out for a whole TTL; a backend that does not answer is not waited for long.
    if (this.#lockReleases.size > 0) {
      const bound = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.#lockReleases]),
        this.#settings.clock.sleep(2_000, bound.signal).catch(() => {}),
      ]);
      bound.abort();
    }
    // Every attempt has ended: the hop connections go too.
    this.#stopHopPinEvents();
    await this.#settings.jumpHosts.close();
    this.#queue.clear();
  }

  #warn(deviceId: string | undefined, code: WarningCode, message: string): void {
    this.#settings.logger.warn({ deviceId, code }, message);
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
      this.#settings.logger.error({ event, error: errorText(error) }, message);
      if (event !== 'warning') {
        this.#emit('warning', { deviceId: payload.deviceId, code: 'listener-error', message });
      }
    }
  }
}
