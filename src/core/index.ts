/**
 * Core primitives (no I/O). An internal barrel: the package root re-exports by name only what is
 * public, so the abort helpers here stay internal.
 */
export { abortReason, throwIfAborted, onAbort, linkedAbortController } from './abort.js';
export { type Clock, systemClock } from './clock.js';
export { Semaphore, type Release } from './semaphore.js';
export {
  type BackoffPolicy,
  SteppedBackoff,
  ExponentialBackoff,
  type ExponentialBackoffOptions,
  type JitterMode,
  DEFAULT_BACKOFF_STEPS_MS,
} from './backoff.js';
export {
  BackupError,
  type BackupErrorOptions,
  type BackupErrorKind,
  BACKUP_ERROR_KINDS,
  isBackupError,
  isBackupErrorKind,
  isPermanentKind,
} from './errors.js';
export { type Logger, silentLogger } from './logger.js';
