/**
 * Per-device SSH settings in the scheduler (`Device.ssh`, SPEC §8): a device's own time limit
 * bounds its attempts (budget, lock TTL, trigger lock wait), its other settings reach the
 * collection, and a bad value makes the record invalid.
 */
import { describe, expect, it } from 'vitest';
import type { Locker } from '../../src/core/ports.js';
import { MemoryLocker } from '../../src/scheduler/memory-locker.js';
import type { CollectOptions } from '../../src/ssh/collect.js';
import { device, MINUTE, SECOND, setup } from './setup.js';

/** A MemoryLocker that remembers the TTL of every acquire, per key. */
function recordingLocker(inner = new MemoryLocker()) {
  const ttls = new Map<string, number[]>();
  const locker: Locker = {
    acquire: (key, ttlMs, signal) => {
      ttls.set(key, [...(ttls.get(key) ?? []), ttlMs]);
      return inner.acquire(key, ttlMs, signal);
    },
  };
  return { locker, ttls, inner };
}

describe('BackupScheduler with per-device time limits', () => {
  it("lets a device with its own longer timeLimitMs finish while the scheduler's limit stops another", async () => {
    const { clock, fake, scheduler, of } = setup({ timeLimitMs: MINUTE, initialJitterMs: [0, 0] }, [
      device('big', { ssh: { timeLimitMs: 10 * MINUTE } }),
      device('stuck'),
    ]);
    fake.stall('big', 5 * MINUTE);
    fake.stall('stuck', 5 * MINUTE);
    await scheduler.start();
    await clock.advance(MINUTE + SECOND);
    expect(of('backup:failure', 'stuck')[0]?.payload).toMatchObject({ kind: 'time-limit' });
    expect(of('backup:failure', 'big')).toHaveLength(0);
    await clock.advance(4 * MINUTE);
    expect(of('backup:success', 'big')).toHaveLength(1);
    await scheduler.stop({ graceful: false });
  });

  it('stops a device with its own shorter timeLimitMs at that limit, naming it', async () => {
    const { clock, fake, scheduler, of } = setup({ initialJitterMs: [0, 0] }, [
      device('quick', { ssh: { timeLimitMs: 10 * SECOND } }),
    ]);
    fake.stall('quick');
    await using _stops = scheduler;
    await scheduler.start();
    await clock.advance(9 * SECOND);
    expect(of('backup:failure', 'quick')).toHaveLength(0);
    await clock.advance(2 * SECOND);
    const failure = of('backup:failure', 'quick')[0]?.payload;
    expect(failure).toMatchObject({ kind: 'time-limit' });
    expect(failure?.message).toContain('timeLimitMs (10000 ms)');
  });

  it('follows the time limit of the record read fresh for the attempt', async () => {
    const list = [device('r1')];
    const fresh = device('r1', { ssh: { timeLimitMs: 5 * SECOND } });
    const { clock, fake, scheduler, of } = setup(
      {
        initialJitterMs: [0, 0],
        devices: { list: () => Promise.resolve(list), get: () => Promise.resolve(fresh) },
      },
      list,
    );
    fake.stall('r1');
    await using _stops = scheduler;
    await scheduler.start();
    await clock.advance(6 * SECOND);
    expect(of('backup:failure', 'r1')[0]?.payload).toMatchObject({ kind: 'time-limit' });
  });

  it("takes each device's lock with its own time limit plus 30 s", async () => {
    const { locker, ttls } = recordingLocker();
    const { clock, scheduler, of } = setup({ locker, initialJitterMs: [0, 0] }, [
      device('big', { ssh: { timeLimitMs: 10 * MINUTE } }),
      device('plain'),
    ]);
    await using _stops = scheduler;
    await scheduler.start();
    await clock.advance(SECOND);
    expect(of('backup:success')).toHaveLength(2);
    expect(ttls.get('backup:device:big')).toEqual([10 * MINUTE + 30 * SECOND]);
    expect(ttls.get('backup:device:plain')).toEqual([5 * MINUTE + 30 * SECOND]);
  });

  it('keeps an explicit lockTtlMs for every device', async () => {
    const { locker, ttls } = recordingLocker();
    const { clock, scheduler } = setup({ locker, lockTtlMs: 2 * MINUTE, initialJitterMs: [0, 0] }, [
      device('big', { ssh: { timeLimitMs: 10 * MINUTE } }),
    ]);
    await using _stops = scheduler;
    await scheduler.start();
    await clock.advance(SECOND);
    expect(ttls.get('backup:device:big')).toEqual([2 * MINUTE]);
  });

  it("a trigger waits for another instance's lock only as long as the device's own time limit", async () => {
    const { locker, inner } = recordingLocker();
    const { clock, scheduler } = setup({ locker, initialJitterMs: [MINUTE, MINUTE] }, [
      device('r1', { ssh: { timeLimitMs: 20 * SECOND } }),
    ]);
    await inner.acquire('backup:device:r1', 10 * MINUTE);
    await using _stops = scheduler;
    await scheduler.start();
    let outcome: string | undefined;
    void scheduler.trigger('r1').then((o) => (outcome = o.status));
    await clock.advance(15 * SECOND);
    expect(outcome).toBeUndefined();
    await clock.advance(10 * SECOND);
    expect(outcome).toBe('locked');
  });
});

describe('BackupScheduler passes per-device SSH settings to the collection', () => {
  it("gives a device's own algorithms, deadlines and keepalive, the scheduler's to the rest", async () => {
    const seen = new Map<string, CollectOptions>();
    const made = setup(
      {
        initialJitterMs: [0, 0],
        algorithms: 'legacy',
        connectTimeoutMs: 20 * SECOND,
        commandTimeoutMs: MINUTE,
        keepaliveIntervalMs: 30 * SECOND,
        collect: (options) => {
          seen.set(options.device.id, options);
          return made.fake.collect(options);
        },
      },
      [
        device('modern-r', {
          ssh: {
            algorithms: 'modern',
            connectTimeoutMs: 5 * SECOND,
            commandTimeoutMs: 2 * MINUTE,
            keepaliveIntervalMs: 0,
          },
        }),
        device('lists-r', { ssh: { algorithms: { kex: ['diffie-hellman-group14-sha1'] } } }),
        device('plain-r'),
      ],
    );
    await using _stops = made.scheduler;
    await made.scheduler.start();
    await made.clock.advance(SECOND);
    expect(made.of('backup:success')).toHaveLength(3);
    const pick = (id: string) => {
      const o = seen.get(id)!;
      return {
        algorithms: o.algorithms,
        connectTimeoutMs: o.connectTimeoutMs,
        commandTimeoutMs: o.commandTimeoutMs,
        keepaliveIntervalMs: o.keepaliveIntervalMs,
      };
    };
    expect(pick('modern-r')).toEqual({
      algorithms: undefined,
      connectTimeoutMs: 5 * SECOND,
      commandTimeoutMs: 2 * MINUTE,
      keepaliveIntervalMs: 0,
    });
    expect(pick('lists-r')).toEqual({
      algorithms: { kex: ['diffie-hellman-group14-sha1'] },
      connectTimeoutMs: 20 * SECOND,
      commandTimeoutMs: MINUTE,
      keepaliveIntervalMs: 30 * SECOND,
    });
    expect(pick('plain-r').algorithms).toBe('legacy');
  });

  it('reports a record with a bad ssh setting as invalid, naming the field, and backs up the rest', async () => {
    const { clock, scheduler, of } = setup({ initialJitterMs: [0, 0] }, [
      device('bad', { ssh: { connectTimeoutMs: 0 } }),
      device('typo', { ssh: { algorithms: { kex: ['curve25519-sha265'] } } } as never),
      device('ok'),
    ]);
    await using _stops = scheduler;
    await scheduler.start();
    await clock.advance(SECOND);
    expect(of('device:invalid').map((e) => [e.payload.deviceId, e.payload.field])).toEqual([
      ['bad', 'ssh.connectTimeoutMs'],
      ['typo', 'ssh.algorithms.kex'],
    ]);
    expect(of('device:invalid')[0]?.payload.message).toContain(
      'ssh.connectTimeoutMs must be a positive number of ms, got 0',
    );
    expect(of('backup:success').map((e) => e.payload.deviceId)).toEqual(['ok']);
  });
});
