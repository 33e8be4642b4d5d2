import { beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { RedisOnlineGate } from '../../src/redis/online-gate.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeRedis, FakeReplyError, RecordingLogger } from './fakes.js';

const device: Device = { id: 'r1', host: '192.0.2.1', vendor: 'routeros' };

/** Lets queued promise callbacks run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('RedisOnlineGate', () => {
  let clock: FakeClock;
  let redis: FakeRedis;
  let logger: RecordingLogger;
  let gate: RedisOnlineGate;

  beforeEach(() => {
    clock = new FakeClock();
    redis = new FakeRedis(clock);
    logger = new RecordingLogger();
    gate = new RedisOnlineGate({ redis, clock, logger, commandTimeoutMs: 1_000 });
  });

  it('answers online when device:<id>:status holds exactly "online"', async () => {
    redis.put('device:r1:status', 'online');
    await expect(gate.check(device)).resolves.toBe('online');
  });

  it.each(['offline', 'Online', 'online ', 'down', ''])(
    'answers offline when the status key holds %j',
    async (value) => {
      redis.put('device:r1:status', value);
      await expect(gate.check(device)).resolves.toBe('offline');
    },
  );

  it('answers unknown when the status key is missing', async () => {
    await expect(gate.check(device)).resolves.toBe('unknown');
  });

  it('reads the status key under keyPrefix', async () => {
    const prefixed = new RedisOnlineGate({ redis, clock, keyPrefix: 'fleet:' });
    redis.put('fleet:device:r1:status', 'online');
    await expect(prefixed.check(device)).resolves.toBe('online');
  });

  it.each(['reconnecting', 'connecting', 'connect', 'wait', 'close', 'end'])(
    'answers unknown at once without sending a command while the client is %s',
    async (status) => {
      redis.status = status;
      await expect(gate.check(device)).resolves.toBe('unknown');
      expect(redis.sent).toEqual([]);
    },
  );

  it('answers unknown when Redis does not reply within commandTimeoutMs', async () => {
    redis.stalled = true;
    let status: string | undefined;
    void gate.check(device).then((answer) => (status = answer));
    await clock.advance(999);
    expect(status).toBeUndefined();
    await clock.advance(1);
    expect(status).toBe('unknown');
  });

  it('answers unknown when the command fails because the connection dropped', async () => {
    redis.failWith = new Error('Connection is closed.');
    await expect(gate.check(device)).resolves.toBe('unknown');
  });

  it('drops a failure that comes after the timeout instead of leaving it unhandled', async () => {
    redis.stalled = true;
    const answer = gate.check(device);
    await clock.advance(1_000);
    await expect(answer).resolves.toBe('unknown');
    redis.failStalled(new Error('Connection is closed.'));
    await flush();
  });

  it('logs one warning for many failed checks during one outage', async () => {
    redis.status = 'reconnecting';
    for (let i = 0; i < 20; i++) await gate.check(device);
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]?.msg).toMatch(/Redis is unreachable/);
  });

  it('logs once at info when Redis answers again after an outage', async () => {
    redis.status = 'reconnecting';
    await gate.check(device);
    redis.status = 'ready';
    await clock.advance(5_000);
    await gate.check(device);
    await gate.check(device);
    const info = logger.at('info');
    expect(info).toHaveLength(1);
    expect(info[0]?.obj).toMatchObject({ outageMs: 5_000 });
  });

  it('warns again for a second outage after a recovery', async () => {
    redis.status = 'reconnecting';
    await gate.check(device);
    redis.status = 'ready';
    await gate.check(device);
    redis.status = 'reconnecting';
    await gate.check(device);
    expect(logger.at('warn')).toHaveLength(2);
  });

  it('logs nothing while Redis answers', async () => {
    redis.put('device:r1:status', 'online');
    await gate.check(device);
    await gate.check({ ...device, id: 'r2' });
    expect(logger.lines).toEqual([]);
  });

  it('answers unknown and warns, without declaring an outage, when Redis refuses the read', async () => {
    redis.failWith = new FakeReplyError(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    );
    await expect(gate.check(device)).resolves.toBe('unknown');
    redis.failWith = undefined;
    await gate.check(device);
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toMatchObject({ deviceId: 'r1' });
    expect(logger.at('info')).toEqual([]);
  });

  it('rejects with signal.reason when the signal aborts while waiting for Redis', async () => {
    redis.stalled = true;
    const controller = new AbortController();
    const answer = gate.check(device, controller.signal);
    const reason = new Error('stopping');
    controller.abort(reason);
    await expect(answer).rejects.toBe(reason);
  });

  it('rejects with signal.reason at once when the signal is already aborted', async () => {
    const reason = new Error('stopping');
    await expect(gate.check(device, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(redis.sent).toEqual([]);
  });

  it('leaves no timer behind once Redis answered', async () => {
    await gate.check(device);
    expect(clock.pendingSleepers).toBe(0);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a commandTimeoutMs of %s at construction',
    (commandTimeoutMs) => {
      expect(() => new RedisOnlineGate({ redis, commandTimeoutMs })).toThrow(RangeError);
    },
  );
});
