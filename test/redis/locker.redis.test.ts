/** RedisLocker and its Lua scripts against a private redis-server. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisLastSuccessStore } from '../../src/redis/last-success-store.js';
import { RedisLocker } from '../../src/redis/locker.js';
import { ACQUIRE_LOCK_READING_LUA } from '../../src/redis/scripts/acquire-lock.js';
import type { Lock } from '../../src/core/ports.js';
import { RedisService, servicesAvailable } from '../harness/services.js';
import { closeClient, createClient, expectNoLeakedHandles, pause, ready } from './clients.js';

const key = 'backup:device:r1';

expectNoLeakedHandles();

describe.skipIf(!servicesAvailable('redis-server'))('RedisLocker on Redis', () => {
  // Made in beforeAll: a skipped suite's body still runs, and the service makes a temp dir.
  let server: RedisService;
  let admin: Redis;
  let instanceA: RedisLocker;
  let instanceB: RedisLocker;
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = new RedisService();
    await server.start();
    admin = createClient(server.url, 'careful');
    const clientA = createClient(server.url, 'careful');
    const clientB = createClient(server.url, 'careless');
    clients.push(admin, clientA, clientB);
    await Promise.all(clients.map((client) => ready(client)));
    // Two poller instances, each with its own connection, as two processes would have.
    instanceA = new RedisLocker({ redis: clientA });
    instanceB = new RedisLocker({ redis: clientB });
  });

  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
    await server?.dispose();
  });

  beforeEach(async () => {
    await admin.del(key);
  });

  async function take(locker: RedisLocker, ttlMs: number): Promise<Lock> {
    const lock = await locker.acquire(key, ttlMs);
    if (!lock) throw new Error('expected the lock to be free');
    return lock;
  }

  /** Waits until Redis expired the key (expiry is checked lazily and every 100 ms). */
  async function expired(): Promise<void> {
    for (let i = 0; i < 50 && (await admin.exists(key)) === 1; i++) await pause(20);
    expect(await admin.exists(key)).toBe(0);
  }

  it('stores the token under the full key with the TTL', async () => {
    const lock = await take(instanceA, 30_000);
    expect(await admin.get(key)).toBe(lock.token);
    expect(await admin.pttl(key)).toBeGreaterThan(29_000);
  });

  it('answers undefined to a second instance while the first holds the lock', async () => {
    await take(instanceA, 30_000);
    await expect(instanceB.acquire(key, 30_000)).resolves.toBeUndefined();
  });

  it('lets the second instance take the lock after the first released it', async () => {
    const lock = await take(instanceA, 30_000);
    await expect(lock.release()).resolves.toBe(true);
    await expect(instanceB.acquire(key, 30_000)).resolves.toBeDefined();
  });

  it('does not delete the next holder’s lock when a stale holder releases', async () => {
    const stale = await take(instanceA, 100);
    await expired();
    const current = await take(instanceB, 30_000);
    await expect(stale.release()).resolves.toBe(false);
    expect(await admin.get(key)).toBe(current.token);
  });

  it('extend keeps the lock alive past its original TTL', async () => {
    const takenAtMs = Date.now();
    const lock = await take(instanceA, 500);
    await pause(100);
    await expect(lock.extend(2_000)).resolves.toBe(true);
    await pause(takenAtMs + 600 - Date.now()); // past the original TTL, whatever the load
    await expect(instanceB.acquire(key, 30_000)).resolves.toBeUndefined();
    expect(await admin.get(key)).toBe(lock.token);
  });

  it('extend returns false once the lock expired, and does not bring it back', async () => {
    const lock = await take(instanceA, 100);
    await expired();
    await expect(lock.extend(30_000)).resolves.toBe(false);
    expect(await admin.exists(key)).toBe(0);
  });

  it('extend by a stale holder leaves the next holder’s TTL alone', async () => {
    const stale = await take(instanceA, 100);
    await expired();
    await take(instanceB, 5_000);
    await expect(stale.extend(60_000)).resolves.toBe(false);
    expect(await admin.pttl(key)).toBeLessThanOrEqual(5_000);
  });

  it('runs its scripts again after the server forgot them (SCRIPT FLUSH)', async () => {
    const lock = await take(instanceA, 30_000);
    await lock.extend(30_000);
    await admin.script('FLUSH');
    await expect(lock.extend(30_000)).resolves.toBe(true);
    await expect(lock.release()).resolves.toBe(true);
  });

  describe('with the last-success store (one round trip)', () => {
    let reading: RedisLocker;
    let store: RedisLastSuccessStore;
    beforeAll(() => {
      store = new RedisLastSuccessStore({ redis: admin });
      reading = new RedisLocker({ redis: admin, lastSuccess: store });
    });
    beforeEach(async () => {
      await admin.del('backup:last:r1');
    });

    it('reads the recorded last success while taking the lock, in one command', async () => {
      await store.set('r1', 1_767_000_000_123);
      await admin.script('LOAD', ACQUIRE_LOCK_READING_LUA);
      const sent: string[] = [];
      const counting = new RedisLocker({
        redis: {
          get status() {
            return admin.status;
          },
          set: (...args: Parameters<Redis['set']>) => (sent.push('set'), admin.set(...args)),
          evalsha: (...args: Parameters<Redis['evalsha']>) => (
            sent.push('evalsha'),
            admin.evalsha(...args)
          ),
          eval: (...args: Parameters<Redis['eval']>) => (sent.push('eval'), admin.eval(...args)),
        } as never,
        lastSuccess: store,
      });
      const lock = await counting.acquire(key, 30_000);
      expect(lock?.lastSuccessAt).toBe(1_767_000_000_123);
      expect(await admin.get(key)).toBe(lock!.token);
      expect(await admin.pttl(key)).toBeGreaterThan(29_000);
      expect(sent).toEqual(['evalsha']);
      await lock!.release();
    });

    it('says null when nothing is recorded, and reads nothing when the lock is held', async () => {
      const lock = await reading.acquire(key, 30_000);
      expect(lock?.lastSuccessAt).toBeNull();
      await expect(reading.acquire(key, 30_000)).resolves.toBeUndefined();
      await lock!.release();
      await expect(admin.exists(key)).resolves.toBe(0);
    });

    it('takes a lock that is not a device lock as a plain SET, without reading', async () => {
      const lock = await reading.acquire('maintenance:window', 30_000);
      expect(lock).toBeDefined();
      expect(lock!.lastSuccessAt).toBeUndefined();
      await lock!.release();
    });

    it('runs again after the server forgot the script (SCRIPT FLUSH)', async () => {
      await store.set('r1', 42);
      await admin.script('FLUSH');
      const lock = await reading.acquire(key, 30_000);
      expect(lock?.lastSuccessAt).toBe(42);
      await lock!.release();
    });
  });
});
