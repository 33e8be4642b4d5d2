/**
 * Prometheus metrics of a `BackupScheduler` on a `prom-client` registry (an optional peer
 * dependency: install `prom-client` to use this entry point).
 *
 * Every export is named here: what is not listed is internal.
 *
 * @packageDocumentation
 */
export {
  registerSchedulerMetrics,
  GO_POLLER_BACKUP_STATUSES,
  type SchedulerMetrics,
  type SchedulerMetricsOptions,
  type NotificationStats,
} from './scheduler-metrics.js';
