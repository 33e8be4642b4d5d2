import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLocker } from '../../src/scheduler/memory-locker.js';
import type { Lock } from '../../src/core/ports.js';
import { FakeClock } from '../../src/testing/fake-clock.js';

const key = 'backup:device:r1';

describe('MemoryLocker', () => {
  let clock: FakeClock;
  let locker: MemoryLocker;

  beforeEach(() => {
    clock = new FakeClock();
    locker = new MemoryLocker({ clock });
  });

  async function take(ttlMs = 1_000): Promise<Lock> {
    const lock = await locker.acquire(key, ttlMs);
    if (!lock) throw new Error('expected the lock to be free');
    return lock;
  }

  it('hands out a lock for a free key, under that key', async () => {
    const lock = await take();
    expect(lock.key).toBe(key);
    expect(lock.token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('resolves undefined for a key that is held', async () => {
    await take();
    await expect(locker.acquire(key, 1_000)).resolves.toBeUndefined();
  });

  it('keeps locks of different keys apart', async () => {
    await take();
    await expect(locker.acquire('backup:device:r2', 1_000)).resolves.toBeDefined();
  });

  it('gives every acquisition a different token', async () => {
    const first = await take();
    await first.release();
    const second = await take();
    expect(second.token).not.toBe(first.token);
  });

  it('still holds the lock 1 ms before its TTL ends', async () => {
    await take(1_000);
    await clock.advance(999);
    await expect(locker.acquire(key, 1_000)).resolves.toBeUndefined();
  });

  it('frees the lock when its TTL ends', async () => {
    await take(1_000);
    await clock.advance(1_000);
    await expect(locker.acquire(key, 1_000)).resolves.toBeDefined();
  });

  it('extend keeps the lock past its original TTL', async () => {
    const lock = await take(1_000);
    await clock.advance(900);
    await expect(lock.extend(1_000)).resolves.toBe(true);
    await clock.advance(900);
    await expect(locker.acquire(key, 1_000)).resolves.toBeUndefined();
  });

  it('extend returns false once the lock expired', async () => {
    const lock = await take(1_000);
    await clock.advance(1_000);
    await expect(lock.extend(1_000)).resolves.toBe(false);
  });

  it('extend by an expired holder does not prolong the next holder', async () => {
    const stale = await take(1_000);
    await clock.advance(1_000);
    await take(1_000);
    await expect(stale.extend(60_000)).resolves.toBe(false);
    await clock.advance(1_000);
    await expect(locker.acquire(key, 1_000)).resolves.toBeDefined();
  });

  it('release frees the key', async () => {
    const lock = await take();
    await expect(lock.release()).resolves.toBe(true);
    await expect(locker.acquire(key, 1_000)).resolves.toBeDefined();
  });

  it('release returns false the second time', async () => {
    const lock = await take();
    await lock.release();
    await expect(lock.release()).resolves.toBe(false);
  });

  it('release by an expired holder does not delete the next holder', async () => {
    const stale = await take(1_000);
    await clock.advance(1_000);
    await take(1_000);
    await expect(stale.release()).resolves.toBe(false);
    await expect(locker.acquire(key, 1_000)).resolves.toBeUndefined();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a TTL of %s with a RangeError',
    async (ttlMs) => {
      await expect(locker.acquire(key, ttlMs)).rejects.toThrow(RangeError);
    },
  );

  it('rejects with signal.reason when the signal is already aborted', async () => {
    const reason = new Error('stopping');
    await expect(locker.acquire(key, 1_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('does not take the key when acquire was aborted', async () => {
    await locker.acquire(key, 1_000, AbortSignal.abort()).catch(() => undefined);
    await expect(locker.acquire(key, 1_000)).resolves.toBeDefined();
  });

  it('starts no timer, so it keeps nothing alive', async () => {
    await take(60_000);
    expect(clock.pendingSleepers).toBe(0);
  });
});
