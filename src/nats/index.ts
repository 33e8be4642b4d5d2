/**
 * NATS adapters of confsnap. They take the service's existing `NatsConnection`.
 *
 * @packageDocumentation
 */
export {
  NatsSnapshotPublisher,
  type NatsSnapshotPublisherOptions,
  type NatsSnapshotPublisherStats,
  type NatsSnapshotStreamOptions,
  type NatsOutboxOptions,
  DEFAULT_SNAPSHOT_SUBJECT_PREFIX,
  snapshotMsgId,
} from './snapshot-publisher.js';
export {
  type EnsureStreamOutcome,
  DEFAULT_SNAPSHOT_STREAM_NAME,
  DEFAULT_SNAPSHOT_STREAM_SUBJECTS,
  DEFAULT_SNAPSHOT_MAX_AGE_MS,
  DEFAULT_SNAPSHOT_DUPLICATE_WINDOW_MS,
} from './stream.js';
export {
  TriggerResponder,
  type TriggerResponderOptions,
  type TriggerTarget,
  type TriggerRequest,
  type TriggerReply,
  DEFAULT_TRIGGER_SUBJECT,
  DEFAULT_TRIGGER_QUEUE,
} from './trigger-responder.js';
