/**
 * SPEC §2: after stop() resolves nothing starts, and no port that never settles (and ignores its
 * signal) can hang stop() or freeze a device: every port call is bounded by the attempt's time
 * limit and by stop.
 */
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { BackupError } from '../../src/core/errors.js';
import type { LastSuccessStore, Locker, OnlineGate } from '../../src/core/ports.js';
import type { HostKeyStore } from '../../src/ssh/host-keys.js';
import { fingerprintOf } from '../../src/ssh/fingerprint.js';
import { device, MINUTE, SECOND, setup } from './setup.js';

/** A port call that never settles and ignores its signal. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** Lets pending promise callbacks and I/O callbacks run a while, without moving any clock. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` settled after a flush; real time does not move for it. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await flush();
  return settled;
}

const TIME_LIMIT = MINUTE;

describe('BackupScheduler stop() starts nothing afterwards', () => {
  it('settles a trigger waiting behind a running attempt as cancelled, and launches nothing', async () => {
    const { clock, fake, scheduler, of } = setup();
    fake.stall('r1');
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
    const waiting = scheduler.trigger('r1');
    await flush();
    await scheduler.stop({ graceful: false });
    expect(await waiting).toMatchObject({ status: 'failed', kind: 'cancelled' });
    await flush();
    await clock.advance(10 * MINUTE);
    expect(fake.calls).toHaveLength(1);
    expect(of('backup:start')).toHaveLength(1);
  });

  it('settles a waiting trigger as cancelled at once, while a graceful stop lets the attempt run', async () => {
    const { clock, fake, scheduler } = setup();
    fake.stall('r1', 20 * SECOND);
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const waiting = scheduler.trigger('r1');
    await flush();
    const stopped = scheduler.stop({ graceMs: MINUTE });
    expect(await settles(waiting)).toBe(true);
    expect(await waiting).toMatchObject({ status: 'failed', kind: 'cancelled' });
    await clock.advance(20 * SECOND);
    await stopped;
    expect(fake.calls).toHaveLength(1);
  });

  it('answers cancelled to a trigger made after stop()', async () => {
    const { scheduler, fake } = setup();
    await scheduler.start();
    await scheduler.stop();
    expect(await scheduler.trigger('r1')).toMatchObject({ status: 'failed', kind: 'cancelled' });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('BackupScheduler bounds every port call', () => {
  it('resolves stop() while the first device list never arrives', async () => {
    const { scheduler } = setup({ devices: { list: () => never() } });
    const started = scheduler.start();
    const stopped = scheduler.stop({ graceful: false });
    expect(await settles(stopped)).toBe(true);
    expect(await settles(started)).toBe(true);
  });

  it('gives up a device list that never arrives after timeLimitMs and keeps refreshing', async () => {
    let calls = 0;
    const { clock, scheduler, of } = setup({
      timeLimitMs: TIME_LIMIT,
      refreshIntervalMs: MINUTE,
      devices: { list: () => (++calls === 1 ? never() : Promise.resolve([device('r1')])) },
    });
    await using _stopsScheduler = scheduler;
    const started = scheduler.start();
    await clock.advance(TIME_LIMIT);
    await started;
    expect(of('refresh:error')).toHaveLength(1);
    expect(String(of('refresh:error')[0]?.payload.message)).toMatch(/did not answer/);
    await clock.advance(MINUTE);
    expect(scheduler.status('r1')).toBeDefined();
  });

  it('resolves stop() while a refresh waits for a device list that never arrives', async () => {
    let calls = 0;
    const { clock, scheduler } = setup({
      refreshIntervalMs: MINUTE,
      devices: { list: () => (++calls === 1 ? Promise.resolve([device('r1')]) : never()) },
    });
    await scheduler.start();
    await clock.advance(MINUTE);
    expect(calls).toBe(2);
    expect(await settles(scheduler.stop({ graceful: false }))).toBe(true);
  });

  /** Ports that hang an attempt before it reaches the device. */
  const hangs: [name: string, options: () => Parameters<typeof setup>[0], doing: RegExp][] = [
    [
      'DeviceSource.get',
      () => ({ devices: { list: () => Promise.resolve([device('r1')]), get: () => never() } }),
      /while reading the device from the device source/,
    ],
    [
      'OnlineGate.check',
      () => ({ onlineGate: { check: () => never() } satisfies OnlineGate }),
      /while asking the online gate/,
    ],
    [
      'LastSuccessStore.get',
      () => ({
        lastSuccess: {
          get: () => never(),
          set: () => Promise.resolve(),
        } satisfies LastSuccessStore,
      }),
      /while reading the last success/,
    ],
    [
      'Locker.acquire',
      () => ({ locker: { acquire: () => never() } satisfies Locker }),
      /while taking the lock/,
    ],
  ];

  it.each(hangs)('resolves stop() while %s never settles', async (_name, options) => {
    const { clock, scheduler, fake } = setup(options());
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(await settles(scheduler.stop({ graceful: false }))).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });

  it.each(hangs)(
    'fails the attempt with time-limit when %s never settles, and tries the device again',
    async (_name, options, doing) => {
      const { clock, scheduler, of, t0 } = setup({ ...options(), timeLimitMs: TIME_LIMIT });
      await using _stopsScheduler = scheduler;
      await scheduler.start();
      await clock.advance(30 * SECOND + TIME_LIMIT);
      expect(of('backup:failure')[0]?.payload).toMatchObject({ kind: 'time-limit' });
      expect(String(of('backup:failure')[0]?.payload.message)).toMatch(doing);
      expect(of('backup:failure')[0]?.at).toBe(t0 + 30 * SECOND + TIME_LIMIT);
      expect(scheduler.stats().inFlight).toBe(0);
      // Not frozen: a retry is scheduled and starts.
      expect(scheduler.status('r1')!.nextAttemptAt!.getTime()).toBeGreaterThan(clock.now());
      // The first retry is 5 min after the failure; it fails the same way one time limit later.
      await clock.advance(5 * MINUTE + TIME_LIMIT);
      expect(of('backup:failure')).toHaveLength(2);
    },
  );

  /** Ports that hang an attempt while it works on the device (holding a slot). */
  const hangsAtWork: [name: string, options: () => Parameters<typeof setup>[0]][] = [
    ['CredentialProvider.get', () => ({ credentials: { get: () => never() } })],
    [
      'SnapshotPublisher.publish',
      () => ({ publisher: { publish: () => never(), close: () => Promise.resolve() } }),
    ],
    [
      'SSHHostKeyUpdater.updateSSHHostKey',
      () => ({ hostKeys: { updater: { updateSSHHostKey: () => never() } } }),
    ],
    [
      'LastSuccessStore.set',
      () => ({
        lastSuccess: {
          get: () => Promise.resolve(undefined),
          set: () => never(),
        } satisfies LastSuccessStore,
      }),
    ],
  ];

  it.each(hangsAtWork)('resolves stop() while %s never settles', async (_name, options) => {
    const { clock, scheduler } = setup(options());
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.stats().inFlight).toBe(1);
    expect(await settles(scheduler.stop({ graceful: false }))).toBe(true);
  });

  it.each(hangsAtWork)('frees the slot once %s passed the time limit', async (_name, options) => {
    const { clock, scheduler } = setup({ ...options(), timeLimitMs: TIME_LIMIT });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND + TIME_LIMIT);
    expect(scheduler.stats().inFlight).toBe(0);
    expect(scheduler.status('r1')!.nextAttemptAt!.getTime()).toBeGreaterThan(clock.now());
  });

  it('counts the time spent reading the device into the time limit', async () => {
    const { clock, scheduler, of, t0 } = setup({
      timeLimitMs: TIME_LIMIT,
      devices: {
        list: () => Promise.resolve([device('r1')]),
        get: async (id) => {
          await clock.sleep(50 * SECOND);
          return device(id);
        },
      },
      credentials: { get: () => never() },
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND + 2 * TIME_LIMIT);
    expect(of('backup:failure')[0]?.payload.kind).toBe('time-limit');
    expect(of('backup:failure')[0]?.at).toBe(t0 + 30 * SECOND + TIME_LIMIT);
  });

  it('does not count the wait for a slot into the time limit', async () => {
    const { clock, scheduler, of, fake } = setup({ timeLimitMs: TIME_LIMIT, concurrency: 1 }, [
      device('a'),
      device('b'),
    ]);
    fake.stall('a', 50 * SECOND);
    fake.stall('b', 50 * SECOND);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND + 100 * SECOND);
    expect(of('backup:failure')).toHaveLength(0);
    expect(of('backup:success')).toHaveLength(2);
  });

  it('resolves stop() while the pin store never answers after a host-key mismatch', async () => {
    const hostKeys: HostKeyStore = {
      get: () => never(),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const { clock, scheduler } = setup({
      hostKeys,
      collect: () =>
        Promise.reject(
          new BackupError({
            kind: 'host-key-mismatch',
            deviceId: 'r1',
            message: 'r1: another key',
            details: {
              expectedFingerprint: fingerprintOf(Buffer.from('a')),
              observedFingerprint: fingerprintOf(Buffer.from('b')),
            },
          }),
        ),
    });
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(await settles(scheduler.stop({ graceful: false }))).toBe(true);
  });

  it('settles a trigger whose device read never answers once stop() is called', async () => {
    const { scheduler } = setup({
      devices: { list: () => Promise.resolve([] as Device[]), get: () => never() },
    });
    await scheduler.start();
    const outcome = scheduler.trigger('new-device');
    await flush();
    expect(await settles(scheduler.stop({ graceful: false }))).toBe(true);
    expect(await settles(outcome)).toBe(true);
  });
});
