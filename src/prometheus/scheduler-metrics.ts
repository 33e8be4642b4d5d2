import { Counter, Gauge, Histogram, register as globalRegistry, type Registry } from 'prom-client';
import { BACKUP_ERROR_KINDS, type BackupErrorKind } from '../core/errors.js';
import type { SchedulerEvents, SkipReason } from '../scheduler/events.js';
import type { BackupScheduler, DeviceState } from '../scheduler/scheduler.js';

/** What a notifier (e.g. `createNotifier` of `confsnap/hooks`) reports about its deliveries. */
export interface NotificationStats {
  /** Deliveries that succeeded. */
  delivered: number;
  /** Deliveries that failed after their last retry. */
  failed: number;
  /** Notifications dropped because the queue was full. */
  dropped: number;
  /** Notifications waiting or being delivered now. */
  queued: number;
}

/** Options of {@link registerSchedulerMetrics}. */
export interface SchedulerMetricsOptions {
  /** The registry to register on. Default: prom-client's global `register`. */
  registry?: Registry;
  /** Prefix of every metric name except the Go poller's. Default: `confsnap_`. */
  prefix?: string;
  /**
   * Also export one series per device (`…device_last_success_timestamp_seconds`), for
   * stale-backup alerts per device. Off by default: a series per device is a cost in a large fleet.
   */
  perDevice?: boolean;
  /**
   * Also export the Go poller's `mikrotik_config_backup_total{status}`,
   * `mikrotik_config_backup_duration_seconds` and `mikrotik_config_backup_active`, under exactly
   * those names (no prefix), so its dashboards and alerts keep working.
   */
  goPollerCompat?: boolean;
  /** A notifier whose delivery counters to export (`…notifications_total`, `…notification_queue`). */
  notifier?: { stats(): NotificationStats };
}

/** What {@link registerSchedulerMetrics} returns. */
export interface SchedulerMetrics {
  /** The names of the metrics registered, in the order registered. */
  readonly names: readonly string[];
  /** Stops listening to the scheduler and removes every metric registered from the registry. */
  unregister(): void;
}

/** The `status` label values of `mikrotik_config_backup_total`, as the Go poller used them. */
export const GO_POLLER_BACKUP_STATUSES = Object.freeze([
  'success',
  'error',
  'skipped_offline',
  'skipped_auth_blocked',
  'skipped_hostkey_blocked',
] as const);

/** Buckets of the duration histogram, in seconds: from a fast SSH login to a five-minute export. */
const DURATION_BUCKETS_S = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
/** The Go poller's buckets of `mikrotik_config_backup_duration_seconds`. */
const GO_POLLER_DURATION_BUCKETS_S = [1, 5, 10, 30, 60, 120, 300];
const DEVICE_STATES: readonly DeviceState[] = [
  'idle',
  'waiting',
  'running',
  'backoff',
  'blocked',
  'offline',
];
const SKIP_REASONS: readonly SkipReason[] = ['offline', 'fresh', 'blocked'];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The registries each scheduler has metrics on: registering twice is an error. */
const registered = new WeakMap<BackupScheduler, WeakSet<Registry>>();

/**
 * Registers metrics of a {@link BackupScheduler} on a prom-client registry (SPEC §10):
 *
 * - `confsnap_backups_total{status,kind}`: outcomes. `status` is `success`, `failed`, `skipped` or
 *   `locked`; `kind` is the error kind of a failure, the reason of a skip (`offline`, `fresh`,
 *   `blocked`), empty otherwise.
 * - `confsnap_backup_duration_seconds{status}`: duration of attempts that worked on the device
 *   (`success`, `failed`).
 * - `confsnap_attempts_in_flight`, `confsnap_slots_held`, `confsnap_queue_length`.
 * - `confsnap_outbox_snapshots`, `confsnap_outbox_bytes`: when the publisher's `stats()` reports
 *   an outbox (the NATS publisher).
 * - `confsnap_devices{state}`, `confsnap_device_blocks_total{kind}`,
 *   `confsnap_config_changes_total`.
 * - with `perDevice`: `confsnap_device_last_success_timestamp_seconds{device,vendor,tenant}`.
 * - with `notifier`: `confsnap_notifications_total{result}`, `confsnap_notification_queue`.
 *
 * Counters count from the registration on; gauges are read from the scheduler at each scrape.
 *
 * @throws {Error} when metrics of this scheduler are on this registry already, when the scheduler
 * is stopped, or when a metric of the same name is registered already; nothing is registered then.
 * @throws {TypeError} when `prefix` would make an invalid metric name.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { registerSchedulerMetrics } from 'confsnap/prometheus';
 *
 * const registry = new Registry();
 * const metrics = registerSchedulerMetrics(scheduler, { registry, goPollerCompat: true });
 * // serve `await registry.metrics()` on /metrics; at shutdown:
 * metrics.unregister();
 * ```
 */
export function registerSchedulerMetrics(
  scheduler: BackupScheduler,
  options: SchedulerMetricsOptions = {},
): SchedulerMetrics {
  const registry = options.registry ?? globalRegistry;
  const prefix = options.prefix ?? 'confsnap_';
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix))) {
    throw new TypeError(
      `registerSchedulerMetrics: prefix must be empty or match ${String(METRIC_NAME)}, got ${JSON.stringify(prefix)}`,
    );
  }
  if (scheduler.stopped) {
    throw new Error(
      'registerSchedulerMetrics: the scheduler is stopped; register on a running one',
    );
  }
  if (registered.get(scheduler)?.has(registry)) {
    throw new Error(
      'registerSchedulerMetrics: this scheduler has metrics on this registry already; call unregister() first',
    );
  }

  const metrics = buildMetrics(scheduler, prefix, options);
  for (const metric of metrics.all) {
    const name = metricName(metric);
    if (registry.getSingleMetric(name)) {
      throw new Error(
        `registerSchedulerMetrics: a metric named ${name} is registered already on this registry (another scheduler? use another prefix)`,
      );
    }
  }
  for (const metric of metrics.all) registry.registerMetric(metric);
  const names = metrics.all.map(metricName);
  const stopListening = listen(scheduler, metrics.onEvent);
  let schedulers = registered.get(scheduler);
  if (!schedulers) registered.set(scheduler, (schedulers = new WeakSet()));
  schedulers.add(registry);

  let active = true;
  return {
    names,
    unregister() {
      if (!active) return;
      active = false;
      stopListening();
      for (const name of names) registry.removeSingleMetric(name);
      registered.get(scheduler)?.delete(registry);
    },
  };
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

interface Handlers {
  success: Parameters<SchedulerEvents['backup:success']>[0];
  failure: Parameters<SchedulerEvents['backup:failure']>[0];
  skipped: Parameters<SchedulerEvents['backup:skipped']>[0];
  blocked: Parameters<SchedulerEvents['device:blocked']>[0];
  unblocked: Parameters<SchedulerEvents['device:unblocked']>[0];
  removed: Parameters<SchedulerEvents['device:removed']>[0];
}

type EventHandlers = { [K in keyof Handlers]: (event: Handlers[K]) => void };

function metricName(metric: AnyMetric): string {
  // prom-client keeps the name on the metric; its type declarations do not say so.
  return (metric as unknown as { name: string }).name;
}

function buildMetrics(
  scheduler: BackupScheduler,
  prefix: string,
  options: SchedulerMetricsOptions,
): { all: AnyMetric[]; onEvent: EventHandlers } {
  // Registered by the caller once every name is known to be free.
  const registers: Registry[] = [];
  const all: AnyMetric[] = [];
  const add = <M extends AnyMetric>(metric: M): M => {
    all.push(metric);
    return metric;
  };

  const backups = add(
    new Counter({
      name: `${prefix}backups_total`,
      help: 'Backup attempts by outcome: status success, failed, skipped or locked; kind is the error kind of a failure or the reason of a skip.',
      labelNames: ['status', 'kind'],
      registers,
    }),
  );
  backups.inc({ status: 'success', kind: '' }, 0);
  backups.inc({ status: 'locked', kind: '' }, 0);
  for (const kind of BACKUP_ERROR_KINDS) {
    if (kind !== 'cancelled') backups.inc({ status: 'failed', kind }, 0);
  }
  for (const kind of SKIP_REASONS) backups.inc({ status: 'skipped', kind }, 0);

  const duration = add(
    new Histogram({
      name: `${prefix}backup_duration_seconds`,
      help: 'Duration of backup attempts that worked on the device, by status (success, failed).',
      labelNames: ['status'],
      buckets: DURATION_BUCKETS_S,
      registers,
    }),
  );
  add(
    new Gauge({
      name: `${prefix}attempts_in_flight`,
      help: 'Attempts in progress in any step: reading the device, waiting for a slot or a lock, working.',
      registers,
      collect() {
        this.set(scheduler.stats().attemptsInFlight);
      },
    }),
  );
  add(
    new Gauge({
      name: `${prefix}slots_held`,
      help: 'Attempts holding a concurrency slot (at most the concurrency setting).',
      registers,
      collect() {
        this.set(scheduler.stats().slotsHeld);
      },
    }),
  );
  add(
    new Gauge({
      name: `${prefix}queue_length`,
      help: 'Attempts due and waiting for a concurrency slot.',
      registers,
      collect() {
        this.set(scheduler.stats().queueLength);
      },
    }),
  );
  const publisherStats = outbox(scheduler);
  if (typeof publisherStats?.outboxLength === 'number') {
    add(
      new Gauge({
        name: `${prefix}outbox_snapshots`,
        help: 'Snapshots in the publisher outbox, not yet acknowledged.',
        registers,
        collect() {
          this.set(numberOr0(outbox(scheduler)?.outboxLength));
        },
      }),
    );
  }
  if (typeof publisherStats?.outboxBytes === 'number') {
    add(
      new Gauge({
        name: `${prefix}outbox_bytes`,
        help: 'Bytes of the snapshots in the publisher outbox.',
        registers,
        collect() {
          this.set(numberOr0(outbox(scheduler)?.outboxBytes));
        },
      }),
    );
  }
  add(
    new Gauge({
      name: `${prefix}devices`,
      help: 'Devices by state: idle, waiting, running, backoff, blocked, offline.',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = new Map<DeviceState, number>(DEVICE_STATES.map((state) => [state, 0]));
        for (const status of scheduler.status()) {
          counts.set(status.state, (counts.get(status.state) ?? 0) + 1);
        }
        for (const [state, count] of counts) this.set({ state }, count);
      },
    }),
  );
  const blocks = add(
    new Counter({
      name: `${prefix}device_blocks_total`,
      help: 'Devices blocked, by the error kind that blocked them (auth-failed, host-key-mismatch).',
      labelNames: ['kind'],
      registers,
    }),
  );
  blocks.inc({ kind: 'auth-failed' }, 0);
  blocks.inc({ kind: 'host-key-mismatch' }, 0);
  const changes = add(
    new Counter({
      name: `${prefix}config_changes_total`,
      help: 'Backups whose configuration differed from the previous one.',
      registers,
    }),
  );
  if (options.perDevice) {
    add(
      new Gauge({
        name: `${prefix}device_last_success_timestamp_seconds`,
        help: 'When each device was last backed up successfully (Unix time); no series before its first success.',
        labelNames: ['device', 'vendor', 'tenant'],
        registers,
        collect() {
          // Rebuilt at each scrape: a removed device's series goes with it.
          this.reset();
          for (const status of scheduler.status()) {
            if (status.lastSuccessAt === undefined) continue;
            this.set(
              { device: status.deviceId, vendor: status.vendor, tenant: status.tenantId ?? '' },
              status.lastSuccessAt.getTime() / 1000,
            );
          }
        },
      }),
    );
  }
  const notifier = options.notifier;
  if (notifier) {
    add(
      new Counter({
        name: `${prefix}notifications_total`,
        help: 'Hook notifications by result: delivered, failed (after retries), dropped (queue full).',
        labelNames: ['result'],
        registers,
        collect() {
          const stats = notifier.stats();
          this.reset();
          this.inc({ result: 'delivered' }, stats.delivered);
          this.inc({ result: 'failed' }, stats.failed);
          this.inc({ result: 'dropped' }, stats.dropped);
        },
      }),
    );
    add(
      new Gauge({
        name: `${prefix}notification_queue`,
        help: 'Hook notifications waiting or being delivered.',
        registers,
        collect() {
          this.set(notifier.stats().queued);
        },
      }),
    );
  }

  let compat: GoPollerMetrics | undefined;
  if (options.goPollerCompat) {
    compat = {
      total: add(
        new Counter({
          name: 'mikrotik_config_backup_total',
          help: 'Total config backup operations.',
          labelNames: ['status'],
          registers,
        }),
      ),
      duration: add(
        new Histogram({
          name: 'mikrotik_config_backup_duration_seconds',
          help: 'Duration of a single config backup operation in seconds.',
          buckets: GO_POLLER_DURATION_BUCKETS_S,
          registers,
        }),
      ),
    };
    for (const status of GO_POLLER_BACKUP_STATUSES) compat.total.inc({ status }, 0);
    add(
      new Gauge({
        name: 'mikrotik_config_backup_active',
        help: 'Number of concurrent config backup jobs running.',
        registers,
        collect() {
          this.set(scheduler.stats().slotsHeld);
        },
      }),
    );
  }

  // The kind that blocked each device, for the Go poller's skipped_*_blocked.
  const blockKinds = new Map<string, BackupErrorKind>();
  const onEvent: EventHandlers = {
    success(event) {
      backups.inc({ status: 'success', kind: '' });
      duration.observe({ status: 'success' }, event.durationMs / 1000);
      if (event.changed) changes.inc();
      compat?.total.inc({ status: 'success' });
      compat?.duration.observe(event.durationMs / 1000);
    },
    failure(event) {
      backups.inc({ status: 'failed', kind: event.kind });
      duration.observe({ status: 'failed' }, event.durationMs / 1000);
      compat?.total.inc({ status: 'error' });
      compat?.duration.observe(event.durationMs / 1000);
    },
    skipped(event) {
      if (event.reason === 'locked') {
        backups.inc({ status: 'locked', kind: '' });
        return;
      }
      backups.inc({ status: 'skipped', kind: event.reason });
      if (!compat) return;
      if (event.reason === 'offline') compat.total.inc({ status: 'skipped_offline' });
      if (event.reason === 'blocked') {
        const kind =
          blockKinds.get(event.deviceId) ?? scheduler.status(event.deviceId)?.lastErrorKind;
        if (kind === 'auth-failed') compat.total.inc({ status: 'skipped_auth_blocked' });
        if (kind === 'host-key-mismatch') compat.total.inc({ status: 'skipped_hostkey_blocked' });
      }
    },
    blocked(event) {
      blocks.inc({ kind: event.kind });
      blockKinds.set(event.deviceId, event.kind);
    },
    unblocked(event) {
      blockKinds.delete(event.deviceId);
    },
    removed(event) {
      blockKinds.delete(event.deviceId);
    },
  };
  return { all, onEvent };
}

interface GoPollerMetrics {
  total: Counter<string>;
  duration: Histogram<string>;
}

function outbox(
  scheduler: BackupScheduler,
): { outboxLength?: unknown; outboxBytes?: unknown } | undefined {
  const publisher = scheduler.stats().publisher;
  return typeof publisher === 'object' && publisher !== null ? publisher : undefined;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function listen(scheduler: BackupScheduler, on: EventHandlers): () => void {
  scheduler.on('backup:success', on.success);
  scheduler.on('backup:failure', on.failure);
  scheduler.on('backup:skipped', on.skipped);
  scheduler.on('device:blocked', on.blocked);
  scheduler.on('device:unblocked', on.unblocked);
  scheduler.on('device:removed', on.removed);
  return () => {
    scheduler.off('backup:success', on.success);
    scheduler.off('backup:failure', on.failure);
    scheduler.off('backup:skipped', on.skipped);
    scheduler.off('device:blocked', on.blocked);
    scheduler.off('device:unblocked', on.unblocked);
    scheduler.off('device:removed', on.removed);
  };
}
