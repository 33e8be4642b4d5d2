/**
 * One small function per step of SPEC §1, in the order `pipeline.ts` runs them. A step either
 * goes on (resolves `undefined`, having recorded what it learned on the {@link AttemptRun}) or ends
 * the attempt with an outcome (a skip). Failures are thrown and concluded by the pipeline.
 */
import { abortReason, raceSignal } from '../../core/abort.js';
import type { Device } from '../../core/device.js';
import { BackupError, errorText, isBackupError } from '../../core/errors.js';
import type { PublishReceipt, VersionedCredentials } from '../../core/ports.js';
import {
  createSnapshot,
  createSnapshotOfNormalized,
  snapshotVersionFields,
  type Snapshot,
} from '../../publish/snapshot.js';
import { hasNormalizedHash, type CollectResult } from '../../ssh/collect.js';
import { withDeviceSSH } from '../../ssh/device-settings.js';
import { canonicalFingerprint } from '../../ssh/fingerprint.js';
import { enter, type DeviceState } from '../device-record.js';
import type { DeviceRecord } from '../device-record.js';
import type { AttemptCause } from '../events.js';
import type { AttemptOutcome } from '../outcome.js';
import { attemptLimitsOf, type AttemptLimits } from '../settings.js';
import type { AttemptContext } from './context.js';
import { takeLock, type LockLease } from './lock-lease.js';
import { callPort } from './port-call.js';
import { currentPin, freshDevice, plausibleLastSuccess, unblockReason } from './reads.js';
import type { TimeBudget } from './time-budget.js';

/** One attempt in progress, as `stop()` sees it. */
export interface AttemptHandle {
  readonly controller: AbortController;
  /** False while it waits (device, gate, slot, lock); true once it works on the device. */
  working: boolean;
}

/** What an attempt knows as it goes through its steps. */
export interface AttemptRun {
  readonly record: DeviceRecord;
  readonly cause: AttemptCause;
  readonly handle: AttemptHandle;
  /** Aborts on removal, stop, a lost lock, the caller's signal or the time limit. */
  readonly signal: AbortSignal;
  readonly budget: TimeBudget;
  /** The time limit, lock TTL and trigger lock wait of this device (its own `ssh.timeLimitMs`). */
  limits: AttemptLimits;
  /** The device's state when the attempt began. */
  readonly priorState: DeviceState;
  /** The record read for this attempt, carrying the freshest pin known. */
  device: Device;
  /** When the attempt started; once it holds a slot, when its work started. */
  startedAt: number;
  /** What the attempt is doing, for the time-limit message: an operator learns which port hung. */
  doing: string;
  lease: LockLease | undefined;
  releaseSlot: (() => void) | undefined;
  credentials: VersionedCredentials | undefined;
  result: CollectResult | undefined;
  receipt: PublishReceipt | undefined;
}

/** One step of the pipeline: resolves an outcome to end the attempt there, `undefined` to go on. */
export type AttemptStep = (
  run: AttemptRun,
  ctx: AttemptContext,
) => Promise<AttemptOutcome | undefined>;

/** §1.1: reads the device fresh from the device source (never a copy taken earlier). */
export const readDevice: AttemptStep = async (run, ctx) => {
  if (ctx.stop.aborted) throw abortReason(ctx.stop);
  run.doing = 'reading the device from the device source';
  run.device = await freshDevice(run.record, run.signal, ctx);
  run.limits = attemptLimitsOf(ctx.settings, run.device);
  run.budget.setLimitMs(run.limits.timeLimitMs);
  if (run.record.removed) {
    return { status: 'skipped', message: `${run.record.id} was removed from the device list` };
  }
  return undefined;
};

/** §1.3: a blocked device is not attempted unless what blocked it changed. */
export const checkBlock: AttemptStep = async (run, ctx) => {
  if (!run.record.block) return undefined;
  run.doing = 'checking whether the block still holds';
  const reason = await unblockReason(run.record, run.device, run.signal, ctx);
  if (!reason) return ctx.conclude(run.record, { type: 'blocked', checkedAt: run.startedAt });
  ctx.unblock(run.record, reason);
  return undefined;
};

/** §1.2: an offline device is skipped; an unknown one (or a failing gate) is tried. */
export const askOnlineGate: AttemptStep = async (run, ctx) => {
  const gate = ctx.settings.onlineGate;
  if (!gate) return undefined;
  run.doing = 'asking the online gate';
  let online: string;
  try {
    online = await callPort(() => gate.check(run.device, run.signal), run.signal);
  } catch (error) {
    if (run.signal.aborted) throw abortReason(run.signal);
    ctx.warn(
      run.device.id,
      'online-gate-failed',
      `the online gate failed (${errorText(error)}); trying the device anyway`,
    );
    online = 'unknown';
  }
  if (online !== 'offline') return undefined;
  return ctx.conclude(run.record, {
    type: 'skip',
    reason: 'offline',
    nextAt: run.startedAt + ctx.settings.intervalMs,
    cause: 'schedule',
  });
};

/**
 * §1.5 for a manual trigger: waits up to `triggerLockWaitMs` for another instance's lock, before
 * taking a slot (it holds none meanwhile). The lock is kept alive through the wait for a slot.
 */
export const takeLockWaiting: AttemptStep = async (run, ctx) => {
  if (!ctx.settings.locker) return undefined;
  run.doing = 'taking the lock';
  const taken = await lock(run, ctx, run.limits.triggerLockWaitMs);
  if (taken !== 'held') return undefined;
  return ctx.conclude(run.record, {
    type: 'skip',
    reason: 'locked',
    nextAt: run.record.regularAt,
    cause: 'schedule',
    priorState: run.priorState,
  });
};

/** §1.4: waits for a concurrency slot; the time limit pauses meanwhile. */
export const takeSlot: AttemptStep = async (run, ctx) => {
  const record = run.record;
  if (!record.block) record.lifecycle = enter(record.lifecycle, 'waiting');
  ctx.counts.queueLength++;
  run.budget.pause();
  try {
    run.releaseSlot = await ctx.semaphore.acquire(run.signal);
  } finally {
    ctx.counts.queueLength--;
    run.budget.resume();
  }
  ctx.counts.slotsHeld++;
  record.lifecycle = enter(record.lifecycle, 'running');
  // The interval counts from when the work starts, so a queue never turns into a standing burst.
  run.startedAt = ctx.settings.clock.now();
  return undefined;
};

/** §1.5 for a scheduled attempt: a lock held elsewhere skips at once (`locked`). */
export const takeLockNow: AttemptStep = async (run, ctx) => {
  if (!ctx.settings.locker) return undefined;
  run.doing = 'taking the lock';
  if ((await lock(run, ctx, 0)) !== 'held') return undefined;
  return ctx.conclude(run.record, {
    type: 'skip',
    reason: 'locked',
    nextAt: run.startedAt + ctx.settings.intervalMs,
    cause: 'schedule',
  });
};

/** §1.6: a success by any instance within `interval × 0.9` skips (`fresh`). */
export const checkFreshness: AttemptStep = async (run, ctx) => {
  const store = ctx.settings.lastSuccess;
  if (!store) return undefined;
  run.doing = 'reading the last success from the last-success store';
  let last: number | undefined;
  try {
    // A locker that read it while taking the lock saves a round trip (RedisLocker `lastSuccess`).
    const read = run.lease?.lock.lastSuccessAt;
    const recorded =
      read === undefined
        ? await callPort(() => store.get(run.record.id, run.signal), run.signal)
        : (read ?? undefined);
    last = plausibleLastSuccess(run.record, recorded, ctx);
  } catch (error) {
    if (run.signal.aborted) throw abortReason(run.signal);
    ctx.warn(
      run.record.id,
      'last-success-unavailable',
      `the last-success store is unreachable (${errorText(error)}); backing up anyway`,
    );
  }
  const intervalMs = ctx.settings.intervalMs;
  if (last === undefined || run.startedAt - last >= intervalMs * 0.9) return undefined;
  return ctx.conclude(run.record, {
    type: 'skip',
    reason: 'fresh',
    nextAt: last + intervalMs,
    cause: 'schedule',
    lastSuccessAt: last,
  });
};

/**
 * From here the attempt works on the device: `stop()` lets it finish within its grace period,
 * and it counts as the device's last attempt.
 */
export const startWork: AttemptStep = (run, ctx) => {
  run.handle.working = true;
  run.record.lastAttemptAt = run.startedAt;
  ctx.emit('backup:start', {
    deviceId: run.record.id,
    cause: run.cause,
    attempt: run.record.consecutiveFailures + 1,
  });
  return Promise.resolve(undefined);
};

/** §1.7: missing credentials are `credentials-unavailable`. */
export const readCredentials: AttemptStep = async (run, ctx) => {
  run.doing = 'reading the credentials';
  const { device, signal } = run;
  let credentials: VersionedCredentials | undefined;
  try {
    credentials = await raceSignal(ctx.settings.credentials.get(device, signal), signal);
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
  run.credentials = credentials;
  return undefined;
};

/** §1.8–1.11: the SSH session, host-key check, collection, normalization and hash. */
export const collect: AttemptStep = async (run, ctx) => {
  run.doing = 'collecting the configuration';
  const s = ctx.settings;
  // The device's own SSH settings over the scheduler's, so a custom `collect` sees them too.
  const own = withDeviceSSH(run.device, s);
  const result = await raceSignal(
    s.collect({
      device: run.device,
      credentials: run.credentials!,
      signal: run.signal,
      clock: s.clock,
      logger: s.logger,
      collectors: s.collectors,
      jumpHosts: s.jumpHosts,
      ...(s.hostKeys ? { hostKeys: s.hostKeys } : {}),
      ...(own.algorithms ? { algorithms: own.algorithms } : {}),
      // The attempt owns its time limit (from its start, port calls included) and aborts the
      // signal with it; the collection arms none of its own.
      timeLimitMs: run.limits.timeLimitMs,
      timeLimitEnforcedBySignal: true,
      ...(own.connectTimeoutMs ? { connectTimeoutMs: own.connectTimeoutMs } : {}),
      ...(own.commandTimeoutMs ? { commandTimeoutMs: own.commandTimeoutMs } : {}),
      ...(own.keepaliveIntervalMs !== undefined
        ? { keepaliveIntervalMs: own.keepaliveIntervalMs }
        : {}),
      ...(s.maxOutputBytes ? { maxOutputBytes: s.maxOutputBytes } : {}),
      ...(s.maskSecrets ? { maskSecrets: true } : {}),
    }),
    run.signal,
  );
  if (result.hostKeyPinned) {
    // Newer than any record read so far: a read that started before the pin was stored cannot
    // know it, and must not make the next attempt trust on first use again.
    run.record.pin = canonicalFingerprint(result.hostKeyFingerprint);
    run.record.pinReadSeq = ctx.nextReadSeq();
    ctx.emit('hostkey:pinned', {
      deviceId: run.record.id,
      fingerprint: result.hostKeyFingerprint,
    });
  }
  run.result = result;
  return undefined;
};

/** §1.12: the attempt is a success only once the publisher acknowledged the snapshot. */
export const publish: AttemptStep = async (run, ctx) => {
  run.doing = 'publishing the snapshot';
  const { record, device, signal } = run;
  const result = run.result!;
  let snapshot: Snapshot;
  try {
    const fields = {
      deviceId: record.id,
      tenantId: device.tenantId ?? '',
      vendor: result.vendor,
      configText: result.text,
      collectedAt: result.collectedAt,
      ...snapshotVersionFields(result.vendor, result.deviceVersion ?? device.version),
      ...(result.encoding ? { encoding: result.encoding } : {}),
      ...(result.secretsMasked ? { secretsMasked: true } : {}),
    };
    // A hash normalizeConfig computed over exactly this text needs no second SHA-256; any other
    // result (a custom `collect`, a changed text) is hashed again.
    snapshot = hasNormalizedHash(result)
      ? createSnapshotOfNormalized(fields, result.sha256)
      : createSnapshot(fields);
  } catch (error) {
    // Only a custom `collect` can hand over such a result; name the field, never the text.
    throw new BackupError({
      kind: 'invalid-output',
      deviceId: record.id,
      cause: error,
      message: `${record.id}: the collected result cannot be published (${errorText(error)})`,
    });
  }
  try {
    run.receipt = await raceSignal(ctx.settings.publisher.publish(snapshot, { signal }), signal);
  } catch (error) {
    if (isBackupError(error)) throw error;
    if (signal.aborted) throw abortReason(signal);
    throw new BackupError({
      kind: 'publish-failed',
      deviceId: record.id,
      cause: error,
      message: `${record.id}: publishing the snapshot failed (${errorText(error)})`,
    });
  }
  return undefined;
};

/** After a `host-key-mismatch`: the pin as the operator sees it, bounded on its own. */
export async function pinAtFailure(
  device: Device,
  ctx: AttemptContext,
): Promise<string | undefined> {
  const bound = ctx.portBound(undefined, 'the host-key store did not answer');
  try {
    return await currentPin(device, bound.signal, ctx);
  } catch {
    return undefined;
  } finally {
    bound.dispose();
  }
}

async function lock(
  run: AttemptRun,
  ctx: AttemptContext,
  waitMs: number,
): Promise<'held' | 'taken' | 'unavailable'> {
  const s = ctx.settings;
  const taken = await takeLock({
    locker: s.locker!,
    deviceId: run.record.id,
    ttlMs: run.limits.lockTtlMs,
    waitMs,
    onLockUnavailable: s.onLockUnavailable,
    clock: s.clock,
    logger: s.logger,
    warn: (deviceId, code, message) => ctx.warn(deviceId, code, message),
    budget: run.budget,
    attempt: run.handle.controller,
    signal: run.signal,
  });
  if (taken === 'held' || taken === 'unavailable') return taken;
  run.lease = taken;
  return 'taken';
}
