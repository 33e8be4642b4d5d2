import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackupError } from '../../src/core/errors.js';
import type { Device } from '../../src/core/device.js';
import { BackupScheduler, type BackupSchedulerOptions } from '../../src/scheduler/scheduler.js';
import { MemoryLocker } from '../../src/scheduler/memory-locker.js';
import type { LastSuccessStore, Locker, OnlineStatus } from '../../src/core/ports.js';
import { LockUnavailableError } from '../../src/core/ports.js';
import { fingerprintOf } from '../../src/ssh/fingerprint.js';
import { MemoryHostKeyStore } from '../../src/ssh/host-keys.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { device, HOUR, INTERVAL, MINUTE, SECOND, setup } from './setup.js';

describe('BackupScheduler construction', () => {
  const base = () => ({
    devices: { list: () => Promise.resolve([]) },
    credentials: { get: () => Promise.resolve({ username: 'u' }) },
    publisher: new MemorySnapshotPublisher(),
  });

  it.each([
    ['intervalMs', { intervalMs: 0 }, /intervalMs/],
    ['intervalMs', { intervalMs: -1 }, /intervalMs/],
    ['concurrency', { concurrency: 0 }, /concurrency/],
    ['concurrency', { concurrency: 1.5 }, /concurrency/],
    ['initialJitterMs', { initialJitterMs: [10, 5] as const }, /min \(10\) must be <= max \(5\)/],
    ['refreshIntervalMs', { refreshIntervalMs: Number.NaN }, /refreshIntervalMs/],
    ['onLockUnavailable', { onLockUnavailable: 'maybe' as 'skip' }, /onLockUnavailable/],
  ])('rejects an invalid %s at construction', (_name, bad, message) => {
    expect(() => new BackupScheduler({ ...base(), ...bad })).toThrow(message);
  });

  it('rejects a device source without list()', () => {
    expect(
      () => new BackupScheduler({ ...base(), devices: {} as BackupSchedulerOptions['devices'] }),
    ).toThrow(/devices must have a list\(\) method/);
  });
});

describe('BackupScheduler schedule', () => {
  it('makes the first attempt at a jitter inside its bounds, never before', async () => {
    const { clock, fake, scheduler, t0 } = setup({ random: () => 0.5 }, [device('r1')]);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    const next = scheduler.status('r1')!.nextAttemptAt!.getTime() - t0;
    expect(next).toBeGreaterThanOrEqual(30 * SECOND);
    expect(next).toBeLessThanOrEqual(300 * SECOND);
    await clock.advance(next - 1);
    expect(fake.calls).toHaveLength(0);
    await clock.advance(1);
    expect(fake.calls).toHaveLength(1);
  });

  it('spreads first attempts over the whole jitter range, both ends included', async () => {
    for (const [random, expected] of [
      [() => 0, 30 * SECOND],
      [() => 0.999_999_999, 300 * SECOND],
    ] as const) {
      const { scheduler, t0 } = setup({ random });
      await using _stopsScheduler = scheduler;
      await scheduler.start();
      expect(scheduler.status('r1')!.nextAttemptAt!.getTime() - t0).toBe(expected);
    }
  });

  it('backs a device up again intervalMs after the last attempt', async () => {
    const { clock, fake, scheduler, t0 } = setup();
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(INTERVAL);
    await clock.advance(INTERVAL);
    expect(fake.calls.map((c) => c.at - t0)).toEqual([
      30 * SECOND,
      30 * SECOND + INTERVAL,
      30 * SECOND + 2 * INTERVAL,
    ]);
  });

  it('publishes each success and reports whether the configuration changed', async () => {
    const { clock, fake, publisher, scheduler, of } = setup();
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    fake.setConfig('r1', '/system identity\nset name=a\n');
    await clock.advance(30 * SECOND);
    await clock.advance(INTERVAL);
    fake.setConfig('r1', '/system identity\nset name=b\n');
    await clock.advance(INTERVAL);
    expect(publisher.snapshots.map((s) => s.configText)).toEqual([
      '/system identity\nset name=a\n',
      '/system identity\nset name=a\n',
      '/system identity\nset name=b\n',
    ]);
    expect(of('backup:success').map((e) => e.payload.changed)).toEqual([true, false, true]);
    expect(scheduler.status('r1')!.lastSha256).toBe(publisher.snapshots[2]!.sha256);
  });

  it('retries a failure after 5 min, then 15 min, then 1 h, for real', async () => {
    const { clock, fake, scheduler, of, t0 } = setup();
    fake.failNext('r1', 'connect-timeout');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(5 * MINUTE);
    await clock.advance(15 * MINUTE);
    await clock.advance(HOUR);
    await clock.advance(HOUR);
    const first = 30 * SECOND;
    expect(fake.calls.map((c) => c.at - t0)).toEqual([
      first,
      first + 5 * MINUTE,
      first + 20 * MINUTE,
      first + 80 * MINUTE,
      first + 140 * MINUTE,
    ]);
    expect(of('backup:failure').map((e) => e.payload.consecutiveFailures)).toEqual([1, 2, 3, 4, 5]);
    expect(scheduler.status('r1')).toMatchObject({
      state: 'backoff',
      consecutiveFailures: 5,
      lastErrorKind: 'connect-timeout',
    });
  });

  it('keeps the regular attempt intervalMs after the last regular one while retrying', async () => {
    const { clock, fake, scheduler, t0 } = setup({ intervalMs: 10 * MINUTE });
    fake.failNext('r1', 'unreachable');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND); // fails; retry in 5 min; regular in 10 min
    await clock.advance(5 * MINUTE); // retry fails; next retry in 15 min, but regular is sooner
    await clock.advance(5 * MINUTE);
    expect(fake.calls.map((c) => c.at - t0)).toEqual([
      30 * SECOND,
      30 * SECOND + 5 * MINUTE,
      30 * SECOND + 10 * MINUTE,
    ]);
  });

  it('counts a success after failures as a fresh start', async () => {
    const { clock, fake, scheduler } = setup();
    fake.failNext('r1', 'unreachable', 2);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND + 5 * MINUTE + 15 * MINUTE);
    expect(scheduler.status('r1')).toMatchObject({
      state: 'idle',
      consecutiveFailures: 0,
      lastErrorKind: undefined,
    });
  });

  it('never works on more devices at once than its concurrency', async () => {
    const list = Array.from({ length: 20 }, (_, i) => device(`r${i}`));
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock, durationMs: 10 * SECOND });
    const { scheduler } = setup({ clock, collect: fake.collect, concurrency: 3 }, list);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.stats()).toMatchObject({ inFlight: 3, queueLength: 17 });
    await clock.advance(70 * SECOND);
    expect(fake.calls).toHaveLength(20);
    expect(fake.maxConcurrent).toBe(3);
  });

  it('frees the slot of a device that stalls once its time limit passes', async () => {
    const { clock, fake, scheduler, of } = setup({ concurrency: 1, timeLimitMs: 60 * SECOND }, [
      device('stuck'),
      device('ok'),
    ]);
    fake.stall('stuck');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(60 * SECOND);
    expect(of('backup:failure', 'stuck')[0]?.payload.kind).toBe('time-limit');
    expect(of('backup:success', 'ok')).toHaveLength(1);
  });
});

describe('BackupScheduler reads devices fresh', () => {
  it('uses a changed address at the next attempt without a restart', async () => {
    const { clock, fake, scheduler, state } = setup({ refreshIntervalMs: MINUTE });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    state.devices = [device('r1', { host: '192.0.2.99' })];
    await clock.advance(INTERVAL);
    expect(fake.calls.map((c) => c.device.host)).toEqual(['r1.example.test', '192.0.2.99']);
  });

  it('reads the device with get() right before each attempt when the source has it', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    let host = 'old.example.test';
    const scheduler = new BackupScheduler({
      devices: {
        list: () => Promise.resolve([device('r1', { host: 'old.example.test' })]),
        get: () => Promise.resolve(device('r1', { host })),
      },
      credentials: { get: () => Promise.resolve({ username: 'u', password: 'p' }) },
      publisher: new MemorySnapshotPublisher(),
      clock,
      collect: fake.collect,
      random: () => 0,
      refreshIntervalMs: HOUR,
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    host = 'new.example.test';
    await clock.advance(30 * SECOND);
    expect(fake.calls[0]!.device.host).toBe('new.example.test');
  });

  it('uses new credentials at the next attempt', async () => {
    const { clock, fake, scheduler, credentials } = setup();
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    credentials.set('r1', { username: 'rotated', password: 'new' });
    await clock.advance(INTERVAL);
    expect(fake.calls.map((c) => c.username)).toEqual(['backup', 'rotated']);
  });

  it('adds new devices at a refresh with their own jitter', async () => {
    const { clock, fake, scheduler, state, of } = setup({ refreshIntervalMs: MINUTE });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    state.devices = [device('r1'), device('r2')];
    await clock.advance(MINUTE);
    expect(of('device:added', 'r2')).toHaveLength(1);
    await clock.advance(30 * SECOND);
    expect(fake.callsFor('r2')).toHaveLength(1);
  });

  it('removes a device at a refresh and aborts its attempt in flight', async () => {
    const { clock, fake, scheduler, state, of } = setup({ refreshIntervalMs: 40 * SECOND });
    fake.stall('r1');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.active).toBe(1);
    state.devices = [];
    await clock.advance(10 * SECOND);
    expect(of('device:removed', 'r1')).toHaveLength(1);
    expect(fake.active).toBe(0);
    expect(scheduler.status('r1')).toBeUndefined();
    await clock.advance(INTERVAL);
    expect(fake.calls).toHaveLength(1);
  });

  it('keeps its devices and reports when the list cannot be read', async () => {
    const { clock, fake, scheduler, state, of } = setup({ refreshIntervalMs: MINUTE });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    state.failList = true;
    await clock.advance(MINUTE);
    expect(of('refresh:error')).toHaveLength(1);
    expect(scheduler.stats().devices).toBe(1);
    await clock.advance(INTERVAL);
    expect(fake.calls.length).toBeGreaterThanOrEqual(1);
  });

  it('reports invalid records with field and position and runs the others', async () => {
    const list = [
      device('ok1'),
      { id: 'no-host', vendor: 'routeros' } as unknown as Device,
      device('bad-port', { port: 70_000 }),
      device('x'.repeat(5000)),
      device('ok1'),
      device('weird', { vendor: 'acme-os' }),
      device('ok2'),
    ];
    const { clock, fake, scheduler, of } = setup({}, list);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    const invalid = of('device:invalid').map((e) => [e.payload.index, e.payload.field]);
    expect(invalid).toEqual([
      [1, 'host'],
      [2, 'port'],
      [3, 'id'],
      [4, 'id'],
    ]);
    expect(of('device:unsupported').map((e) => e.payload.deviceId)).toEqual(['weird']);
    await clock.advance(30 * SECOND);
    expect(fake.calls.map((c) => c.deviceId).sort()).toEqual(['ok1', 'ok2']);
  });

  it('reports an unsupported vendor once, not at every refresh', async () => {
    const { clock, scheduler, of } = setup({ refreshIntervalMs: MINUTE }, [
      device('x', { vendor: 'acme-os' }),
    ]);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(5 * MINUTE);
    expect(of('device:unsupported')).toHaveLength(1);
  });
});

describe('BackupScheduler online gate', () => {
  function gated(status: OnlineStatus | Error) {
    return {
      check: () => (status instanceof Error ? Promise.reject(status) : Promise.resolve(status)),
    };
  }

  it('skips an offline device without counting a failure', async () => {
    const { clock, fake, scheduler, of } = setup({ onlineGate: gated('offline') });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(0);
    expect(of('backup:skipped')[0]?.payload.reason).toBe('offline');
    expect(scheduler.status('r1')).toMatchObject({ state: 'offline', consecutiveFailures: 0 });
  });

  it('tries a device whose status is unknown', async () => {
    const { clock, fake, scheduler } = setup({ onlineGate: gated('unknown') });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
  });

  it('tries the device when the gate itself fails, with a warning', async () => {
    const { clock, fake, scheduler, of } = setup({ onlineGate: gated(new Error('gate broke')) });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
    expect(of('warning')[0]?.payload.code).toBe('online-gate-failed');
  });

  it('lets a manual trigger bypass the offline gate', async () => {
    const { fake, scheduler } = setup({ onlineGate: gated('offline') });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    expect((await scheduler.trigger('r1')).status).toBe('success');
    expect(fake.calls).toHaveLength(1);
  });
});

describe('BackupScheduler blocking', () => {
  it('blocks a device after auth-failed and never attempts it again by itself', async () => {
    const { clock, fake, scheduler, of } = setup();
    fake.requirePassword('r1', 'right');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(3 * INTERVAL);
    expect(fake.calls).toHaveLength(1);
    expect(of('device:blocked')[0]?.payload.kind).toBe('auth-failed');
    expect(scheduler.status('r1')!.state).toBe('blocked');
    expect(of('backup:skipped').every((e) => e.payload.reason === 'blocked')).toBe(true);
  });

  it('unblocks an auth-blocked device when its credentials get a new version', async () => {
    const { clock, fake, scheduler, credentials, of } = setup();
    fake.requirePassword('r1', 'right');
    credentials.set('r1', { username: 'backup', password: 'wrong', version: 'v1' });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    credentials.set('r1', { username: 'backup', password: 'right', version: 'v2' });
    await clock.advance(2 * MINUTE);
    expect(of('device:unblocked')[0]?.payload.reason).toBe('credentials');
    expect(of('backup:success', 'r1')).toHaveLength(1);
  });

  it('unblocks a host-key-blocked device when the pin beside its row is reset', async () => {
    const key = fingerprintOf(Buffer.from('real key'));
    const stale = fingerprintOf(Buffer.from('old key'));
    const { clock, fake, scheduler, state, of } = setup({ refreshIntervalMs: MINUTE }, [
      device('r1', { hostKeyFingerprint: stale }),
    ]);
    fake.setHostKey('r1', key);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(of('hostkey:mismatch')[0]?.payload).toMatchObject({
      expectedFingerprint: stale,
      observedFingerprint: key,
    });
    await clock.advance(INTERVAL);
    expect(fake.calls).toHaveLength(1);
    state.devices = [device('r1')];
    await clock.advance(MINUTE);
    expect(of('device:unblocked')[0]?.payload.reason).toBe('host-key');
    expect(of('backup:success', 'r1')).toHaveLength(1);
  });

  it('unblocks a host-key-blocked device when its pin is deleted from the store', async () => {
    const hostKeys = new MemoryHostKeyStore({ r1: fingerprintOf(Buffer.from('old key')) });
    const { clock, fake, scheduler, of } = setup({ hostKeys, refreshIntervalMs: MINUTE });
    fake.setHostKey('r1', fingerprintOf(Buffer.from('new key')));
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.status('r1')!.state).toBe('blocked');
    await hostKeys.delete('r1');
    await clock.advance(MINUTE);
    expect(of('device:unblocked')[0]?.payload.reason).toBe('host-key');
    expect(of('backup:success', 'r1')).toHaveLength(1);
    expect(of('hostkey:pinned', 'r1')[0]?.payload.fingerprint).toBe(
      fingerprintOf(Buffer.from('new key')),
    );
  });

  it('unblocks a device with unblock()', async () => {
    const { clock, fake, scheduler, of } = setup();
    fake.requirePassword('r1', 'right');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    fake.requirePassword('r1', 'pw');
    expect(scheduler.unblock('r1')).toBe(true);
    await clock.advance(1);
    expect(of('device:unblocked')[0]?.payload.reason).toBe('manual');
    expect(of('backup:success', 'r1')).toHaveLength(1);
  });

  it('unblocks a device after a successful manual trigger', async () => {
    const { clock, fake, scheduler, of } = setup();
    fake.requirePassword('r1', 'right');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect((await scheduler.trigger('r1')).status).toBe('failed');
    expect(scheduler.status('r1')!.state).toBe('blocked');
    fake.requirePassword('r1', 'pw');
    expect((await scheduler.trigger('r1')).status).toBe('success');
    expect(of('device:unblocked')[0]?.payload.reason).toBe('trigger');
    expect(scheduler.status('r1')!.state).toBe('idle');
  });
});

describe('BackupScheduler across instances', () => {
  class SharedLastSuccess implements LastSuccessStore {
    readonly times = new Map<string, number>();
    get(id: string) {
      return Promise.resolve(this.times.get(id));
    }
    set(id: string, at: number) {
      this.times.set(id, at);
      return Promise.resolve();
    }
  }

  it('backs each device up about once per interval with three instances, not three times', async () => {
    const clock = new FakeClock();
    const locker = new MemoryLocker({ clock });
    const lastSuccess = new SharedLastSuccess();
    const list = Array.from({ length: 10 }, (_, i) => device(`r${i}`));
    const fakes = [0, 1, 2].map(() => new FakeCollector({ clock, durationMs: 5 * SECOND }));
    let seed = 1;
    const schedulers = fakes.map(
      (fake) =>
        setup(
          {
            clock,
            collect: fake.collect,
            locker,
            lastSuccess,
            random: () => (seed = (seed * 16807) % 2147483647) / 2147483647,
          },
          list,
        ).scheduler,
    );
    for (const s of schedulers) await s.start();
    await clock.advance(4 * INTERVAL);
    const perDevice = list.map((d) => fakes.reduce((n, f) => n + f.callsFor(d.id).length, 0));
    for (const count of perDevice) expect(count).toBeGreaterThanOrEqual(4);
    for (const count of perDevice) expect(count).toBeLessThanOrEqual(5);
    for (const s of schedulers) await s.stop();
  });

  it('skips a device locked by another instance without counting a failure', async () => {
    const clock = new FakeClock();
    const locker = new MemoryLocker({ clock });
    await locker.acquire('backup:device:r1', HOUR);
    const { fake, scheduler, of } = setup({ clock, locker });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(0);
    expect(of('backup:skipped')[0]?.payload.reason).toBe('locked');
    expect(scheduler.status('r1')!.consecutiveFailures).toBe(0);
  });

  it('goes on without the lock when the lock backend is down, with a warning', async () => {
    const locker = { acquire: (key: string) => Promise.reject(new LockUnavailableError({ key })) };
    const { clock, fake, scheduler, of } = setup({ locker });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
    expect(of('warning')[0]?.payload.code).toBe('lock-unavailable');
  });

  it('skips when the lock backend is down and onLockUnavailable is skip', async () => {
    const locker = { acquire: (key: string) => Promise.reject(new LockUnavailableError({ key })) };
    const { clock, fake, scheduler } = setup({ locker, onLockUnavailable: 'skip' });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(0);
  });

  it('extends the lock while an attempt runs longer than the lock TTL', async () => {
    const clock = new FakeClock();
    const locker = new MemoryLocker({ clock });
    const fake = new FakeCollector({ clock, durationMs: 200 * SECOND });
    const { scheduler, of } = setup({
      clock,
      collect: fake.collect,
      locker,
      timeLimitMs: 300 * SECOND,
      lockTtlMs: 60 * SECOND,
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    // 150 s into a 200 s collection: far past the 60 s TTL, the lock is still held.
    await clock.advance(150 * SECOND);
    expect(await locker.acquire('backup:device:r1', MINUTE)).toBeUndefined();
    await clock.advance(50 * SECOND);
    expect(of('backup:success')).toHaveLength(1);
    expect(await locker.acquire('backup:device:r1', MINUTE)).toBeDefined();
  });

  it("keeps a manual trigger's lock alive while it waits for a slot", async () => {
    const clock = new FakeClock();
    const locker = new MemoryLocker({ clock });
    const fake = new FakeCollector({ clock });
    const jitters = [0, 0.999];
    const { scheduler, of } = setup(
      {
        clock,
        collect: fake.collect,
        locker,
        concurrency: 1,
        lockTtlMs: MINUTE,
        initialJitterMs: [30 * SECOND, HOUR],
        random: () => jitters.shift() ?? 0.5,
      },
      [device('a'), device('b')],
    );
    fake.stall('a', 200 * SECOND);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.status('a')!.state).toBe('running');
    const outcome = scheduler.trigger('b');
    await clock.advance(SECOND);
    expect(scheduler.status('b')!.state).toBe('waiting');
    // 150 s of waiting for the slot, far past the 60 s TTL: another instance still cannot take it.
    await clock.advance(150 * SECOND);
    expect(await locker.acquire('backup:device:b', MINUTE)).toBeUndefined();
    await clock.advance(50 * SECOND);
    expect(await outcome).toMatchObject({ status: 'success' });
    expect(of('warning').map((e) => e.payload.code)).not.toContain('lock-lost');
    expect(await locker.acquire('backup:device:b', MINUTE)).toBeDefined();
  });

  it('ends a waiting trigger whose lock was lost before it got a slot', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    const jitters = [0, 0.999];
    const locker = {
      acquire: (key: string) =>
        Promise.resolve({
          key,
          token: 't',
          extend: () => Promise.resolve(!key.endsWith(':b')),
          release: () => Promise.resolve(true),
        }),
    };
    const { scheduler, of } = setup(
      {
        clock,
        collect: fake.collect,
        locker,
        concurrency: 1,
        lockTtlMs: MINUTE,
        initialJitterMs: [30 * SECOND, HOUR],
        random: () => jitters.shift() ?? 0.5,
      },
      [device('a'), device('b')],
    );
    fake.stall('a', 200 * SECOND);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const outcome = scheduler.trigger('b');
    await clock.advance(30 * SECOND);
    expect(await outcome).toMatchObject({ status: 'failed', kind: 'cancelled' });
    expect(of('warning').map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ deviceId: 'b', code: 'lock-lost' }),
    );
    await clock.advance(200 * SECOND);
    expect(fake.callsFor('b')).toHaveLength(0);
  });

  it('uses the last success the locker read with the lock, without asking the store again', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLocker({ clock });
    const readAt = clock.now() - HOUR;
    // A locker that read the last success in the same round trip (as RedisLocker can).
    const locker: Locker = {
      acquire: async (key, ttlMs, signal) => {
        const lock = await memory.acquire(key, ttlMs, signal);
        return lock && { ...lock, lastSuccessAt: readAt };
      },
    };
    const lastSuccess = new SharedLastSuccess();
    const asked: string[] = [];
    const store: LastSuccessStore = {
      get: (id) => (asked.push(id), lastSuccess.get(id)),
      set: (id, at) => lastSuccess.set(id, at),
    };
    const { fake, scheduler, of } = setup({ clock, locker, lastSuccess: store });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(0);
    expect(of('backup:skipped')[0]?.payload.reason).toBe('fresh');
    expect(asked).toEqual([]);
  });

  it('backs up when the locker read that nothing is recorded (null), without asking the store', async () => {
    const clock = new FakeClock();
    const memory = new MemoryLocker({ clock });
    const locker: Locker = {
      acquire: async (key, ttlMs, signal) => {
        const lock = await memory.acquire(key, ttlMs, signal);
        return lock && { ...lock, lastSuccessAt: null };
      },
    };
    const lastSuccess = new SharedLastSuccess();
    // The store would say "fresh"; the lock's own read wins.
    lastSuccess.times.set('r1', clock.now());
    const asked: string[] = [];
    const store: LastSuccessStore = {
      get: (id) => (asked.push(id), lastSuccess.get(id)),
      set: (id, at) => lastSuccess.set(id, at),
    };
    const { fake, scheduler } = setup({ clock, locker, lastSuccess: store });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it('backs a device up whose last success lies further ahead than the clock-skew allowance', async () => {
    const clock = new FakeClock();
    const lastSuccess = new SharedLastSuccess();
    // An instance with a clock 30 days ahead recorded this.
    lastSuccess.times.set('r1', clock.now() + 30 * 24 * HOUR);
    const { fake, scheduler, of, t0 } = setup({ clock, lastSuccess });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
    expect(of('backup:skipped')).toHaveLength(0);
    expect(of('warning').map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ deviceId: 'r1', code: 'last-success-in-future' }),
    );
    expect(lastSuccess.times.get('r1')).toBe(t0 + 30 * SECOND);
  });

  it('believes a last success ahead by less than the clock-skew allowance', async () => {
    const clock = new FakeClock();
    const lastSuccess = new SharedLastSuccess();
    const { fake, scheduler, of } = setup({
      clock,
      lastSuccess,
      clockSkewAllowanceMs: 2 * MINUTE,
    });
    lastSuccess.times.set('r1', clock.now() + 30 * SECOND + MINUTE);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(0);
    expect(of('backup:skipped')[0]?.payload.reason).toBe('fresh');
    expect(of('warning')).toHaveLength(0);
  });

  it('ignores a last success beyond a smaller clock-skew allowance', async () => {
    const clock = new FakeClock();
    const lastSuccess = new SharedLastSuccess();
    const { fake, scheduler } = setup({ clock, lastSuccess, clockSkewAllowanceMs: 0 });
    lastSuccess.times.set('r1', clock.now() + 30 * SECOND + MINUTE);
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(fake.calls).toHaveLength(1);
  });

  it('keeps a device blocked when a last success in the future is recorded', async () => {
    const clock = new FakeClock();
    const lastSuccess = new SharedLastSuccess();
    const { fake, scheduler, of } = setup({ clock, lastSuccess, refreshIntervalMs: MINUTE });
    fake.requirePassword('r1', 'other');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.status('r1')!.state).toBe('blocked');
    lastSuccess.times.set('r1', clock.now() + 30 * 24 * HOUR);
    await clock.advance(10 * MINUTE);
    expect(of('device:unblocked')).toHaveLength(0);
    expect(fake.calls).toHaveLength(1);
    // Reported once, not at every re-check.
    expect(of('warning').filter((e) => e.payload.code === 'last-success-in-future')).toHaveLength(
      1,
    );
    // A real success elsewhere still unblocks it.
    lastSuccess.times.set('r1', clock.now());
    await clock.advance(MINUTE);
    expect(of('device:unblocked')[0]?.payload.reason).toBe('elsewhere');
  });

  it('stops an attempt whose lock was lost', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock, durationMs: 200 * SECOND });
    let extensions = 0;
    const locker = {
      acquire: (key: string) =>
        Promise.resolve({
          key,
          token: 't',
          extend: () => Promise.resolve(++extensions < 2),
          release: () => Promise.resolve(true),
        }),
    };
    const { scheduler, of } = setup({
      clock,
      collect: fake.collect,
      locker,
      lockTtlMs: 60 * SECOND,
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND + 40 * SECOND);
    expect(of('warning').map((e) => e.payload.code)).toContain('lock-lost');
    expect(fake.active).toBe(0);
    expect(of('backup:success')).toHaveLength(0);
    expect(scheduler.status('r1')!.consecutiveFailures).toBe(0);
  });
});

describe('BackupScheduler time limit', () => {
  it('frees the slot when publishing stalls past the time limit, and retries later', async () => {
    const { clock, publisher, scheduler, of, fake } = setup(
      { concurrency: 1, timeLimitMs: 60 * SECOND },
      [device('a'), device('b', { vendor: 'cisco-ios' })],
    );
    publisher.stall();
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(60 * SECOND);
    expect(of('backup:failure')[0]?.payload).toMatchObject({ kind: 'time-limit' });
    expect(scheduler.stats().inFlight).toBe(1); // the second device has the slot now
    publisher.resume();
    await clock.advance(5 * MINUTE);
    expect(of('backup:success').length).toBeGreaterThanOrEqual(1);
    expect(fake.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('frees the slot of a credential provider that never answers', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    const { scheduler, of } = setup({
      clock,
      collect: fake.collect,
      timeLimitMs: 60 * SECOND,
      credentials: { get: () => new Promise(() => {}) },
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(90 * SECOND);
    expect(of('backup:failure')[0]?.payload.kind).toBe('time-limit');
    expect(scheduler.stats().inFlight).toBe(0);
  });
});

describe('BackupScheduler manual trigger', () => {
  it('resolves with the outcome and the hash', async () => {
    const { fake, scheduler, publisher } = setup();
    fake.setConfig('r1', '/x\n');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    const outcome = await scheduler.trigger('r1');
    expect(outcome).toMatchObject({
      status: 'success',
      changed: true,
      sha256: publisher.snapshots[0]!.sha256,
    });
  });

  it('hashes the text of a custom collect function itself instead of trusting its hash', async () => {
    const { scheduler, publisher, clock } = setup({
      collect: () =>
        Promise.resolve({
          deviceId: 'r1',
          vendor: 'routeros',
          text: '/x\n',
          sha256: '0'.repeat(64),
          hostKeyFingerprint: 'SHA256:none',
          hostKeyPinned: false,
          collectedAt: new Date(clock.now()),
          durationMs: 0,
          bytesReceived: 3,
        }),
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await scheduler.trigger('r1');
    expect(publisher.snapshots[0]!.sha256).toBe(createHash('sha256').update('/x\n').digest('hex'));
  });

  it('answers failed for an unknown device', async () => {
    const { scheduler } = setup();
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    expect(await scheduler.trigger('nope')).toMatchObject({ status: 'failed' });
  });

  it('waits for another instance holding the lock instead of answering locked', async () => {
    const clock = new FakeClock();
    const locker = new MemoryLocker({ clock });
    const held = await locker.acquire('backup:device:r1', HOUR);
    const { scheduler, fake } = setup({ clock, locker });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    const outcome = scheduler.trigger('r1');
    await clock.advance(10 * SECOND);
    await held!.release();
    await clock.advance(10 * SECOND);
    expect(await outcome).toMatchObject({ status: 'success' });
    expect(fake.calls).toHaveLength(1);
  });

  it('answers locked when the other instance holds the lock longer than the wait', async () => {
    const clock = new FakeClock();
    const locker = new MemoryLocker({ clock });
    await locker.acquire('backup:device:r1', HOUR);
    const { scheduler } = setup({ clock, locker, triggerLockWaitMs: MINUTE });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    const outcome = scheduler.trigger('r1');
    await clock.advance(2 * MINUTE);
    expect(await outcome).toMatchObject({ status: 'locked' });
  });
});

describe('BackupScheduler stop', () => {
  it('leaves no sleeper on the clock once stopped', async () => {
    const { clock, scheduler } = setup({}, [device('a'), device('b')]);
    await scheduler.start();
    expect(clock.pendingSleepers).toBeGreaterThan(0);
    await scheduler.stop();
    expect(clock.pendingSleepers).toBe(0);
  });

  it('lets a running attempt finish within the grace period', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock, durationMs: 5 * SECOND });
    const { scheduler, of } = setup({ clock, collect: fake.collect });
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const stopped = scheduler.stop({ graceMs: 10 * SECOND });
    await clock.advance(5 * SECOND);
    await stopped;
    expect(of('backup:success')).toHaveLength(1);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('aborts a running attempt after the grace period', async () => {
    const { clock, fake, scheduler } = setup();
    fake.stall('r1');
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const stopped = scheduler.stop({ graceMs: 10 * SECOND });
    await clock.advance(10 * SECOND);
    await stopped;
    expect(fake.active).toBe(0);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('supports await using', async () => {
    const { clock } = setup();
    {
      await using scheduler = setup({ clock }).scheduler;
      await scheduler.start();
    }
    expect(clock.pendingSleepers).toBe(0);
  });
});

describe('BackupScheduler cancellation', () => {
  it('does not count a cancelled manual trigger as a failure of the device', async () => {
    const { clock, fake, scheduler, of, t0 } = setup();
    fake.stall('r1');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    const controller = new AbortController();
    const outcome = scheduler.trigger('r1', { signal: controller.signal });
    await clock.advance(1_000);
    controller.abort(new Error('caller gave up'));
    expect(await outcome).toMatchObject({ status: 'failed', kind: 'cancelled' });
    expect(of('backup:failure')).toHaveLength(0);
    expect(scheduler.status('r1')).toMatchObject({ consecutiveFailures: 0, state: 'idle' });
    // The regular first attempt still happens.
    fake.heal('r1');
    await clock.advance(30 * SECOND);
    expect(fake.calls.map((c) => c.at - t0)).toEqual([0, 30 * SECOND]);
  });
});

describe('BackupScheduler status', () => {
  it('shows running, waiting and blocked devices as they are', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock, durationMs: 10 * SECOND });
    const { scheduler } = setup({ clock, collect: fake.collect, concurrency: 1 }, [
      device('a'),
      device('b'),
      device('c'),
    ]);
    fake.requirePassword('c', 'other');
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    const states = Object.fromEntries(scheduler.status().map((s) => [s.deviceId, s.state]));
    expect(states).toEqual({ a: 'running', b: 'waiting', c: 'waiting' });
    await clock.advance(30 * SECOND);
    expect(scheduler.status('c')).toMatchObject({
      state: 'blocked',
      nextAttemptAt: undefined,
      lastErrorKind: 'auth-failed',
    });
    expect(scheduler.status('a')!.nextAttemptAt!.getTime()).toBe(
      clock.now() - 30 * SECOND + INTERVAL,
    );
  });
});

describe('BackupScheduler host-key blocks without a stored pin', () => {
  it('keeps a device blocked whose key changed within one connection until someone acts', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const { scheduler, of } = setup({
      clock,
      refreshIntervalMs: MINUTE,
      collect: () => {
        calls++;
        return Promise.reject(
          new BackupError({
            kind: 'host-key-mismatch',
            deviceId: 'r1',
            message: 'r1: key changed during the connection',
            details: {
              expectedFingerprint: fingerprintOf(Buffer.from('first')),
              observedFingerprint: fingerprintOf(Buffer.from('second')),
            },
          }),
        );
      },
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(10 * MINUTE);
    expect(calls).toBe(1);
    expect(of('device:unblocked')).toHaveLength(0);
    expect(scheduler.status('r1')!.state).toBe('blocked');
  });
});
