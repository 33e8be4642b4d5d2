/**
 * The scheduler backs up a device whose record says `transport: "telnet"` (a real simulated
 * device answering telnet), and its events and `status()` name the transport; an exec vendor over
 * telnet is an invalid record (SPEC §8).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import type { SchedulerEvents } from '../../src/scheduler/events.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const SECOND = 1_000;

const devices: SimulatedDevice[] = [];
let scheduler: BackupScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop({ graceful: false });
  await Promise.all(devices.splice(0).map((device) => device.close()));
});

function next<K extends keyof SchedulerEvents>(
  on: BackupScheduler,
  name: K,
): Promise<Parameters<SchedulerEvents[K]>[0]> {
  return new Promise((resolve) => {
    on.once(name, (event: Parameters<SchedulerEvents[K]>[0]) => resolve(event));
  });
}

function schedulerFor(list: Device[], clock: FakeClock, publisher = new MemorySnapshotPublisher()) {
  return new BackupScheduler({
    devices: { list: () => Promise.resolve(list) },
    credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
    publisher,
    clock,
    initialJitterMs: [30 * SECOND, 30 * SECOND],
    random: () => 0,
  });
}

describe('BackupScheduler and telnet devices', () => {
  it('backs up a telnet device, and backup:success and status() say telnet', async () => {
    const device = await startSimulatedDevice({
      vendor: 'cisco-ios',
      config: sampleConfig('cisco-ios'),
      transport: 'telnet',
    });
    devices.push(device);
    const clock = new FakeClock();
    const publisher = new MemorySnapshotPublisher();
    const live = schedulerFor(
      [
        {
          id: 'r1',
          host: device.host,
          port: device.port,
          vendor: 'cisco-ios',
          transport: 'telnet',
        },
      ],
      clock,
      publisher,
    );
    scheduler = live;
    await live.start();
    expect(live.status('r1')!.transport).toBe('telnet');
    const succeeded = next(live, 'backup:success');
    await clock.advance(30 * SECOND);
    const event = await succeeded;
    expect(event.transport).toBe('telnet');
    expect(publisher.snapshots).toHaveLength(1);
    expect(live.status('r1')).toMatchObject({ state: 'idle', transport: 'telnet' });
  });

  it('names the transport of a failed telnet backup, and ssh for a device without one', async () => {
    const device = await startSimulatedDevice({
      vendor: 'vyos',
      config: sampleConfig('vyos'),
      transport: 'telnet',
      credentials: { username: 'admin', password: 'another-password' },
    });
    devices.push(device);
    const clock = new FakeClock();
    const live = schedulerFor(
      [
        { id: 'v1', host: device.host, port: device.port, vendor: 'vyos', transport: 'telnet' },
        { id: 's1', host: '127.0.0.1', port: 9, vendor: 'vyos' },
      ],
      clock,
    );
    scheduler = live;
    const failures: Parameters<SchedulerEvents['backup:failure']>[0][] = [];
    live.on('backup:failure', (event) => failures.push(event));
    await live.start();
    const both = new Promise<void>((resolve) =>
      live.on('backup:failure', () => failures.length === 2 && resolve()),
    );
    await clock.advance(30 * SECOND);
    await both;
    const byId = Object.fromEntries(failures.map((event) => [event.deviceId, event]));
    expect(byId.v1).toMatchObject({ kind: 'auth-failed', permanent: true, transport: 'telnet' });
    expect(byId.s1!.transport).toBe('ssh');
    expect(live.status('s1')!.transport).toBe('ssh');
  });

  it('reports an exec vendor over telnet as an invalid record naming transport', async () => {
    const clock = new FakeClock();
    const live = schedulerFor(
      [{ id: 'mt1', host: '127.0.0.1', vendor: 'routeros', transport: 'telnet' }],
      clock,
    );
    scheduler = live;
    const invalid = next(live, 'device:invalid');
    await live.start();
    const event = await invalid;
    expect(event).toMatchObject({ deviceId: 'mt1', field: 'transport' });
    expect(event.message).toMatch(/routeros runs its commands on SSH exec channels/);
    expect(live.status('mt1')).toBeUndefined();
  });
});
