import { beforeEach, describe, expect, it } from 'vitest';
import { RedisLastSuccessStore } from '../../src/redis/last-success-store.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeRedis } from './fakes.js';

const atMs = Date.UTC(2026, 2, 7, 12, 0, 0);

describe('RedisLastSuccessStore', () => {
  let clock: FakeClock;
  let redis: FakeRedis;
  let store: RedisLastSuccessStore;

  beforeEach(() => {
    clock = new FakeClock();
    redis = new FakeRedis(clock);
    store = new RedisLastSuccessStore({ redis, clock, commandTimeoutMs: 1_000 });
  });

  it('writes the time to backup:last:<deviceId> as a decimal string of ms', async () => {
    await store.set('r1', atMs);
    expect(redis.peek('backup:last:r1')).toBe(String(atMs));
  });

  it('writes without an expiry when no ttlMs is given', async () => {
    await store.set('r1', atMs);
    expect(redis.ttlMs('backup:last:r1')).toBeUndefined();
  });

  it('writes with an expiry of ttlMs when one is given', async () => {
    const expiring = new RedisLastSuccessStore({ redis, clock, ttlMs: 64_800_000 });
    await expiring.set('r1', atMs);
    expect(redis.sent).toEqual([['SET', 'backup:last:r1', String(atMs), 'PX', 64_800_000]]);
  });

  it('reads back the time that was written', async () => {
    await store.set('r1', atMs);
    await expect(store.get('r1')).resolves.toBe(atMs);
  });

  it('reads undefined when no instance recorded a success', async () => {
    await expect(store.get('r1')).resolves.toBeUndefined();
  });

  it.each(['', 'yesterday', '1.5', '-3', '2026-03-07T12:00:00Z', '99999999999999999999'])(
    'reads undefined when the record holds %j',
    async (value) => {
      redis.put('backup:last:r1', value);
      await expect(store.get('r1')).resolves.toBeUndefined();
    },
  );

  it('uses keyPrefix for the key', async () => {
    const prefixed = new RedisLastSuccessStore({ redis, clock, keyPrefix: 'fleet:last:' });
    await prefixed.set('r1', atMs);
    expect(redis.peek('fleet:last:r1')).toBe(String(atMs));
  });

  it('rejects at once, sending nothing, while the client is not ready', async () => {
    redis.status = 'reconnecting';
    await expect(store.get('r1')).rejects.toThrow(/not ready/);
    await expect(store.set('r1', atMs)).rejects.toThrow(/not ready/);
    expect(redis.sent).toEqual([]);
  });

  it('rejects when Redis does not reply within commandTimeoutMs', async () => {
    redis.stalled = true;
    let outcome: unknown;
    store.get('r1').catch((error: unknown) => (outcome = error));
    await clock.advance(999);
    expect(outcome).toBeUndefined();
    await clock.advance(1);
    expect(outcome).toMatchObject({ name: 'RedisUnavailableError' });
  });

  it('rejects with signal.reason when the signal aborts', async () => {
    redis.stalled = true;
    const controller = new AbortController();
    const writing = store.set('r1', atMs, controller.signal);
    const reason = new Error('stopping');
    controller.abort(reason);
    await expect(writing).rejects.toBe(reason);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1])(
    'rejects a time of %s with a RangeError',
    async (badMs) => {
      await expect(store.set('r1', badMs)).rejects.toThrow(RangeError);
    },
  );

  it.each([0, -1, Number.NaN])('rejects a ttlMs of %s at construction', (ttlMs) => {
    expect(() => new RedisLastSuccessStore({ redis, ttlMs })).toThrow(RangeError);
  });
});
