/**
 * What an attempt's result does to its device (SPEC §1.13 and §1.3), as one pure function:
 * {@link decide} takes the record's history, the result, the policy and the time, and gives the new
 * history, the next attempt, the events, the counters and the caller's outcome. No I/O, no clock,
 * no emitter: the scheduler applies what it returns.
 */
import { transportOf, type Device } from '../core/device.js';
import type { BackupError, BackupErrorKind } from '../core/errors.js';
import type { PublishReceipt } from '../core/ports.js';
import { enter, type DeviceState, type DueAttempt, type RecordHistory } from './device-record.js';
import type { AttemptCause, SchedulerEvents, SkipReason } from './events.js';

/** What one attempt came to, from `BackupScheduler.trigger`. */
export interface AttemptOutcome {
  status: 'success' | 'failed' | 'skipped' | 'locked';
  /**
   * For failures: the error kind. Absent on a `failed` outcome only when nothing was attempted
   * because the scheduler knows no such device (`message` says so).
   */
  kind?: BackupErrorKind;
  sha256?: string;
  changed?: boolean;
  reason?: SkipReason;
  /** For failures and skips: what happened, without secrets. */
  message?: string;
  /** For failures: the jump host whose own connection failed (its id), not the device behind it. */
  jumpHost?: string;
  /** For failures after the login: the step that failed (`'enable'`: the privilege step). */
  stage?: string;
}

/** Which part of the way to the device failed, from a failure's details (SPEC §8). */
export function failedPart(error: BackupError): { jumpHost?: string; stage?: string } {
  const details = error.details ?? {};
  return {
    ...(details.jumpHostFailed === true && typeof details.hop === 'string'
      ? { jumpHost: details.hop }
      : {}),
    ...(typeof details.stage === 'string' ? { stage: details.stage } : {}),
  };
}

/** How an attempt ended, as the pipeline saw it. Times in ms since the epoch. */
export type AttemptResult =
  | {
      readonly type: 'success';
      readonly sha256: string;
      readonly receipt: PublishReceipt;
      readonly startedAt: number;
      readonly manual: boolean;
    }
  | {
      readonly type: 'failure';
      readonly error: BackupError;
      readonly cause: AttemptCause;
      readonly startedAt: number;
      /** The device's state when the attempt began. */
      readonly priorState: DeviceState;
      /** The credentials' version the attempt used, if it read them. */
      readonly credentialVersion: string | undefined;
      /** After a `host-key-mismatch`: the pin as the operator sees it now. */
      readonly pinAtFailure: string | undefined;
      /**
       * The jump host that failed (`details.hop`), when the failure is a hop's: then
       * `credentialVersion` and `pinAtFailure` are the hop's.
       */
      readonly hop?: string | undefined;
    }
  | {
      readonly type: 'skip';
      readonly reason: 'offline' | 'locked' | 'fresh';
      /** When the device is due next. */
      readonly nextAt: number;
      readonly cause: AttemptCause;
      /**
       * Given for a manual trigger: the device's state and pending attempt stay as they were, the
       * regular schedule is not moved.
       */
      readonly priorState?: DeviceState | undefined;
      /** For `fresh`: the last success another instance recorded. */
      readonly lastSuccessAt?: number | undefined;
    }
  | {
      /** A blocked device whose cause still holds, checked at `checkedAt`. */
      readonly type: 'blocked';
      readonly checkedAt: number;
    };

/** What {@link decide} needs to know of the scheduler's settings. */
export interface OutcomePolicy {
  readonly intervalMs: number;
  readonly refreshIntervalMs: number;
  /** The checked backoff delay after `consecutiveFailures` failures, in ms (finite, >= 0). */
  retryDelayMs(consecutiveFailures: number): number;
}

/** The record as {@link decide} reads it. */
export interface OutcomeRecord extends RecordHistory {
  readonly id: string;
  /** The device's record, for the transport its events name. Absent: `ssh`. */
  readonly device?: Pick<Device, 'transport'>;
  /** The attempt pending in the timer queue, if any. */
  readonly due: DueAttempt | undefined;
}

/** One event to emit, in order. */
export type DecidedEvent = {
  [E in keyof SchedulerEvents]: { name: E; payload: Parameters<SchedulerEvents[E]>[0] };
}[keyof SchedulerEvents];

/** The counters of `BackupScheduler.stats` an outcome adds one to. */
export interface OutcomeCounters {
  readonly outcome?: 'success' | 'failed' | 'skipped' | 'locked';
  readonly skipped?: SkipReason;
  readonly failure?: BackupErrorKind;
}

/** What {@link decide} gives: everything the scheduler must apply, and nothing it must work out. */
export interface Decision {
  readonly record: RecordHistory;
  /** The next attempt to put in the timer queue (replacing any pending one). */
  readonly next?: DueAttempt;
  readonly events: readonly DecidedEvent[];
  readonly counters: OutcomeCounters;
  readonly outcome: AttemptOutcome;
  /** A failure to log as a warning. */
  readonly warning?: { readonly fields: Record<string, unknown>; readonly message: string };
}

/**
 * The effect of an attempt's `result` on its `record` (SPEC §1.13, §1.3):
 * - a success resets the failures, unblocks, and schedules the next regular attempt `intervalMs`
 *   after the attempt's start;
 * - a failure counts, and retries after the backoff delay or at the regular attempt, whichever
 *   comes first; the blocking kinds block instead, re-checked every `refreshIntervalMs`;
 * - a cancellation counts nothing and keeps a pending attempt as it was;
 * - a skip moves the regular attempt to `nextAt` (for a manual trigger, moves nothing);
 * - a still-blocked device is re-checked every `refreshIntervalMs` and reported once per interval.
 *
 * @example
 * ```ts
 * const decision = decide(record, { type: 'blocked', checkedAt: now }, policy, now);
 * decision.next; // { at: now + policy.refreshIntervalMs, cause: 'schedule' }
 * ```
 */
export function decide(
  record: OutcomeRecord,
  result: AttemptResult,
  policy: OutcomePolicy,
  now: number,
): Decision {
  switch (result.type) {
    case 'success':
      return succeeded(record, result, policy, now);
    case 'failure':
      return result.error.kind === 'cancelled'
        ? cancelled(record, result, now)
        : failed(record, result, policy, now);
    case 'skip':
      return skipped(record, result, now);
    case 'blocked':
      return stillBlocked(record, result.checkedAt, policy);
  }
}

function succeeded(
  record: OutcomeRecord,
  result: Extract<AttemptResult, { type: 'success' }>,
  policy: OutcomePolicy,
  now: number,
): Decision {
  const { sha256, receipt, startedAt } = result;
  const changed =
    record.lastSha256 !== undefined ? record.lastSha256 !== sha256 : !receipt.duplicate;
  const regularAt = startedAt + policy.intervalMs;
  const events: DecidedEvent[] = [];
  if (record.lifecycle.block) {
    events.push({
      name: 'device:unblocked',
      payload: { deviceId: record.id, reason: result.manual ? 'trigger' : 'manual' },
    });
  }
  events.push({
    name: 'backup:success',
    payload: {
      deviceId: record.id,
      sha256,
      changed,
      durationMs: now - startedAt,
      receipt,
      transport: transportOf(record.device ?? {}),
    },
  });
  return {
    record: {
      ...history(record),
      lifecycle: { state: 'idle' },
      regularAt,
      lastSuccessAt: now,
      lastErrorKind: undefined,
      lastErrorMessage: undefined,
      consecutiveFailures: 0,
      lastSha256: sha256,
    },
    next: { at: regularAt, cause: 'schedule' },
    events,
    counters: { outcome: 'success' },
    outcome: { status: 'success', sha256, changed },
  };
}

function cancelled(
  record: OutcomeRecord,
  result: Extract<AttemptResult, { type: 'failure' }>,
  now: number,
): Decision {
  // Whoever cancelled (the caller of a trigger, a removal, stop(), a lost lock) is no fault of the
  // device: nothing is counted, and a pending retry or regular attempt stays as it was.
  const prior = result.priorState;
  const state = prior === 'running' || prior === 'waiting' ? 'idle' : prior;
  return {
    record: { ...history(record), lifecycle: enter(record.lifecycle, state) },
    ...(record.due === undefined
      ? { next: { at: Math.max(record.regularAt, now), cause: 'schedule' as const } }
      : {}),
    events: [],
    counters: {},
    outcome: { status: 'failed', kind: 'cancelled', message: result.error.message },
  };
}

function failed(
  record: OutcomeRecord,
  result: Extract<AttemptResult, { type: 'failure' }>,
  policy: OutcomePolicy,
  now: number,
): Decision {
  const { error } = result;
  const consecutiveFailures = record.consecutiveFailures + 1;
  const events: DecidedEvent[] = [];
  if (error.kind === 'host-key-mismatch') {
    events.push({
      name: 'hostkey:mismatch',
      payload: {
        deviceId: record.id,
        expectedFingerprint: String(error.details.expectedFingerprint ?? ''),
        observedFingerprint: String(error.details.observedFingerprint ?? ''),
        // The changed key is a jump host's.
        ...(error.details.hop !== undefined ? { jumpHost: String(error.details.hop) } : {}),
      },
    });
  }
  let next: DueAttempt;
  let lifecycle = record.lifecycle;
  let regularAt = record.regularAt;
  let nextAttemptAt: number | undefined;
  if (error.permanent) {
    lifecycle = {
      state: 'blocked',
      block: {
        kind: error.kind,
        at: now,
        credentialVersion: result.credentialVersion,
        // Not the fingerprint the connection expected: with no pin stored (a key that changed
        // during one connection), comparing against that would unblock at once, in a loop.
        pin: error.kind === 'host-key-mismatch' ? (result.pinAtFailure ?? '') : undefined,
        ...(result.hop !== undefined ? { hop: result.hop } : {}),
      },
    };
    regularAt = result.startedAt + policy.intervalMs;
    // Blocked devices are not attempted; their cause is re-checked at every refresh interval.
    next = { at: now + policy.refreshIntervalMs, cause: 'schedule' };
    events.push({
      name: 'device:blocked',
      payload: { deviceId: record.id, kind: error.kind, message: error.message },
    });
  } else if (lifecycle.block) {
    // A manual trigger of a blocked device failed otherwise: it stays blocked, re-checked often.
    lifecycle = { state: 'blocked', block: lifecycle.block };
    next = { at: now + policy.refreshIntervalMs, cause: 'schedule' };
  } else {
    if (result.cause !== 'retry') regularAt = result.startedAt + policy.intervalMs;
    const retryAt = now + policy.retryDelayMs(consecutiveFailures);
    nextAttemptAt = Math.min(retryAt, regularAt);
    lifecycle = { state: 'backoff' };
    next = { at: nextAttemptAt, cause: retryAt < regularAt ? 'retry' : 'schedule' };
  }
  events.push({
    name: 'backup:failure',
    payload: {
      deviceId: record.id,
      kind: error.kind,
      message: error.message,
      consecutiveFailures,
      durationMs: now - result.startedAt,
      permanent: error.permanent,
      transport: transportOf(record.device ?? {}),
      ...failedPart(error),
      ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
    },
  });
  return {
    record: {
      ...history(record),
      lifecycle,
      regularAt,
      consecutiveFailures,
      lastErrorKind: error.kind,
      lastErrorMessage: error.message,
    },
    next,
    events,
    counters: { outcome: 'failed', failure: error.kind },
    outcome: { status: 'failed', kind: error.kind, message: error.message, ...failedPart(error) },
    warning: {
      fields: { deviceId: record.id, kind: error.kind, failures: consecutiveFailures },
      message: error.message,
    },
  };
}

function skipped(
  record: OutcomeRecord,
  result: Extract<AttemptResult, { type: 'skip' }>,
  now: number,
): Decision {
  const { reason, nextAt, cause, priorState } = result;
  let { lifecycle, regularAt } = record;
  let next: DueAttempt | undefined;
  if (priorState !== undefined) {
    lifecycle = enter(lifecycle, priorState);
    if (record.due === undefined) next = { at: Math.max(nextAt, now), cause };
  } else {
    if (reason === 'offline') lifecycle = enter(lifecycle, 'offline');
    else if (lifecycle.state === 'running' || lifecycle.state === 'waiting') {
      lifecycle = enter(lifecycle, 'idle');
    }
    regularAt = nextAt;
    next = { at: nextAt, cause };
  }
  const lastSuccessAt =
    result.lastSuccessAt === undefined
      ? record.lastSuccessAt
      : Math.max(record.lastSuccessAt ?? 0, result.lastSuccessAt);
  return {
    record: { ...history(record), lifecycle, regularAt, lastSuccessAt },
    ...(next ? { next } : {}),
    events: [
      { name: 'backup:skipped', payload: { deviceId: record.id, reason, nextAttemptAt: nextAt } },
    ],
    counters: { outcome: reason === 'locked' ? 'locked' : 'skipped', skipped: reason },
    outcome:
      reason === 'locked'
        ? {
            status: 'locked',
            reason,
            message: `${record.id} is being backed up by another instance`,
          }
        : { status: 'skipped', reason },
  };
}

function stillBlocked(record: OutcomeRecord, now: number, policy: OutcomePolicy): Decision {
  const block = record.lifecycle.block;
  const lifecycle = block ? { state: 'blocked' as const, block } : record.lifecycle;
  // Re-check the cause at every refresh interval; report the skip once per regular interval.
  const report = now >= record.regularAt;
  return {
    record: {
      ...history(record),
      lifecycle,
      regularAt: report ? now + policy.intervalMs : record.regularAt,
    },
    next: { at: now + policy.refreshIntervalMs, cause: 'schedule' },
    events: report
      ? [{ name: 'backup:skipped', payload: { deviceId: record.id, reason: 'blocked' } }]
      : [],
    counters: report ? { outcome: 'skipped', skipped: 'blocked' } : {},
    outcome: {
      status: 'skipped',
      reason: 'blocked',
      message: `${record.id} is blocked by ${block?.kind ?? 'a failure'}`,
    },
  };
}

/** The history fields of `record`, copied: a decision never shares the caller's object. */
function history(record: RecordHistory): RecordHistory {
  return {
    lifecycle: record.lifecycle,
    regularAt: record.regularAt,
    lastAttemptAt: record.lastAttemptAt,
    lastSuccessAt: record.lastSuccessAt,
    lastErrorKind: record.lastErrorKind,
    lastErrorMessage: record.lastErrorMessage,
    consecutiveFailures: record.consecutiveFailures,
    lastSha256: record.lastSha256,
  };
}
