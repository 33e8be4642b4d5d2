/**
 * Snapshots and where they go: the wire format of SPEC §5, the `SnapshotPublisher` contract, and
 * the publishers that need no server. The NATS publisher lives in `confsnap/nats`, the in-memory
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
  isSubjectToken,
  toWireJson,
  fromWireJson,
} from './snapshot.js';
export {
  DirectorySnapshotPublisher,
  type DirectorySnapshotPublisherOptions,
  type GitAuthor,
} from './directory.js';
