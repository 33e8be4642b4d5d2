/**
 * One attempt, as the ordered list of its steps (SPEC §1). The two lists below are the whole
 * difference between a scheduled attempt and a manual trigger (SPEC §2): a trigger bypasses the
 * block check, the online gate and the freshness check, and waits for another instance's lock
 * before it takes a slot rather than skipping.
 */
import { linkedAbortController, raceSignal } from '../../core/abort.js';
import { BackupError, errorText, isBackupError } from '../../core/errors.js';
import type { DeviceRecord } from '../device-record.js';
import type { AttemptCause } from '../events.js';
import type { AttemptOutcome } from '../outcome.js';
import type { AttemptContext } from './context.js';
import {
  askOnlineGate,
  checkBlock,
  checkFreshness,
  collect,
  pinAtFailure,
  publish,
  readCredentials,
  readDevice,
  startWork,
  takeLockNow,
  takeLockWaiting,
  takeSlot,
  type AttemptHandle,
  type AttemptRun,
  type AttemptStep,
} from './steps.js';
import { attemptLimitsOf } from '../settings.js';
import { TimeBudget } from './time-budget.js';
import { credentialVersionAtFailure, failedHop } from './reads.js';
import { jumpHostRecord } from '../../core/device.js';

/** The steps of a scheduled (or retry) attempt, in order. */
export const SCHEDULED_STEPS: readonly AttemptStep[] = Object.freeze([
  readDevice,
  checkBlock,
  askOnlineGate,
  takeSlot,
  takeLockNow,
  checkFreshness,
  startWork,
  readCredentials,
  collect,
  publish,
]);

/** The steps of a manual trigger, in order. */
export const MANUAL_STEPS: readonly AttemptStep[] = Object.freeze([
  readDevice,
  takeLockWaiting,
  takeSlot,
  startWork,
  readCredentials,
  collect,
  publish,
]);

/** The steps an attempt of `cause` runs. */
export function stepsOf(cause: AttemptCause): readonly AttemptStep[] {
  return cause === 'manual' ? MANUAL_STEPS : SCHEDULED_STEPS;
}

/**
 * Runs one attempt of `record` through its steps and concludes it: the time limit (SPEC §1.8)
 * runs from the start, paused only while waiting for a turn, and bounds every port call; the slot
 * is given back first and the lock last. `attempts` holds the attempt while it runs, for stop().
 */
export async function runAttempt(
  record: DeviceRecord,
  cause: AttemptCause,
  callerSignal: AbortSignal | undefined,
  ctx: AttemptContext,
  attempts: Set<AttemptHandle>,
): Promise<AttemptOutcome> {
  const { clock, lastSuccess } = ctx.settings;
  // The last record known; `readDevice` sets the limits of the record it reads.
  const limits = attemptLimitsOf(ctx.settings, record.device);
  // Aborted by removal, by stop() (at once while waiting, after the grace period while working),
  // by a lost lock, or by the caller.
  const handle: AttemptHandle = { controller: new AbortController(), working: false };
  record.controller = handle.controller;
  attempts.add(handle);
  const limit = new AbortController();
  const linked = linkedAbortController(handle.controller.signal, callerSignal, limit.signal);
  const run: AttemptRun = {
    record,
    cause,
    handle,
    signal: linked.controller.signal,
    limits,
    budget: new TimeBudget(clock, limits.timeLimitMs, () => {
      const { timeLimitMs } = run.limits;
      limit.abort(
        new BackupError({
          kind: 'time-limit',
          deviceId: record.id,
          message: `${record.id}: the backup passed timeLimitMs (${timeLimitMs} ms) while ${run.doing}, and was aborted`,
          details: { timeLimitMs },
        }),
      );
    }),
    priorState: record.lifecycle.state,
    device: record.device,
    startedAt: clock.now(),
    doing: 'reading the device from the device source',
    lease: undefined,
    releaseSlot: undefined,
    credentials: undefined,
    result: undefined,
    receipt: undefined,
  };
  run.budget.resume();
  try {
    for (const step of stepsOf(cause)) {
      const ended = await step(run, ctx);
      if (ended) return ended;
    }
    run.doing = 'recording the success';
    const decision = ctx.applyDecision(record, {
      type: 'success',
      sha256: run.result!.sha256,
      receipt: run.receipt!,
      startedAt: run.startedAt,
      manual: cause === 'manual',
    });
    if (lastSuccess) {
      // The start time, not the end: this instance's own next regular attempt (interval after the
      // start) must never look "fresh" to itself.
      await raceSignal(lastSuccess.set(record.id, run.startedAt, run.signal), run.signal).catch(
        (error: unknown) => {
          ctx.warn(
            record.id,
            'last-success-unavailable',
            `recording the success failed (${errorText(error)})`,
          );
        },
      );
    }
    ctx.emitDecided(decision.events);
    return decision.outcome;
  } catch (error) {
    const error_ = failureOf(error, record, handle, limit, callerSignal, ctx);
    // A jump host's refused login or changed key blocks on the hop's credentials and pin.
    const hop = failedHop(error_, run.device);
    const blockedBy = hop ? jumpHostRecord(hop) : run.device;
    // The pin as the operator sees it: a change of it (reset, re-pin) is what unblocks.
    const pin =
      error_.kind === 'host-key-mismatch' ? await pinAtFailure(blockedBy, ctx) : undefined;
    const credentialVersion =
      hop && error_.kind === 'auth-failed'
        ? await credentialVersionAtFailure(blockedBy, ctx)
        : run.credentials?.version;
    return ctx.conclude(record, {
      type: 'failure',
      error: error_,
      cause,
      startedAt: run.startedAt,
      priorState: run.priorState,
      credentialVersion,
      pinAtFailure: pin,
      ...(hop ? { hop: hop.id } : {}),
    });
  } finally {
    // The slot first: nothing below may keep another device waiting.
    if (run.releaseSlot) {
      ctx.counts.slotsHeld--;
      run.releaseSlot();
    }
    run.budget.pause();
    const released = run.lease?.release();
    linked.dispose();
    attempts.delete(handle);
    if (record.controller === handle.controller) record.controller = undefined;
    if (released) ctx.trackLockRelease(released);
  }
}

/** Why the attempt failed, as a `BackupError`: its own abort reasons beat the error they caused. */
function failureOf(
  error: unknown,
  record: DeviceRecord,
  handle: AttemptHandle,
  limit: AbortController,
  callerSignal: AbortSignal | undefined,
  ctx: AttemptContext,
): BackupError {
  let reason: unknown = error;
  if (handle.controller.signal.aborted) reason = handle.controller.signal.reason;
  else if (limit.signal.aborted) reason = limit.signal.reason;
  else if (callerSignal?.aborted && !isBackupError(error, 'cancelled')) {
    reason = new BackupError({
      kind: 'cancelled',
      deviceId: record.id,
      cause: callerSignal.reason,
      message: `${record.id}: the backup was cancelled by its caller`,
    });
  }
  if (isBackupError(reason)) return reason;
  return new BackupError({
    kind: ctx.stop.aborted ? 'cancelled' : 'unreachable',
    deviceId: record.id,
    cause: reason,
    message: `${record.id}: the attempt failed (${errorText(reason)})`,
  });
}
