import type { DeviceTransport } from '../core/device.js';
import type { BackupErrorKind } from '../core/errors.js';
import type { PublishReceipt } from '../publish/snapshot.js';

/** Why an attempt was started. */
export type AttemptCause = 'schedule' | 'retry' | 'manual';

/**
 * Why a due attempt did not run. (A device waiting for a retry is never skipped: its retry and its
 * regular attempt are one timer, whichever comes first.)
 */
export type SkipReason = 'offline' | 'locked' | 'fresh' | 'blocked';

/** What unblocked a blocked device. */
export type UnblockReason =
  | 'credentials'
  | 'host-key'
  | 'manual'
  | 'trigger'
  /** Another instance backed the device up successfully after it was blocked here. */
  | 'elsewhere';

/** The events of a `BackupScheduler`, each an object carrying `deviceId`. */
export interface SchedulerEvents {
  'backup:start': (event: { deviceId: string; cause: AttemptCause; attempt: number }) => void;
  'backup:success': (event: {
    deviceId: string;
    sha256: string;
    /** Whether the configuration differs from the last one this scheduler (or the publisher) saw. */
    changed: boolean;
    durationMs: number;
    receipt: PublishReceipt;
    /** How the device was reached: `ssh`, or `telnet` where its record says so. */
    transport: DeviceTransport;
  }) => void;
  'backup:failure': (event: {
    deviceId: string;
    kind: BackupErrorKind;
    message: string;
    consecutiveFailures: number;
    /** How long the attempt took, from its start to the failure. */
    durationMs: number;
    /** True for `auth-failed` and `host-key-mismatch`: the device is blocked now. */
    permanent: boolean;
    /** How the device was reached: `ssh`, or `telnet` where its record says so. */
    transport: DeviceTransport;
    /** Set when a jump host's own connection failed (its id), not the device behind it. */
    jumpHost?: string;
    /** Set when a step after the login failed: `'enable'` (privilege), `'keyboard-interactive'`, … */
    stage?: string;
    /** When the next attempt is due (ms epoch); absent while blocked. */
    nextAttemptAt?: number;
  }) => void;
  'backup:skipped': (event: {
    deviceId: string;
    reason: SkipReason;
    nextAttemptAt?: number;
  }) => void;
  'device:added': (event: { deviceId: string; firstAttemptAt: number }) => void;
  'device:removed': (event: { deviceId: string }) => void;
  /** A device record the scheduler cannot use; `index` is its position in the list. */
  'device:invalid': (event: {
    deviceId: string | undefined;
    index: number;
    field: string;
    message: string;
  }) => void;
  /** A device whose vendor has no collector; reported once, then ignored. */
  'device:unsupported': (event: { deviceId: string; vendor: string }) => void;
  'device:blocked': (event: { deviceId: string; kind: BackupErrorKind; message: string }) => void;
  'device:unblocked': (event: { deviceId: string; reason: UnblockReason }) => void;
  'hostkey:pinned': (event: {
    deviceId: string;
    fingerprint: string;
    /** Set when the key pinned is a jump host's: the hop's id (then also `deviceId`). */
    jumpHost?: string;
  }) => void;
  'hostkey:mismatch': (event: {
    deviceId: string;
    expectedFingerprint: string;
    observedFingerprint: string;
    /** Set when the key that changed is a jump host's (`device.via`): the hop's id. */
    jumpHost?: string;
  }) => void;
  /** The device list could not be read; the scheduler keeps its current devices. */
  'refresh:error': (event: { deviceId: undefined; error: unknown; message: string }) => void;
  /** Something degraded but not failed, e.g. the lock backend is down and backups go on. */
  warning: (event: { deviceId: string | undefined; code: WarningCode; message: string }) => void;
}

/** What a `warning` event is about. */
export type WarningCode =
  | 'lock-unavailable'
  | 'lock-lost'
  | 'last-success-unavailable'
  /** A recorded last success lies further ahead than `clockSkewAllowanceMs`; it was ignored. */
  | 'last-success-in-future'
  | 'online-gate-failed'
  | 'listener-error';
