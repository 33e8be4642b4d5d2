/**
 * SSH collection: one device, one attempt, with deadlines and trust-on-first-use host keys.
 * Re-exported from the package root.
 *
 * @packageDocumentation
 */
export {
  collectConfig,
  COLLECT_DEFAULTS,
  type CollectOptions,
  type CollectResult,
  type CollectLimits,
} from './collect.js';
export {
  fingerprintOf,
  canonicalFingerprint,
  sameFingerprint,
  isFingerprint,
} from './fingerprint.js';
export {
  type HostKeyStore,
  type SSHHostKeyUpdater,
  type HostKeyPinning,
  MemoryHostKeyStore,
  FileHostKeyStore,
} from './host-keys.js';
export {
  type AlgorithmsOption,
  type DeviceAlgorithmsOption,
  type SSHAlgorithms,
  type SSHAlgorithmList,
  type SSHKexAlgorithm,
  type SSHServerHostKeyAlgorithm,
  type SSHCipherAlgorithm,
  type SSHMacAlgorithm,
  type SSHCompressionAlgorithm,
  SSH_KEX_ALGORITHMS,
  SSH_SERVER_HOST_KEY_ALGORITHMS,
  SSH_CIPHER_ALGORITHMS,
  SSH_MAC_ALGORITHMS,
  SSH_COMPRESSION_ALGORITHMS,
  LEGACY_ALGORITHMS,
} from './algorithms.js';
export type { TranscriptEvent, TranscriptListener } from './transcript.js';
