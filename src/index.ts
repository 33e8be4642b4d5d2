/**
 * confsnap — back up the configuration of network devices over SSH, on a schedule, at fleet scale:
 * collect → normalize → hash → publish.
 *
 * Adapters that need `nats` or `ioredis` live in `confsnap/nats` and `confsnap/redis`; fakes and
 * simulated devices for tests live in `confsnap/testing`.
 *
 * @packageDocumentation
 */
export {
  type Clock,
  systemClock,
  Semaphore,
  type Release,
  type BackoffPolicy,
  SteppedBackoff,
  ExponentialBackoff,
  type ExponentialBackoffOptions,
  type JitterMode,
  DEFAULT_BACKOFF_STEPS_MS,
  uniformJitter,
  BackupError,
  type BackupErrorOptions,
  type BackupErrorKind,
  BACKUP_ERROR_KINDS,
  isBackupError,
  isBackupErrorKind,
  isPermanentKind,
  type Logger,
  silentLogger,
} from './core/index.js';
export type { Device, Credentials, KeyboardInteractiveResponder } from './core/device.js';
export * from './ssh/index.js';
export * from './collectors/index.js';
export * from './publish/index.js';
export * from './scheduler/index.js';
