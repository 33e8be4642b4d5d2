/** `--nats` and `--redis` against private nats-server and redis-server processes (test/harness). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromWireJson } from '../../src/index.js';
import { NatsService, RedisService, servicesAvailable } from '../harness/services.js';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo, cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const available = servicesAvailable('nats-server', 'redis-server');
const PASSWORD = 'pw-services-91d2';
const env = { ROUTER_PASSWORD: PASSWORD };

describe.skipIf(!available)('confsnap with NATS and Redis', () => {
  const nats = new NatsService();
  const redis = new RedisService();
  let nc: NatsConnection;
  let dir: string;
  let cleanup: () => void;
  const lab = new Lab();

  beforeAll(async () => {
    await Promise.all([nats.start(), redis.start()]);
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await Promise.all([nats.dispose(), redis.dispose()]);
  });
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(async () => {
    await lab.close();
    cleanup();
    const manager = await nc.jetstreamManager();
    await manager.streams.delete('CONFIG_SNAPSHOTS').catch(() => {});
  });

  async function createStream(): Promise<void> {
    const manager = await nc.jetstreamManager();
    await manager.streams.add({ name: 'CONFIG_SNAPSHOTS', subjects: ['config.snapshot.>'] });
  }

  function inventoryOf(devices: object[]): string {
    return writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD', tenant: 'acme' },
      devices,
    });
  }

  it('backup --nats publishes every snapshot to JetStream as well as to the directory', async () => {
    await createStream();
    const router = await lab.start(PASSWORD);
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--nats',
        nats.url,
      ],
      { env, cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'r1.cfg'))).toBe(true);
    const manager = await nc.jetstreamManager();
    const stored = await manager.streams.getMessage('CONFIG_SNAPSHOTS', {
      last_by_subj: 'config.snapshot.create.r1',
    });
    const snapshot = fromWireJson(stored.data);
    expect(snapshot).toMatchObject({ deviceId: 'r1', tenantId: 'acme', vendor: 'routeros' });
  });

  it('backup --nats fails fast when no stream would store the snapshots', async () => {
    const router = await lab.start(PASSWORD);
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--nats',
        nats.url,
      ],
      { env, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain(
      'no JetStream stream captures config.snapshot.create.<device_id>',
    );
  });

  it('backup --nats exits 1 when NATS is unreachable, without printing its credentials', async () => {
    const router = await lab.start(PASSWORD);
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--nats',
        'nats://user:nats-secret@127.0.0.1:1',
      ],
      { env, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('cannot connect to NATS at nats://***@127.0.0.1:1');
    expect(run.all()).not.toContain('nats-secret');
  });

  it('run --redis --nats answers a trigger over NATS and stops cleanly', async () => {
    await createStream();
    const router = await lab.start(PASSWORD);
    const controller = new AbortController();
    const running = cli(
      [
        'run',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--interval',
        '1h',
        '--nats',
        nats.url,
        '--redis',
        redis.url,
      ],
      { env, cwd: dir, signal: controller.signal },
    );
    try {
      let reply: { status?: string; sha256_hash?: string } = {};
      const deadline = Date.now() + 10_000;
      // The responder subscribes once the daemon started; until then the request finds no one.
      while (reply.status === undefined && Date.now() < deadline) {
        try {
          const message = await nc.request(
            'config.backup.trigger',
            JSON.stringify({ device_id: 'r1', tenant_id: 'acme' }),
            { timeout: 5_000 },
          );
          reply = message.json();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      expect(reply).toMatchObject({
        status: 'success',
        sha256_hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      });
      expect(existsSync(join(dir, 'out', 'r1.cfg'))).toBe(true);
    } finally {
      controller.abort();
    }
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr()).toContain(`Redis ${redis.url}`);
    expect(run.stderr()).toMatch(/stopped\n$/);
  });

  it('run --nats logs one line when NATS goes away and one when it is back', async () => {
    const own = new NatsService();
    await own.start();
    try {
      const admin = await connect({ servers: own.url });
      const manager = await admin.jetstreamManager();
      await manager.streams.add({ name: 'CONFIG_SNAPSHOTS', subjects: ['config.snapshot.>'] });
      await admin.close();
      const router = await lab.start(PASSWORD);
      const controller = new AbortController();
      const captured = captureIo({ env, cwd: dir, signal: controller.signal });
      const running = runCli(
        [
          'run',
          '--inventory',
          inventoryOf([entry('r1', router)]),
          '--out',
          join(dir, 'out'),
          '--interval',
          '1h',
          '--nats',
          `nats://user:nats-outage-secret@127.0.0.1:${own.port}`,
        ],
        captured.io,
      );
      const waitFor = async (pattern: RegExp): Promise<void> => {
        const deadline = Date.now() + 20_000;
        while (!pattern.test(captured.stderr()) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(captured.stderr()).toMatch(pattern);
      };
      try {
        await waitFor(/confsnap run: 1 device/);
        await own.stop();
        await waitFor(/NATS at nats:\/\/\*\*\*@127\.0\.0\.1:\d+ is unreachable/);
        await own.start();
        await waitFor(/NATS at nats:\/\/\*\*\*@127\.0\.0\.1:\d+ is back/);
      } finally {
        controller.abort();
      }
      expect(await running).toBe(0);
      expect(captured.stderr().match(/NATS at \S+ is unreachable/g)).toHaveLength(1);
      expect(captured.stderr().match(/NATS at \S+ is back$/gm)).toHaveLength(1);
      expect(captured.all()).not.toContain('nats-outage-secret');
    } finally {
      await own.dispose();
    }
  }, 60_000);

  it('run --redis with a password holding @ logs the URL without any of the password', async () => {
    const password = 'r3d!s@Secret';
    const admin = new Redis(redis.url);
    await admin.config('SET', 'requirepass', password);
    try {
      const router = await lab.start(PASSWORD);
      const url = `redis://:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;
      const raw = `redis://:${password}@127.0.0.1:${redis.port}`;
      for (const redisUrl of [url, raw]) {
        const controller = new AbortController();
        const running = cli(
          [
            'run',
            '--inventory',
            inventoryOf([entry('r1', router)]),
            '--out',
            join(dir, 'out'),
            '--interval',
            '1h',
            '--redis',
            redisUrl,
          ],
          { env, cwd: dir, signal: controller.signal },
        );
        setTimeout(() => controller.abort(), 1_500);
        const run = await running;
        expect(run.code).toBe(0);
        expect(run.stderr()).toContain(`Redis redis://***@127.0.0.1:${redis.port}`);
        // It did log in: the password reached Redis intact.
        expect(run.stderr()).not.toContain('unreachable');
        for (const piece of ['r3d!s', 'Secret', '%40']) expect(run.all()).not.toContain(piece);
      }
    } finally {
      await admin.config('SET', 'requirepass', '');
      admin.disconnect();
    }
  });
});
