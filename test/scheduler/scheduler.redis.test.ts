/**
 * Several schedulers sharing a real Redis, backing up real simulated devices over SSH.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { RedisLastSuccessStore, RedisLocker } from '../../src/redis/index.js';
import { BackupScheduler, type CollectFunction } from '../../src/scheduler/scheduler.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/testing/simulated/index.js';
import { RedisService, servicesAvailable } from '../harness/services.js';
import { closeClient, createClient, ready } from '../redis/clients.js';
import { sampleConfig } from '../fixtures/configs.js';

const available = servicesAvailable('redis-server');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('BackupScheduler instances sharing a real Redis', () => {
  let redis: RedisService;
  let fleet: SimulatedFleet;
  let devices: Device[];
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await new RedisService().start();
    fleet = await startSimulatedFleet(
      Array.from({ length: 50 }, (_, i) => ({
        vendor: i % 2 ? ('routeros' as const) : ('cisco-ios' as const),
        config: i % 2 ? sampleConfig('routeros') : sampleConfig('cisco-ios'),
      })),
    );
    devices = fleet.devices.map((d, i) => ({
      id: `sim${i}`,
      host: d.host,
      port: d.port,
      vendor: d.vendor,
      tenantId: 't1',
    }));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => closeClient(c)));
    await fleet?.close();
    await redis?.dispose();
  });

  async function client(): Promise<Redis> {
    const c = createClient(redis.url, 'careful');
    clients.push(c);
    await ready(c);
    return c;
  }

  /** Wraps collectConfig to see, across instances, whether a device is ever collected twice at once. */
  function watched(
    active: Map<string, number>,
    overlaps: string[],
    counts: Map<string, number>,
  ): CollectFunction {
    return async (options) => {
      const id = options.device.id;
      const now = (active.get(id) ?? 0) + 1;
      active.set(id, now);
      if (now > 1) overlaps.push(id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      try {
        return await collectConfig(options);
      } finally {
        active.set(id, (active.get(id) ?? 1) - 1);
      }
    };
  }

  function scheduler(
    redisClient: Redis,
    collect: CollectFunction,
    publisher: MemorySnapshotPublisher,
    intervalMs: number,
  ) {
    return new BackupScheduler({
      devices: { list: () => Promise.resolve(devices) },
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher,
      collect,
      locker: new RedisLocker({ redis: redisClient }),
      lastSuccess: new RedisLastSuccessStore({ redis: redisClient }),
      intervalMs,
      initialJitterMs: [0, 1_000],
      concurrency: 10,
      refreshIntervalMs: 60_000,
      commandTimeoutMs: 5_000,
    });
  }

  it('backs each device up about once per interval with three instances, never twice at once', async () => {
    const active = new Map<string, number>();
    const overlaps: string[] = [];
    const counts = new Map<string, number>();
    const collect = watched(active, overlaps, counts);
    const publisher = new MemorySnapshotPublisher();
    const intervalMs = 2_500;
    const instances = await Promise.all(
      [0, 1, 2].map(async () => scheduler(await client(), collect, publisher, intervalMs)),
    );
    await Promise.all(instances.map((s) => s.start()));
    // First attempts within 1 s, then every 2.5 s: three rounds by 6.5 s.
    await pause(6_500);
    await Promise.all(instances.map((s) => s.stop()));

    expect(overlaps).toEqual([]);
    for (const device of devices) {
      const count = counts.get(device.id) ?? 0;
      expect(count, device.id).toBeGreaterThanOrEqual(2);
      // One instance per interval would give 3; three instances each on their own would give 9.
      expect(count, device.id).toBeLessThanOrEqual(4);
    }
    const failures = instances.reduce((n, s) => n + s.stats().outcomes.failed, 0);
    expect(failures).toBe(0);
  }, 30_000);

  it('goes on backing up while Redis is down and uses it again when it returns', async () => {
    const counts = new Map<string, number>();
    const collect = watched(new Map(), [], counts);
    const publisher = new MemorySnapshotPublisher();
    const instance = scheduler(await client(), collect, publisher, 1_500);
    const warnings: string[] = [];
    instance.on('warning', (e) => warnings.push(e.code));
    await instance.start();
    await pause(1_200);
    await redis.stop();
    const during = publisher.snapshots.length;
    await pause(2_000);
    expect(publisher.snapshots.length).toBeGreaterThan(during);
    expect(warnings).toContain('lock-unavailable');
    await redis.start();
    await pause(1_000);
    const warningsBefore = warnings.length;
    await pause(1_600);
    await instance.stop();
    expect(instance.stats().outcomes.failed).toBe(0);
    // Back on Redis: the last round ran with locks again, without new warnings.
    expect(warnings.length).toBe(warningsBefore);
  }, 30_000);

  it('keeps the lock alive while an attempt outlasts its TTL', async () => {
    const redisClient = await client();
    const observer = await client();
    const publisher = new MemorySnapshotPublisher();
    publisher.stall();
    const instance = new BackupScheduler({
      devices: { list: () => Promise.resolve(devices.slice(0, 1)) },
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher,
      locker: new RedisLocker({ redis: redisClient }),
      initialJitterMs: [0, 0],
      timeLimitMs: 5_000,
      lockTtlMs: 600,
    });
    await using _stopsInstance = instance;
    await instance.start();
    // TTL 600 ms; the publish stalls for 2 s, so the lock lives only if it is extended.
    await pause(2_000);
    expect(await observer.get('backup:device:sim0')).not.toBeNull();
    publisher.resume();
    await pause(300);
    expect(publisher.snapshots).toHaveLength(1);
    expect(await observer.get('backup:device:sim0')).toBeNull();
  }, 20_000);

  it("keeps a manual trigger's lock alive while it waits for a slot", async () => {
    const redisClient = await client();
    const observer = await client();
    const [first, second] = [devices[3]!, devices[4]!];
    let letFirstFinish = (): void => {};
    const firstHeld = new Promise<void>((resolve) => (letFirstFinish = resolve));
    const started: string[] = [];
    const collect: CollectFunction = async (options) => {
      started.push(options.device.id);
      if (options.device.id === first.id) await firstHeld;
      return collectConfig(options);
    };
    const jitters = [0, 0.999];
    const instance = new BackupScheduler({
      devices: { list: () => Promise.resolve([first, second]) },
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher: new MemorySnapshotPublisher(),
      collect,
      locker: new RedisLocker({ redis: redisClient }),
      concurrency: 1,
      initialJitterMs: [0, 3_600_000],
      random: () => jitters.shift() ?? 0.5,
      timeLimitMs: 10_000,
      lockTtlMs: 600,
    });
    await using _stopsInstance = instance;
    await instance.start();
    while (started.length === 0) await pause(20);
    const outcome = instance.trigger(second.id);
    // TTL 600 ms; the trigger waits 2 s for the slot, so its lock lives only if it is extended.
    await pause(2_000);
    expect(instance.status(second.id)!.state).toBe('waiting');
    expect(await observer.get(`backup:device:${second.id}`)).not.toBeNull();
    letFirstFinish();
    expect(await outcome).toMatchObject({ status: 'success' });
    await pause(100);
    expect(await observer.get(`backup:device:${second.id}`)).toBeNull();
  }, 20_000);

  it('backs a device up whose backup:last an instance with a clock 30 days ahead wrote', async () => {
    const redisClient = await client();
    const observer = await client();
    const target = devices[5]!;
    const key = `backup:last:${target.id}`;
    await observer.set(key, String(Date.now() + 30 * 24 * 3_600_000));
    const instance = new BackupScheduler({
      devices: { list: () => Promise.resolve([target]) },
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher: new MemorySnapshotPublisher(),
      locker: new RedisLocker({ redis: redisClient }),
      lastSuccess: new RedisLastSuccessStore({ redis: redisClient }),
      initialJitterMs: [0, 0],
      intervalMs: 3_600_000,
    });
    const warnings: string[] = [];
    instance.on('warning', (e) => warnings.push(e.code));
    const outcome = new Promise<string>((resolve) => {
      instance.on('backup:success', () => resolve('success'));
      instance.on('backup:skipped', (e) => resolve(`skipped: ${e.reason}`));
      instance.on('backup:failure', (e) => resolve(`failed: ${e.kind}`));
    });
    await using _stopsInstance = instance;
    await instance.start();
    expect(await outcome).toBe('success');
    expect(warnings).toContain('last-success-in-future');
    // The success overwrote the bogus time with this instance's own.
    expect(Number(await observer.get(key))).toBeLessThanOrEqual(Date.now());
  }, 20_000);

  it('leaves no timer or socket of its own once stopped', async () => {
    const redisClient = await client();
    const leakable = () => {
      const counts: Record<string, number> = { Timeout: 0, TCPSocketWrap: 0, TCPServerWrap: 0 };
      for (const name of process.getActiveResourcesInfo()) if (name in counts) counts[name]!++;
      return counts;
    };
    const before = leakable();
    const instance = scheduler(redisClient, collectConfig, new MemorySnapshotPublisher(), 500);
    await instance.start();
    await pause(1_500);
    await instance.stop();
    await pause(50);
    const after = leakable();
    // Timers of the test runner may have finished meanwhile: none may have been added.
    for (const [name, count] of Object.entries(after))
      expect(count, name).toBeLessThanOrEqual(before[name]!);
  }, 20_000);
});
