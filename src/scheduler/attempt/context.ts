import type { Semaphore } from '../../core/semaphore.js';
import type { DeviceRecord } from '../device-record.js';
import type { SchedulerEvents, UnblockReason, WarningCode } from '../events.js';
import type { AttemptOutcome, AttemptResult, DecidedEvent, Decision } from '../outcome.js';
import type { SchedulerSettings } from '../settings.js';

/**
 * What an attempt's steps may use of the scheduler: its settings and shared counters, and the few
 * record operations that also emit events. The scheduler implements it once.
 */
export interface AttemptContext {
  readonly settings: SchedulerSettings;
  /** Aborts when the scheduler stops. */
  readonly stop: AbortSignal;
  readonly semaphore: Semaphore;
  /** Attempts waiting for a slot, and attempts holding one. */
  readonly counts: { queueLength: number; slotsHeld: number };
  /** Pins live in a host-key store (read by the collection), not beside the device rows. */
  readonly storePinning: boolean;
  /** Numbers every read of device records and every pin this process stores, in order. */
  nextReadSeq(): number;
  emit<E extends keyof SchedulerEvents>(event: E, payload: Parameters<SchedulerEvents[E]>[0]): void;
  warn(deviceId: string | undefined, code: WarningCode, message: string): void;
  /** Applies `decide` to the record and the result, emits its events, returns the outcome. */
  conclude(record: DeviceRecord, result: AttemptResult): AttemptOutcome;
  /** Applies `decide` to the record and the result, but leaves its events to the caller. */
  applyDecision(record: DeviceRecord, result: AttemptResult): Decision;
  emitDecided(events: readonly DecidedEvent[]): void;
  unblock(record: DeviceRecord, reason: UnblockReason): void;
  remove(record: DeviceRecord): void;
  reportInvalid(deviceId: string | undefined, index: number, field: string, message: string): void;
  /** Keeps a lock release that stop() waits for (bounded) before it resolves. */
  trackLockRelease(released: Promise<void>): void;
  /** A signal bounded by the time limit and by stop, for a port call outside an attempt. */
  portBound(
    signal: AbortSignal | undefined,
    timeoutMessage: string,
  ): { signal: AbortSignal; dispose: () => void };
}
