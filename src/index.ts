/**
 * confsnap — back up the configuration of network devices over SSH, on a schedule, at fleet scale:
 * collect → normalize → hash → publish.
 *
 * Adapters that need `nats` or `ioredis` live in `confsnap/nats` and `confsnap/redis`; fakes and
 * simulated devices for tests live in `confsnap/testing`.
 *
 * Every export is named here: what is not listed is internal. `api/exports.txt` records the list,
 * and `npm run check:package` fails when the built package differs from it.
 *
 * @packageDocumentation
 */

// Core primitives: no I/O.
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
export type {
  CollectorOptionValue,
  Device,
  DeviceSSHSettings,
  DeviceTransport,
  Credentials,
  KeyboardInteractiveResponder,
} from './core/device.js';
// Jump hosts: the hop record, how a credential provider recognises one, and the shared pool.
export {
  type JumpHost,
  type JumpHostRecord,
  JUMP_HOST_VENDOR,
  isJumpHostRecord,
} from './core/device.js';
export {
  JumpHostPool,
  JUMP_HOST_DEFAULTS,
  type JumpHostPoolOptions,
  type JumpHostPinnedEvent,
  type HopCredentialSource,
} from './ssh/jump-hosts.js';

// SSH collection and host keys.
export {
  collectConfig,
  COLLECT_DEFAULTS,
  type CollectOptions,
  type CollectResult,
  type CollectLimits,
  fingerprintOf,
  canonicalFingerprint,
  sameFingerprint,
  isFingerprint,
  type HostKeyStore,
  type SSHHostKeyUpdater,
  type HostKeyPinning,
  MemoryHostKeyStore,
  FileHostKeyStore,
  type AlgorithmsOption,
  type DeviceAlgorithmsOption,
  type SSHAlgorithms,
  type SSHAlgorithmList,
  type SSHKexAlgorithm,
  type SSHServerHostKeyAlgorithm,
  type SSHCipherAlgorithm,
  type SSHMacAlgorithm,
  type SSHCompressionAlgorithm,
  LEGACY_ALGORITHMS,
} from './ssh/index.js';

// Collectors: the contract, the registry, normalization and the built-in vendors.
export {
  type CollectorContext,
  type CollectorMode,
  type CollectorOption,
  type CollectorOptionType,
  type CommandPlan,
  type ConfigCollector,
  type ExitStatusPolicy,
  type NormalizationRules,
  type PrivilegeStep,
  defineCollector,
  isCollectorOptionValue,
  DEFAULT_PROMPT_PATTERN,
  DEFAULT_ENABLE_PASSWORD_PROMPT,
  type CollectorDefinition,
  type PrivilegeDefinition,
  normalizeConfig,
  NORMALIZATION_VERSION,
  type NormalizedConfig,
  type NormalizeOptions,
  maskSecretsInText,
  PRIVATE_KEY_BLOCK,
  SECRET_PLACEHOLDER,
  type SecretBlockRule,
  type SecretLineRule,
  type SecretRule,
  CollectorRegistry,
  createCollectorRegistry,
  builtinCollectors,
  BUILT_IN_VENDORS,
  type BuiltInVendorId,
  type RegisterCollectorOptions,
  routeros,
  routerosCollector,
  type RouterosCollectorOptions,
  ciscoIos,
  ciscoNxos,
  ciscoIosxr,
  ciscoAsa,
  junos,
  aristaEos,
  huaweiVrp,
  fortios,
  vyos,
  linux,
  linuxCollector,
  DEFAULT_LINUX_FILES,
  type LinuxCollectorOptions,
} from './collectors/index.js';

// Snapshots, their wire format, device ids, and the publishers that need no server.
export {
  type Snapshot,
  type SnapshotFields,
  type WireSnapshot,
  type PublishReceipt,
  type PublishOptions,
  type SnapshotPublisher,
  createSnapshot,
  toWireJson,
  fromWireJson,
  MAX_DEVICE_ID_BYTES,
  deviceIdProblem,
  encodeSubjectToken,
  decodeSubjectToken,
  encodeFileName,
  decodeFileName,
  DirectorySnapshotPublisher,
  type DirectorySnapshotPublisherOptions,
  type GitAuthor,
} from './publish/index.js';

// The scheduler, its events, and the ports it calls.
export {
  BackupScheduler,
  type BackupSchedulerOptions,
  type CollectFunction,
  type DeviceState,
  type DeviceStatus,
  type AttemptOutcome,
  type SchedulerStats,
  type SchedulerEvents,
  type AttemptCause,
  type SkipReason,
  type UnblockReason,
  type WarningCode,
  type DeviceSource,
  type CredentialProvider,
  type VersionedCredentials,
  type OnlineGate,
  type OnlineStatus,
  type Lock,
  type Locker,
  type LastSuccessStore,
  LockUnavailableError,
  type LockUnavailableErrorOptions,
  isLockUnavailableError,
  MemoryLocker,
  type MemoryLockerOptions,
  checkDeviceRecord,
  isValidDeviceId,
  type DeviceRecordProblem,
} from './scheduler/index.js';
