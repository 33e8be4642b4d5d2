/**
 * The scheduler's record of one device: its lifecycle, its history, its pending attempt and the
 * freshest host-key pin this process knows. Holds no I/O; the scheduler changes it through the
 * decisions of `outcome.ts` and the few transitions below.
 */
import { transportOf, type Device, type DeviceTransport } from '../core/device.js';
import type { BackupErrorKind } from '../core/errors.js';
import { canonicalFingerprint } from '../ssh/fingerprint.js';
import type { AttemptCause, UnblockReason } from './events.js';
import type { AttemptOutcome } from './outcome.js';

/** Where a device stands. */
export type DeviceState = 'idle' | 'waiting' | 'running' | 'backoff' | 'blocked' | 'offline';

/** Why a device is blocked (SPEC §1.3), and what must change to unblock it. */
export interface BlockCause {
  readonly kind: BackupErrorKind;
  /** When the device was blocked: a success recorded by another instance after it unblocks. */
  readonly at: number;
  /** The credentials' version at the failure: a different one unblocks `auth-failed`. */
  readonly credentialVersion: string | undefined;
  /** The pin as the operator saw it at the failure: a change of it unblocks `host-key-mismatch`. */
  readonly pin: string | undefined;
  /**
   * The id of the jump host whose refused login or changed key this is (the error's
   * `details.hop`): `credentialVersion` and `pin` are then the hop's, and a change of the hop's
   * credentials or pin unblocks the device. Absent: the device's own.
   */
  readonly hop?: string;
}

/**
 * A device's lifecycle. A block is part of it: a blocked device is `blocked`, or `waiting` /
 * `running` while a manual trigger works on it (a success unblocks it, anything else leaves it
 * blocked). No other state can carry a block.
 */
export type Lifecycle =
  | { readonly state: 'idle' | 'backoff' | 'offline'; readonly block?: undefined }
  | { readonly state: 'blocked'; readonly block: BlockCause }
  | { readonly state: 'waiting' | 'running'; readonly block: BlockCause | undefined };

/** The lifecycle of a device that was never attempted. */
export const IDLE: Lifecycle = Object.freeze({ state: 'idle' });

/** `lifecycle` in `state`, keeping its block where the state may carry one. */
export function enter(lifecycle: Lifecycle, state: DeviceState): Lifecycle {
  const block = lifecycle.block;
  if (state === 'waiting' || state === 'running') return { state, block };
  if (block) return { state: 'blocked', block };
  return state === 'blocked' ? IDLE : { state };
}

/** `lifecycle` without its block: a blocked device becomes idle, a working one keeps working. */
export function withoutBlock(lifecycle: Lifecycle): Lifecycle {
  if (lifecycle.state === 'waiting' || lifecycle.state === 'running') {
    return { state: lifecycle.state, block: undefined };
  }
  return lifecycle.state === 'blocked' ? IDLE : lifecycle;
}

/** One attempt of the device in progress. */
export interface InFlightAttempt {
  readonly promise: Promise<AttemptOutcome>;
  readonly cause: AttemptCause;
}

/** The next attempt due in the timer queue. */
export interface DueAttempt {
  readonly at: number;
  readonly cause: AttemptCause;
}

/**
 * The fields an attempt's outcome reads and writes: what `decide` in `outcome.ts` takes and gives.
 * Times in ms since the epoch.
 */
export interface RecordHistory {
  readonly lifecycle: Lifecycle;
  /** When the next regular (non-retry) attempt is due. */
  readonly regularAt: number;
  readonly lastAttemptAt: number | undefined;
  readonly lastSuccessAt: number | undefined;
  readonly lastErrorKind: BackupErrorKind | undefined;
  readonly lastErrorMessage: string | undefined;
  readonly consecutiveFailures: number;
  readonly lastSha256: string | undefined;
}

/** A device's record in the schedule. A class keeps one hidden shape for 100 000 of them. */
export class DeviceRecord implements RecordHistory {
  lifecycle: Lifecycle = IDLE;
  regularAt = 0;
  lastAttemptAt: number | undefined = undefined;
  lastSuccessAt: number | undefined = undefined;
  lastErrorKind: BackupErrorKind | undefined = undefined;
  lastErrorMessage: string | undefined = undefined;
  consecutiveFailures = 0;
  lastSha256: string | undefined = undefined;
  /** The pending timer, if any; `gen` tells a queued timer whether it is still this one. */
  due: DueAttempt | undefined = undefined;
  gen = 0;
  inFlight: InFlightAttempt | undefined = undefined;
  /** Aborts the attempt in progress (removal); unset between attempts. */
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

  /** Why the device is blocked, or `undefined`. */
  get block(): BlockCause | undefined {
    return this.lifecycle.block;
  }

  /**
   * Takes the pin of a record read as `readSeq` — unless this process knows a newer one: a key it
   * pinned after that read started. A newer read that shows no pin, or another one, is an
   * operator's reset or re-pin, and wins.
   */
  learnPin(device: Device, readSeq: number): void {
    if (readSeq <= this.pinReadSeq) return;
    this.pin = pinOf(device);
    this.pinReadSeq = readSeq;
  }

  /** Applies an outcome's new history (see `decide`). */
  apply(history: RecordHistory): void {
    this.lifecycle = history.lifecycle;
    this.regularAt = history.regularAt;
    this.lastAttemptAt = history.lastAttemptAt;
    this.lastSuccessAt = history.lastSuccessAt;
    this.lastErrorKind = history.lastErrorKind;
    this.lastErrorMessage = history.lastErrorMessage;
    this.consecutiveFailures = history.consecutiveFailures;
    this.lastSha256 = history.lastSha256;
  }

  /**
   * Lifts the block and resets the failures. Returns the `device:unblocked` event to emit, or
   * `undefined` when the device was not blocked.
   */
  unblock(reason: UnblockReason): { deviceId: string; reason: UnblockReason } | undefined {
    if (!this.lifecycle.block) return undefined;
    this.lifecycle = withoutBlock(this.lifecycle);
    this.consecutiveFailures = 0;
    return { deviceId: this.id, reason };
  }
}

/** One device's schedule and history, from `BackupScheduler.status`. */
export interface DeviceStatus {
  deviceId: string;
  vendor: string;
  tenantId: string | undefined;
  /** How the device is reached: `ssh`, or `telnet` where its record says so. */
  transport: DeviceTransport;
  state: DeviceState;
  lastAttemptAt: Date | undefined;
  lastSuccessAt: Date | undefined;
  lastErrorKind: BackupErrorKind | undefined;
  lastErrorMessage: string | undefined;
  consecutiveFailures: number;
  nextAttemptAt: Date | undefined;
  lastSha256: string | undefined;
}

/** The status of a record, as `BackupScheduler.status` reports it. */
export function statusOf(record: DeviceRecord): DeviceStatus {
  return {
    deviceId: record.id,
    vendor: record.device.vendor,
    tenantId: record.device.tenantId,
    transport: transportOf(record.device),
    state: record.lifecycle.state,
    lastAttemptAt: toDate(record.lastAttemptAt),
    lastSuccessAt: toDate(record.lastSuccessAt),
    lastErrorKind: record.lastErrorKind,
    lastErrorMessage: record.lastErrorMessage,
    consecutiveFailures: record.consecutiveFailures,
    // A blocked device is only re-checked, never attempted, until it is unblocked.
    nextAttemptAt: record.block ? undefined : toDate(record.due?.at),
    lastSha256: record.lastSha256,
  };
}

function toDate(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

/** A record's pin in canonical form, or `undefined` when it has none (services use '' and null). */
export function pinOf(device: Device): string | undefined {
  const pin: unknown = device.hostKeyFingerprint;
  return typeof pin === 'string' && pin.trim() !== '' ? canonicalFingerprint(pin) : undefined;
}
