/**
 * The devices the scheduler knows and what happens to them: added, updated and removed as device
 * lists are read (through `reconcile`), concluded after each attempt (through `decide`), and the
 * counters of both. It emits through the scheduler and schedules through the due queue.
 */
import type { Device } from '../core/device.js';
import { BackupError, type BackupErrorKind } from '../core/errors.js';
import { uniformJitter } from '../core/jitter.js';
import { DeviceRecord } from './device-record.js';
import type { DueQueue } from './due-queue.js';
import type { SchedulerEvents, SkipReason, UnblockReason } from './events.js';
import {
  decide,
  type AttemptOutcome,
  type AttemptResult,
  type DecidedEvent,
  type Decision,
  type OutcomePolicy,
} from './outcome.js';
import { reconcile } from './reconcile.js';
import type { SchedulerSettings } from './settings.js';

/** Emits a scheduler event (never throws). */
export type EmitEvent = <E extends keyof SchedulerEvents>(
  event: E,
  payload: Parameters<SchedulerEvents[E]>[0],
) => void;

/** The devices of one scheduler, by id, with their outcome counters. */
export class Fleet {
  readonly records = new Map<string, DeviceRecord>();
  readonly outcomes = { success: 0, failed: 0, skipped: 0, locked: 0 };
  readonly skipped: Record<SkipReason, number> = { offline: 0, locked: 0, fresh: 0, blocked: 0 };
  readonly failures: Partial<Record<BackupErrorKind, number>> = {};
  readonly #reportedProblems = new Set<string>();
  readonly #policy: OutcomePolicy;

  constructor(
    private readonly settings: SchedulerSettings,
    private readonly queue: DueQueue,
    private readonly emit: EmitEvent,
    /** Pins live in a host-key store, so a record's pin never unblocks (see `reconcile`). */
    private readonly storePinning: boolean,
  ) {
    this.#policy = {
      intervalMs: settings.intervalMs,
      refreshIntervalMs: settings.refreshIntervalMs,
      retryDelayMs: (failures) => this.#retryDelay(failures),
    };
  }

  /** Applies a device list read as `readSeq`: the changes of `reconcile`, in order. */
  applyList(list: readonly Device[], readSeq: number): void {
    const now = this.settings.clock.now();
    const changes = reconcile(this.records, list, {
      hasCollector: (vendor) => this.settings.collectors.has(vendor),
      collectorMode: (vendor) => this.settings.collectors.get(vendor)?.mode,
      readSeq,
      storePinning: this.storePinning,
    });
    for (const change of changes) {
      switch (change.type) {
        case 'invalid':
          this.reportInvalid(change.deviceId, change.index, change.field, change.message);
          break;
        case 'unsupported':
          this.#reportUnsupported(change.deviceId, change.vendor);
          break;
        case 'add':
          this.add(change.device, readSeq, now);
          break;
        case 'update': {
          const record = this.records.get(change.device.id)!;
          record.device = change.device;
          record.learnPin(change.device, readSeq);
          if (change.repinned) {
            // The operator re-pinned or reset the fingerprint beside the device row.
            this.unblock(record, 'host-key');
            this.queue.schedule(record, now, 'schedule');
          }
          break;
        }
        case 'remove':
          this.remove(this.records.get(change.deviceId)!);
          break;
      }
    }
  }

  /** Adds a device and schedules its first attempt at a random jitter. */
  add(device: Device, readSeq: number, now = this.settings.clock.now()): DeviceRecord {
    const record = new DeviceRecord(device.id, device);
    record.learnPin(device, readSeq);
    this.records.set(device.id, record);
    const [minMs, maxMs] = this.settings.initialJitterMs;
    const firstAttemptAt = now + uniformJitter(minMs, maxMs, this.settings.random);
    record.regularAt = firstAttemptAt;
    this.queue.schedule(record, firstAttemptAt, 'schedule');
    this.emit('device:added', { deviceId: device.id, firstAttemptAt });
    return record;
  }

  /** Removes a device: its pending attempt is dropped, its attempt in progress aborted. */
  remove(record: DeviceRecord): void {
    record.removed = true;
    this.queue.cancel(record);
    this.records.delete(record.id);
    record.controller?.abort(
      new BackupError({
        kind: 'cancelled',
        deviceId: record.id,
        message: `${record.id}: the device was removed from the device list`,
      }),
    );
    this.emit('device:removed', { deviceId: record.id });
  }

  #reportUnsupported(deviceId: string, vendor: string): void {
    const key = `unsupported:${deviceId}:${vendor}`;
    if (this.#reportedProblems.has(key)) return;
    this.#reportedProblems.add(key);
    this.settings.logger.warn({ deviceId, vendor }, 'no collector for this vendor; device ignored');
    this.emit('device:unsupported', { deviceId, vendor });
  }

  /** Reports an unusable record once (per device, field and problem). */
  reportInvalid(deviceId: string | undefined, index: number, field: string, message: string): void {
    // Keyed by device, not position: a record that moves in the list is not reported again.
    const key = `invalid:${deviceId ?? `#${index}`}:${field}:${message}`;
    if (this.#reportedProblems.has(key)) return;
    this.#reportedProblems.add(key);
    this.settings.logger.warn(
      { deviceId, index, field },
      `invalid device record: ${field} ${message}`,
    );
    this.emit('device:invalid', {
      deviceId,
      index,
      field,
      message: `device #${index}${deviceId ? ` (${deviceId})` : ''}: ${field} ${message}`,
    });
  }

  /** Applies `decide`: the record's new history, its next attempt, the counters; not the events. */
  applyDecision(record: DeviceRecord, result: AttemptResult): Decision {
    const decision = decide(record, result, this.#policy, this.settings.clock.now());
    record.apply(decision.record);
    if (decision.next) this.queue.schedule(record, decision.next.at, decision.next.cause);
    const { outcome, skipped, failure } = decision.counters;
    if (outcome) this.outcomes[outcome]++;
    if (skipped) this.skipped[skipped]++;
    if (failure) this.failures[failure] = (this.failures[failure] ?? 0) + 1;
    if (decision.warning) {
      this.settings.logger.warn(decision.warning.fields, decision.warning.message);
    }
    return decision;
  }

  /** {@link applyDecision}, then its events; returns the attempt's outcome. */
  conclude(record: DeviceRecord, result: AttemptResult): AttemptOutcome {
    const decision = this.applyDecision(record, result);
    this.emitDecided(decision.events);
    return decision.outcome;
  }

  /** Emits a decision's events, in order. */
  emitDecided(events: readonly DecidedEvent[]): void {
    for (const event of events) this.emit(event.name, event.payload);
  }

  /** Unblocks a blocked device (and says so). */
  unblock(record: DeviceRecord, reason: UnblockReason): void {
    const event = record.unblock(reason);
    if (event) this.emit('device:unblocked', event);
  }

  /** The backoff delay, checked: a policy's NaN or negative value must not break the timer heap. */
  #retryDelay(failures: number): number {
    const delay = this.settings.backoff.delay(failures);
    if (Number.isFinite(delay) && delay >= 0) return delay;
    this.settings.logger.error(
      { failures, delay },
      'the backoff policy returned an invalid delay; using 5 min',
    );
    return 5 * 60_000;
  }
}
