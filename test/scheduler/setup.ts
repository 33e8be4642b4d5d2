/**
 * A scheduler on a fake clock, fake collection and an in-memory publisher, with every event logged:
 * the common ground of the scheduler's unit tests.
 */
import type { Device } from '../../src/core/device.js';
import { BackupScheduler, type BackupSchedulerOptions } from '../../src/scheduler/scheduler.js';
import type { SchedulerEvents } from '../../src/scheduler/events.js';
import type { VersionedCredentials } from '../../src/scheduler/sources.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const INTERVAL = 6 * HOUR;

export type EventLog = {
  name: keyof SchedulerEvents;
  payload: { deviceId?: string } & Record<string, unknown>;
  at: number;
}[];

export function device(id: string, extra: Partial<Device> = {}): Device {
  return { id, host: `${id}.example.test`, vendor: 'routeros', tenantId: 't1', ...extra };
}

/** A scheduler on a fake clock, fake collection and an in-memory publisher. */
export function setup(
  overrides: Partial<BackupSchedulerOptions> = {},
  list: Device[] = [device('r1')],
) {
  const clock = new FakeClock();
  const fake = new FakeCollector({ clock });
  const publisher = new MemorySnapshotPublisher();
  const state = { devices: list, failList: false };
  const credentials = new Map<string, VersionedCredentials>();
  const scheduler = new BackupScheduler({
    devices: {
      list: () =>
        state.failList ? Promise.reject(new Error('db down')) : Promise.resolve(state.devices),
    },
    credentials: {
      get: (d) =>
        Promise.resolve(
          credentials.get(d.id) ?? { username: 'backup', password: 'pw', version: 'v1' },
        ),
    },
    publisher,
    clock,
    collect: fake.collect,
    initialJitterMs: [30 * SECOND, 300 * SECOND],
    random: () => 0,
    ...overrides,
  });
  const events: EventLog = [];
  const names: (keyof SchedulerEvents)[] = [
    'backup:start',
    'backup:success',
    'backup:failure',
    'backup:skipped',
    'device:added',
    'device:removed',
    'device:invalid',
    'device:unsupported',
    'device:blocked',
    'device:unblocked',
    'hostkey:pinned',
    'hostkey:mismatch',
    'refresh:error',
    'warning',
  ];
  for (const name of names) {
    scheduler.on(name, (payload: EventLog[number]['payload']) =>
      events.push({ name, payload, at: clock.now() }),
    );
  }
  const of = (name: keyof SchedulerEvents, deviceId?: string) =>
    events.filter(
      (e) => e.name === name && (deviceId === undefined || e.payload.deviceId === deviceId),
    );
  return { clock, fake, publisher, state, credentials, scheduler, events, of, t0: clock.now() };
}
