/**
 * Snapshots and where they go: the wire format of SPEC §5, the `SnapshotPublisher` contract, how
 * device ids are encoded in subjects and file names (SPEC §7), and the publishers that need no
 * server. The NATS publisher lives in `confsnap/nats`, the in-memory
 * one in `confsnap/testing`.
 */
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
} from './snapshot.js';
export {
  MAX_DEVICE_ID_BYTES,
  deviceIdProblem,
  encodeSubjectToken,
  decodeSubjectToken,
  encodeFileName,
  decodeFileName,
} from './device-id.js';
export {
  DirectorySnapshotPublisher,
  type DirectorySnapshotPublisherOptions,
  type GitAuthor,
} from './directory.js';
