/**
 * A refused enable (wrong secret) blocks the device like a refused login, on a real simulated
 * device: no further attempt until the credentials' version changes (SPEC §8, §6).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import type { SchedulerEvents } from '../../src/scheduler/events.js';
import type { VersionedCredentials } from '../../src/scheduler/sources.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const INTERVAL = 6 * HOUR;

let device: SimulatedDevice | undefined;
let scheduler: BackupScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop({ graceful: false });
  await device?.close();
});

/** Resolves with the next event of that name (in real time: the collection is real). */
function next<K extends keyof SchedulerEvents>(
  on: BackupScheduler,
  name: K,
): Promise<Parameters<SchedulerEvents[K]>[0]> {
  return new Promise((resolve) => {
    on.once(name, (event: Parameters<SchedulerEvents[K]>[0]) => resolve(event));
  });
}

describe('BackupScheduler and a refused enable', () => {
  it('blocks the ASA after a wrong enable secret and tries again only once the secret changes', async () => {
    device = await startSimulatedDevice({
      vendor: 'cisco-asa',
      config: sampleConfig('cisco-asa'),
      privilege: { enableSecret: 'the-right-one' },
    });
    const clock = new FakeClock();
    let credentials: VersionedCredentials = {
      username: 'admin',
      password: 'admin',
      enableSecret: 'a-wrong-one',
      version: 'v1',
    };
    const publisher = new MemorySnapshotPublisher();
    const live = new BackupScheduler({
      devices: {
        list: () =>
          Promise.resolve([
            { id: 'fw1', host: device!.host, port: device!.port, vendor: 'cisco-asa' },
          ]),
      },
      credentials: { get: () => Promise.resolve(credentials) },
      publisher,
      clock,
      initialJitterMs: [30 * SECOND, 30 * SECOND],
      random: () => 0,
    });
    scheduler = live;
    const skipped: string[] = [];
    live.on('backup:skipped', (event) => skipped.push(event.reason));
    await live.start();

    const failed = next(live, 'backup:failure');
    const blocked = next(live, 'device:blocked');
    await clock.advance(30 * SECOND);
    expect(await failed).toMatchObject({ kind: 'auth-failed', permanent: true });
    expect((await blocked).message).toMatch(/enable secret/);
    expect(live.status('fw1')!.state).toBe('blocked');

    await clock.advance(3 * INTERVAL);
    expect(device.commands.filter((command) => command === 'enable')).toHaveLength(1);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((reason) => reason === 'blocked')).toBe(true);

    credentials = { ...credentials, enableSecret: 'the-right-one', version: 'v2' };
    const unblocked = next(live, 'device:unblocked');
    const succeeded = next(live, 'backup:success');
    // Timer by timer up to the attempt that re-checks the block: the collection runs in real
    // time on this fake clock, and jumping further would fire its connect deadline.
    let started = false;
    live.on('backup:start', () => (started = true));
    while (!started) await clock.runNext();
    expect((await unblocked).reason).toBe('credentials');
    await succeeded;
    expect(publisher.snapshots).toHaveLength(1);
    expect(device.commands.filter((command) => command === 'enable')).toHaveLength(2);
  });
});
