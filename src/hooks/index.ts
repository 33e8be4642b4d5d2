/**
 * Notifications about a `BackupScheduler`'s events — configuration changes, repeated failures,
 * blocked devices, recoveries, finished runs — delivered to webhooks (HTTP POST of JSON) and
 * commands (run without a shell), off the backup's path. Diffs need the optional peer dependency
 * `diff`.
 *
 * Every export is named here: what is not listed is internal.
 *
 * @packageDocumentation
 */
export {
  createNotifier,
  type Notifier,
  type NotifierOptions,
  type NotifierStats,
} from './notifier.js';
export {
  NOTIFICATION_EVENTS,
  notificationEnv,
  type Notification,
  type NotificationEvent,
  type RunSummary,
} from './notification.js';
export { type WebhookTarget, type ExecTarget } from './delivery.js';
export {
  SnapshotTap,
  type SnapshotTapOptions,
  type PreviousConfig,
  type TappedPublish,
} from './snapshot-tap.js';
