/**
 * The backup scheduler and the ports it is built on. Re-exported from the package root; the Redis
 * implementations of the ports live in `confsnap/redis`.
 *
 * @packageDocumentation
 */
export {
  BackupScheduler,
  type BackupSchedulerOptions,
  type CollectFunction,
  type DeviceState,
  type DeviceStatus,
  type AttemptOutcome,
  type SchedulerStats,
} from './scheduler.js';
export type {
  SchedulerEvents,
  AttemptCause,
  SkipReason,
  UnblockReason,
  WarningCode,
} from './events.js';
export type { DeviceSource, CredentialProvider, VersionedCredentials } from './sources.js';
export {
  type OnlineGate,
  type OnlineStatus,
  type Lock,
  type Locker,
  type LastSuccessStore,
  LockUnavailableError,
  type LockUnavailableErrorOptions,
  isLockUnavailableError,
} from '../core/ports.js';
export { MemoryLocker, type MemoryLockerOptions } from './memory-locker.js';
export { checkDeviceRecord, isValidDeviceId, type DeviceRecordProblem } from './validate.js';
