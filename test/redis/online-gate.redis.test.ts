/** RedisOnlineGate against a private redis-server. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { RedisOnlineGate } from '../../src/redis/online-gate.js';
import { RedisService, servicesAvailable } from '../harness/services.js';
import { closeClient, createClient, expectNoLeakedHandles, pause, ready } from './clients.js';

const device: Device = { id: 'r1', host: '192.0.2.1', vendor: 'routeros' };

/** Keeps the server busy in a Lua loop for `ms`: it reads no command meanwhile, like a stalled server. */
const BUSY_LOOP_LUA = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local untilMs = nowMs() + tonumber(ARGV[1])
while nowMs() < untilMs do end
return 1
`;

expectNoLeakedHandles();

describe.skipIf(!servicesAvailable('redis-server'))('RedisOnlineGate on Redis', () => {
  // Made in beforeAll: a skipped suite's body still runs, and the service makes a temp dir.
  let server: RedisService;
  let admin: Redis;
  let client: Redis;
  let gate: RedisOnlineGate;

  beforeAll(async () => {
    server = new RedisService();
    await server.start();
    admin = createClient(server.url, 'careful');
    client = createClient(server.url, 'careless');
    await Promise.all([ready(admin), ready(client)]);
    gate = new RedisOnlineGate({ redis: client, commandTimeoutMs: 300 });
  });

  afterAll(async () => {
    await Promise.all([admin, client].filter(Boolean).map(closeClient));
    await server?.dispose();
  });

  it('answers online when the status key holds "online"', async () => {
    await admin.set('device:r1:status', 'online');
    await expect(gate.check(device)).resolves.toBe('online');
  });

  it('answers offline when the status key holds "offline"', async () => {
    await admin.set('device:r1:status', 'offline');
    await expect(gate.check(device)).resolves.toBe('offline');
  });

  it('answers offline when the status key holds any other value', async () => {
    await admin.set('device:r1:status', 'ONLINE');
    await expect(gate.check(device)).resolves.toBe('offline');
  });

  it('answers unknown when the status key is missing', async () => {
    await admin.del('device:r1:status');
    await expect(gate.check(device)).resolves.toBe('unknown');
  });

  it('answers unknown when the key holds a hash, which Redis refuses to GET', async () => {
    await admin.del('device:r1:status');
    await admin.hset('device:r1:status', 'state', 'online');
    await expect(gate.check(device)).resolves.toBe('unknown');
    await admin.del('device:r1:status');
  });

  it('answers unknown within commandTimeoutMs when the server stalls', async () => {
    await admin.set('device:r1:status', 'online');
    const busy = admin.eval(BUSY_LOOP_LUA, 0, 1_500);
    await pause(150); // the two connections are not ordered: let the loop start first
    const startedMs = Date.now();
    await expect(gate.check(device)).resolves.toBe('unknown');
    expect(Date.now() - startedMs).toBeLessThan(300 + 250);
    await busy;
  });

  it('answers again once the stalled server is back', async () => {
    await admin.set('device:r1:status', 'online');
    await expect(gate.check(device)).resolves.toBe('online');
  });
});
