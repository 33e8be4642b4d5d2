/** What the notifier delivers: the events, their JSON body and their environment variables. */

/** The events a notifier delivers. */
export type NotificationEvent =
  /** A backup's configuration differs from the device's previous one. */
  | 'config-changed'
  /** A device failed `failureThreshold` times in a row (once, until it is healthy again). */
  | 'backup-failed'
  /** A device was blocked by `auth-failed` or `host-key-mismatch`. */
  | 'device-blocked'
  /** A device that was reported failed or blocked was backed up successfully again. */
  | 'device-healthy'
  /** A one-shot run (`confsnap backup`) finished; see {@link RunSummary}. */
  | 'run-finished';

/** Every {@link NotificationEvent}, in a stable order. */
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = Object.freeze([
  'config-changed',
  'backup-failed',
  'device-blocked',
  'device-healthy',
  'run-finished',
]);

/** The counts a `run-finished` notification carries. */
export interface RunSummary {
  /** Devices attempted. */
  devices: number;
  succeeded: number;
  failed: number;
  /** Successes whose configuration changed. */
  changed: number;
  /** Devices not attempted (blocked, skipped, invalid…). */
  skipped?: number;
  durationMs?: number;
}

/**
 * One notification: the JSON body of a webhook POST, and (on stdin) of an exec. Fields not
 * relevant to the event are absent. It never carries a password or key; configuration text only
 * in `diff`, only when diffs were asked for and both versions had their secrets masked.
 */
export interface Notification {
  event: NotificationEvent;
  /** When the notifier saw the event (RFC 3339, UTC). */
  at: string;
  deviceId?: string;
  vendor?: string;
  tenantId?: string;
  /** The configuration hash before the change (absent when unknown, e.g. the first backup). */
  sha256Before?: string;
  /** The configuration hash now. */
  sha256After?: string;
  /** When the configuration was read from the device (RFC 3339). */
  collectedAt?: string;
  /** The unified diff from the previous to the new configuration (`includeDiff`). */
  diff?: string;
  /**
   * Why `diff` is absent although diffs were asked for: `secrets-not-masked`, `no-previous`
   * (the notifier has not seen the previous text), `too-large`, `diff-unavailable` (the optional
   * package `diff` is not installed).
   */
  diffOmitted?: 'secrets-not-masked' | 'no-previous' | 'too-large' | 'diff-unavailable';
  /** The error kind (`backup-failed`, `device-blocked`). */
  kind?: string;
  /** The scheduler's message about the failure: names the device and what to do, no secrets. */
  message?: string;
  consecutiveFailures?: number;
  /** The counts of a `run-finished`. */
  summary?: RunSummary;
}

/**
 * The environment variables an exec target gets for a notification, on top of its own: every
 * field as `CONFSNAP_<FIELD>` (e.g. `CONFSNAP_EVENT`, `CONFSNAP_DEVICE_ID`, `CONFSNAP_SHA256_AFTER`,
 * `CONFSNAP_SUMMARY_FAILED`). The diff is never put into the environment (other processes of the
 * same user can read it); it is on the exec's stdin with the rest of the JSON.
 */
export function notificationEnv(notification: Notification): Record<string, string> {
  const env: Record<string, string> = {};
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined) env[`CONFSNAP_${name}`] = String(value);
  };
  put('EVENT', notification.event);
  put('AT', notification.at);
  put('DEVICE_ID', notification.deviceId);
  put('VENDOR', notification.vendor);
  put('TENANT_ID', notification.tenantId);
  put('SHA256_BEFORE', notification.sha256Before);
  put('SHA256_AFTER', notification.sha256After);
  put('COLLECTED_AT', notification.collectedAt);
  put('ERROR_KIND', notification.kind);
  put('MESSAGE', notification.message);
  put('CONSECUTIVE_FAILURES', notification.consecutiveFailures);
  put('HAS_DIFF', notification.diff === undefined ? undefined : '1');
  const summary = notification.summary;
  if (summary) {
    put('SUMMARY_DEVICES', summary.devices);
    put('SUMMARY_SUCCEEDED', summary.succeeded);
    put('SUMMARY_FAILED', summary.failed);
    put('SUMMARY_CHANGED', summary.changed);
    put('SUMMARY_SKIPPED', summary.skipped);
    put('SUMMARY_DURATION_MS', summary.durationMs);
  }
  return env;
}
