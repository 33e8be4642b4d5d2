/**
 * What the Redis adapters do while the server is down and after it comes back, with a client
 * configured carefully and with ioredis' defaults (offline queue on): they must fail fast either way.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { RedisLastSuccessStore } from '../../src/redis/last-success-store.js';
import { RedisLocker } from '../../src/redis/locker.js';
import { RedisOnlineGate } from '../../src/redis/online-gate.js';
import { isLockUnavailableError, type Lock } from '../../src/core/ports.js';
import { RedisService, servicesAvailable } from '../harness/services.js';
import {
  closeClient,
  createClient,
  expectNoLeakedHandles,
  ready,
  type ClientStyle,
} from './clients.js';
import { RecordingLogger } from './fakes.js';

const device: Device = { id: 'r1', host: '192.0.2.1', vendor: 'routeros' };
const commandTimeoutMs = 300;
/** Scheduling slack on a loaded 2-core machine; a queued command would wait seconds, not this. */
const marginMs = 250;

/** How long `run` took, in ms, and what it settled with. */
async function timed<T>(run: () => Promise<T>): Promise<{ elapsedMs: number; outcome: unknown }> {
  const startedMs = Date.now();
  const outcome = await run().catch((error: unknown) => error);
  return { elapsedMs: Date.now() - startedMs, outcome };
}

expectNoLeakedHandles();

describe.skipIf(!servicesAvailable('redis-server')).each<ClientStyle>(['careful', 'careless'])(
  'with a %s client, while Redis is stopped',
  (style) => {
    // Made in beforeAll: a skipped suite's body still runs, and the service makes a temp dir.
    let server: RedisService;
    const gateLogger = new RecordingLogger();
    const lockerLogger = new RecordingLogger();
    let client: Redis;
    let gate: RedisOnlineGate;
    let locker: RedisLocker;
    let store: RedisLastSuccessStore;
    let heldLock: Lock;

    beforeAll(async () => {
      server = new RedisService();
      await server.start();
      client = createClient(server.url, style);
      await ready(client);
      gate = new RedisOnlineGate({ redis: client, commandTimeoutMs, logger: gateLogger });
      locker = new RedisLocker({ redis: client, commandTimeoutMs, logger: lockerLogger });
      store = new RedisLastSuccessStore({ redis: client, commandTimeoutMs });
      const lock = await locker.acquire('backup:device:held', 30_000);
      if (!lock) throw new Error('expected the lock to be free');
      heldLock = lock;
      await server.stop();
    });

    afterAll(async () => {
      if (client) await closeClient(client);
      await server?.dispose();
    });

    if (style === 'careless') {
      it('(control) a plain GET on this client would wait in its offline queue', async () => {
        let settled = false;
        const get = client.get('device:r1:status').finally(() => (settled = true));
        get.catch(() => {}); // it fails when the client is closed, or runs after the restart
        await new Promise((resolve) => setTimeout(resolve, commandTimeoutMs + marginMs));
        expect(settled).toBe(false);
      });
    }

    it('the gate answers unknown within commandTimeoutMs', async () => {
      const { elapsedMs, outcome } = await timed(() => gate.check(device));
      expect(outcome).toBe('unknown');
      expect(elapsedMs).toBeLessThan(commandTimeoutMs + marginMs);
    });

    it('the gate logs one warning for many checks', async () => {
      await Promise.all(Array.from({ length: 20 }, () => gate.check(device)));
      for (let i = 0; i < 5; i++) await gate.check(device);
      expect(gateLogger.at('warn')).toHaveLength(1);
    });

    it('acquire rejects with a LockUnavailableError within commandTimeoutMs', async () => {
      const { elapsedMs, outcome } = await timed(() => locker.acquire('backup:device:r1', 30_000));
      expect(isLockUnavailableError(outcome)).toBe(true);
      expect(elapsedMs).toBeLessThan(commandTimeoutMs + marginMs);
    });

    it('extend of a held lock rejects with a LockUnavailableError within commandTimeoutMs', async () => {
      const { elapsedMs, outcome } = await timed(() => heldLock.extend(30_000));
      expect(isLockUnavailableError(outcome)).toBe(true);
      expect(elapsedMs).toBeLessThan(commandTimeoutMs + marginMs);
    });

    it('the last-success store rejects within commandTimeoutMs', async () => {
      const { elapsedMs, outcome } = await timed(() => store.get('r1'));
      expect(outcome).toBeInstanceOf(Error);
      expect(elapsedMs).toBeLessThan(commandTimeoutMs + marginMs);
    });

    it('the locker logs one warning for the outage', () => {
      expect(lockerLogger.at('warn')).toHaveLength(1);
    });

    describe('and after it restarts', () => {
      beforeAll(async () => {
        await server.start();
        await ready(client);
      });

      it('the gate reads the status again', async () => {
        await client.set('device:r1:status', 'online');
        await expect(gate.check(device)).resolves.toBe('online');
      });

      it('the gate logs once at info that Redis answers again', async () => {
        await gate.check(device);
        await gate.check(device);
        expect(gateLogger.at('info')).toHaveLength(1);
        expect(gateLogger.at('warn')).toHaveLength(1);
      });

      it('acquire takes a lock again', async () => {
        await expect(locker.acquire('backup:device:r1', 30_000)).resolves.toBeDefined();
      });

      it('the last-success store reads and writes again', async () => {
        await store.set('r1', 1_772_884_800_000);
        await expect(store.get('r1')).resolves.toBe(1_772_884_800_000);
      });
    });
  },
);
