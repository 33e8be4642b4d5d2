import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { OnlineStatus } from '../../src/core/ports.js';
import { GO_POLLER_BACKUP_STATUSES, registerSchedulerMetrics } from '../../src/prometheus/index.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { device, INTERVAL, SECOND, setup } from '../scheduler/setup.js';
import { parseExposition } from './exposition.js';

async function scrape(registry: Registry) {
  return parseExposition(await registry.metrics());
}

/** A publisher with an outbox, like the NATS one: its stats() say how much waits. */
class OutboxPublisher extends MemorySnapshotPublisher {
  outboxLength = 0;
  outboxBytes = 0;
  stats() {
    return { outboxLength: this.outboxLength, outboxBytes: this.outboxBytes };
  }
}

const gated = (status: OnlineStatus) => ({ check: () => Promise.resolve(status) });

describe('registerSchedulerMetrics', () => {
  it('counts successes, failures by kind and config changes, and times them', async () => {
    const { clock, fake, scheduler } = setup({}, [device('r1'), device('r2')]);
    fake.failNext('r2', 'connect-timeout', 1);
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    fake.setConfig('r1', '# changed\n');
    await clock.advance(INTERVAL);

    const m = await scrape(registry);
    expect(m.value('confsnap_backups_total', { status: 'success', kind: '' })).toBe(3);
    expect(m.value('confsnap_backups_total', { status: 'failed', kind: 'connect-timeout' })).toBe(
      1,
    );
    expect(m.value('confsnap_backups_total', { status: 'failed', kind: 'auth-failed' })).toBe(0);
    // r1 twice (the first one is new, then a change), r2 once after its retry.
    expect(m.value('confsnap_config_changes_total')).toBe(3);
    expect(m.value('confsnap_backup_duration_seconds_count', { status: 'success' })).toBe(3);
    expect(m.value('confsnap_backup_duration_seconds_count', { status: 'failed' })).toBe(1);
    expect(m.types.get('confsnap_backup_duration_seconds')).toBe('histogram');
    expect(m.types.get('confsnap_backups_total')).toBe('counter');
  });

  it('observes the duration each attempt took on the clock', async () => {
    const { clock, fake, scheduler } = setup();
    fake.stall('r1', 7 * SECOND);
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, goPollerCompat: true });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(7 * SECOND);
    const m = await scrape(registry);
    expect(m.value('confsnap_backup_duration_seconds_sum', { status: 'success' })).toBe(7);
    const bucket = (le: string) =>
      m.value('confsnap_backup_duration_seconds_bucket', { status: 'success', le });
    expect(bucket('5')).toBe(0);
    expect(bucket('10')).toBe(1);
    expect(m.value('mikrotik_config_backup_duration_seconds_bucket', { le: '5' })).toBe(0);
    expect(m.value('mikrotik_config_backup_duration_seconds_bucket', { le: '10' })).toBe(1);
  });

  it('reports devices by state and the block counter of a blocked device', async () => {
    const { clock, fake, scheduler } = setup({}, [device('r1'), device('r2'), device('r3')]);
    fake.requirePassword('r1', 'right');
    fake.failNext('r2', 'unreachable');
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);

    const m = await scrape(registry);
    expect(m.value('confsnap_devices', { state: 'blocked' })).toBe(1);
    expect(m.value('confsnap_devices', { state: 'backoff' })).toBe(1);
    expect(m.value('confsnap_devices', { state: 'idle' })).toBe(1);
    expect(m.value('confsnap_devices', { state: 'offline' })).toBe(0);
    expect(m.value('confsnap_device_blocks_total', { kind: 'auth-failed' })).toBe(1);
    expect(m.value('confsnap_device_blocks_total', { kind: 'host-key-mismatch' })).toBe(0);
  });

  it('reads in flight, slots and queue length from the scheduler at each scrape', async () => {
    const { clock, fake, scheduler } = setup({ concurrency: 1 }, [device('r1'), device('r2')]);
    fake.stall('r1');
    fake.stall('r2');
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, goPollerCompat: true });
    await scheduler.start();
    await clock.advance(30 * SECOND);

    const m = await scrape(registry);
    expect(m.value('confsnap_slots_held')).toBe(1);
    expect(m.value('mikrotik_config_backup_active')).toBe(1);
    expect(m.value('confsnap_queue_length')).toBe(1);
    expect(m.value('confsnap_attempts_in_flight')).toBe(2);
    expect(m.value('confsnap_devices', { state: 'running' })).toBe(1);
    expect(m.value('confsnap_devices', { state: 'waiting' })).toBe(1);
    await scheduler.stop({ graceful: false });
  });

  it('exports the outbox only when the publisher reports one', async () => {
    const publisher = new OutboxPublisher();
    const withOutbox = setup({ publisher });
    const registry = new Registry();
    registerSchedulerMetrics(withOutbox.scheduler, { registry });
    publisher.outboxLength = 4;
    publisher.outboxBytes = 4096;
    const m = await scrape(registry);
    expect(m.value('confsnap_outbox_snapshots')).toBe(4);
    expect(m.value('confsnap_outbox_bytes')).toBe(4096);

    const plain = setup();
    const other = new Registry();
    registerSchedulerMetrics(plain.scheduler, { registry: other });
    expect((await scrape(other)).all('confsnap_outbox_snapshots')).toEqual([]);
  });

  it('exports each device last success time only with perDevice', async () => {
    const { clock, scheduler, t0 } = setup({}, [
      device('r1'),
      device('core.sw"1', { vendor: 'cisco-ios', tenantId: undefined }),
    ]);
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, perDevice: true });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    let m = await scrape(registry);
    expect(m.all('confsnap_device_last_success_timestamp_seconds')).toEqual([]);
    await clock.advance(30 * SECOND);
    m = await scrape(registry);
    expect(
      m.value('confsnap_device_last_success_timestamp_seconds', {
        device: 'r1',
        vendor: 'routeros',
        tenant: 't1',
      }),
    ).toBe((t0 + 30 * SECOND) / 1000);
    expect(
      m.value('confsnap_device_last_success_timestamp_seconds', {
        device: 'core.sw"1',
        vendor: 'cisco-ios',
        tenant: '',
      }),
    ).toBe((t0 + 30 * SECOND) / 1000);

    const without = setup();
    const other = new Registry();
    registerSchedulerMetrics(without.scheduler, { registry: other });
    await without.scheduler.start();
    await without.clock.advance(30 * SECOND);
    expect((await scrape(other)).all('confsnap_device_last_success_timestamp_seconds')).toEqual([]);
    await without.scheduler.stop();
  });

  it('drops a removed device from the per-device series', async () => {
    const { clock, scheduler, state } = setup({}, [device('r1'), device('r2')]);
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, perDevice: true });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    state.devices = [device('r2')];
    await scheduler.refresh();
    const m = await scrape(registry);
    expect(
      m.all('confsnap_device_last_success_timestamp_seconds').map((s) => s.labels.device),
    ).toEqual(['r2']);
  });

  it('uses another prefix when given one, but never on the Go poller names', async () => {
    const { scheduler } = setup();
    const registry = new Registry();
    const metrics = registerSchedulerMetrics(scheduler, {
      registry,
      prefix: 'backup_',
      goPollerCompat: true,
    });
    const m = await scrape(registry);
    expect(m.value('backup_queue_length')).toBe(0);
    expect(m.all('confsnap_queue_length')).toEqual([]);
    expect(m.value('mikrotik_config_backup_total', { status: 'success' })).toBe(0);
    expect(metrics.names.every((n) => n.startsWith('backup_') || n.startsWith('mikrotik_'))).toBe(
      true,
    );
  });

  it('rejects a prefix that makes invalid metric names', () => {
    const { scheduler } = setup();
    expect(() =>
      registerSchedulerMetrics(scheduler, { registry: new Registry(), prefix: 'bad-prefix' }),
    ).toThrow(/prefix must be empty or match/);
  });
});

describe('registerSchedulerMetrics with goPollerCompat', () => {
  it('exports exactly the Go poller names, labels and buckets', async () => {
    const { scheduler } = setup();
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, goPollerCompat: true });
    const m = await scrape(registry);
    expect(m.types.get('mikrotik_config_backup_total')).toBe('counter');
    expect(m.types.get('mikrotik_config_backup_duration_seconds')).toBe('histogram');
    expect(m.types.get('mikrotik_config_backup_active')).toBe('gauge');
    expect(
      m
        .all('mikrotik_config_backup_total')
        .map((s) => s.labels)
        .sort((a, b) => a.status!.localeCompare(b.status!)),
    ).toEqual([...GO_POLLER_BACKUP_STATUSES].sort().map((status) => ({ status })));
    expect(m.all('mikrotik_config_backup_duration_seconds_bucket').map((s) => s.labels)).toEqual(
      ['1', '5', '10', '30', '60', '120', '300', '+Inf'].map((le) => ({ le })),
    );
    expect(m.value('mikrotik_config_backup_active')).toBe(0);
  });

  it('counts success, error and offline skips under the Go poller statuses', async () => {
    const { clock, fake, scheduler } = setup({}, [device('r1'), device('r2')]);
    fake.failNext('r2', 'command-timeout');
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, goPollerCompat: true });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const m = await scrape(registry);
    expect(m.value('mikrotik_config_backup_total', { status: 'success' })).toBe(1);
    expect(m.value('mikrotik_config_backup_total', { status: 'error' })).toBe(1);
    expect(m.value('mikrotik_config_backup_duration_seconds_count')).toBe(2);

    const offline = setup({ onlineGate: gated('offline') });
    const other = new Registry();
    registerSchedulerMetrics(offline.scheduler, { registry: other, goPollerCompat: true });
    await offline.scheduler.start();
    await offline.clock.advance(30 * SECOND);
    const o = await scrape(other);
    expect(o.value('mikrotik_config_backup_total', { status: 'skipped_offline' })).toBe(1);
    expect(o.value('confsnap_backups_total', { status: 'skipped', kind: 'offline' })).toBe(1);
    await offline.scheduler.stop();
  });

  it('tells auth-blocked from host-key-blocked skips', async () => {
    const { clock, fake, scheduler } = setup({}, [
      device('r1'),
      device('r2', { hostKeyFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    ]);
    fake.requirePassword('r1', 'right');
    fake.setHostKey('r2', 'SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB');
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, goPollerCompat: true });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(INTERVAL);
    const m = await scrape(registry);
    expect(m.value('mikrotik_config_backup_total', { status: 'error' })).toBe(2);
    expect(m.value('mikrotik_config_backup_total', { status: 'skipped_auth_blocked' })).toBe(1);
    expect(m.value('mikrotik_config_backup_total', { status: 'skipped_hostkey_blocked' })).toBe(1);
    expect(m.value('confsnap_device_blocks_total', { kind: 'host-key-mismatch' })).toBe(1);
  });
});

describe('registerSchedulerMetrics registration', () => {
  it('refuses to register the same scheduler twice on one registry', () => {
    const { scheduler } = setup();
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry });
    expect(() => registerSchedulerMetrics(scheduler, { registry, prefix: 'other_' })).toThrow(
      /this scheduler has metrics on this registry already/,
    );
    // Another registry is fine.
    expect(() => registerSchedulerMetrics(scheduler, { registry: new Registry() })).not.toThrow();
  });

  it('refuses a stopped scheduler', async () => {
    const { scheduler } = setup();
    await scheduler.start();
    await scheduler.stop();
    expect(() => registerSchedulerMetrics(scheduler, { registry: new Registry() })).toThrow(
      /the scheduler is stopped/,
    );
  });

  it('registers nothing when a name is taken, and names the metric', async () => {
    const registry = new Registry();
    registerSchedulerMetrics(setup().scheduler, { registry });
    const before = (await registry.metrics()).length;
    const second = setup().scheduler;
    expect(() => registerSchedulerMetrics(second, { registry, goPollerCompat: true })).toThrow(
      /confsnap_backups_total is registered already/,
    );
    expect((await registry.metrics()).length).toBe(before);
    expect(registry.getSingleMetric('mikrotik_config_backup_total')).toBeUndefined();
  });

  it('unregister removes every metric and stops counting; registering again works', async () => {
    const { clock, scheduler } = setup();
    const registry = new Registry();
    const metrics = registerSchedulerMetrics(scheduler, {
      registry,
      perDevice: true,
      goPollerCompat: true,
      notifier: { stats: () => ({ delivered: 1, failed: 0, dropped: 0, queued: 0 }) },
    });
    expect(metrics.names.length).toBeGreaterThan(10);
    metrics.unregister();
    expect((await registry.metrics()).trim()).toBe('');
    expect(registry.getMetricsAsArray()).toEqual([]);
    metrics.unregister();

    const again = registerSchedulerMetrics(scheduler, { registry });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const m = await scrape(registry);
    expect(m.value('confsnap_backups_total', { status: 'success', kind: '' })).toBe(1);
    again.unregister();
  });

  it('exports a notifier’s delivery counters', async () => {
    const { scheduler } = setup();
    const registry = new Registry();
    const stats = { delivered: 5, failed: 2, dropped: 1, queued: 3 };
    registerSchedulerMetrics(scheduler, { registry, notifier: { stats: () => stats } });
    let m = await scrape(registry);
    expect(m.value('confsnap_notifications_total', { result: 'delivered' })).toBe(5);
    expect(m.value('confsnap_notifications_total', { result: 'failed' })).toBe(2);
    expect(m.value('confsnap_notifications_total', { result: 'dropped' })).toBe(1);
    expect(m.value('confsnap_notification_queue')).toBe(3);
    stats.delivered = 9;
    m = await scrape(registry);
    expect(m.value('confsnap_notifications_total', { result: 'delivered' })).toBe(9);
  });
});
