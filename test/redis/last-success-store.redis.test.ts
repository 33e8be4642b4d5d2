/** RedisLastSuccessStore against a private redis-server. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLastSuccessStore } from '../../src/redis/last-success-store.js';
import { RedisService, servicesAvailable } from '../harness/services.js';
import { closeClient, createClient, expectNoLeakedHandles, ready } from './clients.js';

const atMs = Date.UTC(2026, 2, 7, 12, 0, 0);

expectNoLeakedHandles();

describe.skipIf(!servicesAvailable('redis-server'))('RedisLastSuccessStore on Redis', () => {
  // Made in beforeAll: a skipped suite's body still runs, and the service makes a temp dir.
  let server: RedisService;
  let client: Redis;

  beforeAll(async () => {
    server = new RedisService();
    await server.start();
    client = createClient(server.url, 'careless');
    await ready(client);
  });

  afterAll(async () => {
    if (client) await closeClient(client);
    await server?.dispose();
  });

  it('reads back, from another instance, the time one instance wrote', async () => {
    const writer = new RedisLastSuccessStore({ redis: client });
    const reader = new RedisLastSuccessStore({ redis: client });
    await writer.set('r1', atMs);
    await expect(reader.get('r1')).resolves.toBe(atMs);
  });

  it('stores the time as a decimal string at backup:last:<deviceId>', async () => {
    await new RedisLastSuccessStore({ redis: client }).set('r2', atMs);
    expect(await client.get('backup:last:r2')).toBe(String(atMs));
  });

  it('reads undefined for a device no instance backed up', async () => {
    await expect(
      new RedisLastSuccessStore({ redis: client }).get('never'),
    ).resolves.toBeUndefined();
  });

  it('lets the record expire after ttlMs', async () => {
    await new RedisLastSuccessStore({ redis: client, ttlMs: 60_000 }).set('r3', atMs);
    const pttl = await client.pttl('backup:last:r3');
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });
});
