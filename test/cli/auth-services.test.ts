/** Credentials in `--nats` and `--redis` URLs against servers that require them (test/harness). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NatsService, RedisService, servicesAvailable } from '../harness/services.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const available = servicesAvailable('nats-server', 'redis-server');
const PASSWORD = 'pw-auth-services-5e1';
const env = { ROUTER_PASSWORD: PASSWORD };
const NATS_USER = 'user';
const NATS_PASS = 'p@ss:w/rd';
const NATS_TOKEN = 't0ken@secret';
const REDIS_PASS = 'r3d!s@pw';

describe.skipIf(!available)('confsnap with servers that require credentials', () => {
  const nats = new NatsService({ auth: { user: NATS_USER, pass: NATS_PASS } });
  const tokenNats = new NatsService({ auth: { token: NATS_TOKEN } });
  const redis = new RedisService({ password: REDIS_PASS });
  let admin: NatsConnection;
  let tokenAdmin: NatsConnection;
  let dir: string;
  let cleanup: () => void;
  const lab = new Lab();

  beforeAll(async () => {
    await Promise.all([nats.start(), tokenNats.start(), redis.start()]);
    admin = await connect({ servers: nats.url, user: NATS_USER, pass: NATS_PASS });
    tokenAdmin = await connect({ servers: tokenNats.url, token: NATS_TOKEN });
    for (const connection of [admin, tokenAdmin]) {
      const manager = await connection.jetstreamManager();
      await manager.streams.add({ name: 'CONFIG_SNAPSHOTS', subjects: ['config.snapshot.>'] });
    }
  });
  afterAll(async () => {
    await admin?.close();
    await tokenAdmin?.close();
    await Promise.all([nats.dispose(), tokenNats.dispose(), redis.dispose()]);
  });
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(async () => {
    await lab.close();
    cleanup();
  });

  function inventoryOf(devices: object[]): string {
    return writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices,
    });
  }

  async function backupWithNats(natsUrl: string) {
    const router = await lab.start(PASSWORD);
    return cli(
      [
        'backup',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--nats',
        natsUrl,
      ],
      { env, cwd: dir },
    );
  }

  async function storedSnapshots(connection: NatsConnection): Promise<number> {
    const manager = await connection.jetstreamManager();
    return (await manager.streams.info('CONFIG_SNAPSHOTS')).state.messages;
  }

  it('backup --nats sends a percent-encoded user and password from the URL', async () => {
    const before = await storedSnapshots(admin);
    const run = await backupWithNats(
      `nats://${NATS_USER}:${encodeURIComponent(NATS_PASS)}@127.0.0.1:${nats.port}`,
    );
    expect(run.stderr()).not.toContain('Authorization Violation');
    expect(run.code).toBe(0);
    expect(await storedSnapshots(admin)).toBe(before + 1);
    for (const piece of ['p@ss', 'p%40ss', 'w/rd']) expect(run.all()).not.toContain(piece);
  });

  it('backup --nats sends a password written with a raw @', async () => {
    const raw = 'pl@in-pass';
    const plain = new NatsService({ auth: { user: 'u2', pass: raw } });
    await plain.start();
    try {
      const connection = await connect({ servers: plain.url, user: 'u2', pass: raw });
      const manager = await connection.jetstreamManager();
      await manager.streams.add({ name: 'CONFIG_SNAPSHOTS', subjects: ['config.snapshot.>'] });
      const run = await backupWithNats(`nats://u2:${raw}@127.0.0.1:${plain.port}`);
      expect(run.code).toBe(0);
      expect(await storedSnapshots(connection)).toBe(1);
      await connection.close();
    } finally {
      await plain.dispose();
    }
  });

  it('backup --nats sends a token from the URL', async () => {
    const before = await storedSnapshots(tokenAdmin);
    const run = await backupWithNats(
      `nats://${encodeURIComponent(NATS_TOKEN)}@127.0.0.1:${tokenNats.port}`,
    );
    expect(run.code).toBe(0);
    expect(await storedSnapshots(tokenAdmin)).toBe(before + 1);
    // The token, whole or its parts; the summary's own "Secrets masked" line is no leak.
    expect(run.all()).not.toContain('t0ken');
    expect(run.all()).not.toContain('@secret');
    expect(run.all()).not.toContain(encodeURIComponent(NATS_TOKEN));
  });

  it('backup --nats uses the credentials of one server of a comma list for every server', async () => {
    const before = await storedSnapshots(admin);
    const run = await backupWithNats(
      `nats://127.0.0.1:1,nats://${NATS_USER}:${encodeURIComponent(NATS_PASS)}@127.0.0.1:${nats.port}`,
    );
    expect(run.code).toBe(0);
    expect(await storedSnapshots(admin)).toBe(before + 1);
  });

  it('backup --nats refuses servers with different credentials before contacting anything', async () => {
    const router = await lab.start(PASSWORD);
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--nats',
        `nats://a:secret-one@127.0.0.1:${nats.port},nats://b:secret-two@127.0.0.1:${nats.port}`,
      ],
      { env, cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('carry different credentials');
    expect(run.all()).not.toMatch(/secret-one|secret-two/);
    expect(router.authAttempts).toBe(0);
  });

  it('run --redis with a wrong password exits 2 as a setup error instead of running without Redis', async () => {
    const router = await lab.start(PASSWORD);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 8_000);
    const run = await cli(
      [
        'run',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--interval',
        '1h',
        '--redis',
        `redis://:${encodeURIComponent('wrong@pw')}@127.0.0.1:${redis.port}`,
      ],
      { env, cwd: dir, signal: controller.signal },
    );
    clearTimeout(timer);
    expect(run.code).toBe(2);
    expect(run.stderr()).toMatch(/Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+ refused the login/);
    expect(run.stderr()).not.toContain('backing up without it');
    expect(run.all()).not.toContain('wrong');
    expect(router.authAttempts).toBe(0);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('run --redis without a password for a server that requires one exits 2', async () => {
    const router = await lab.start(PASSWORD);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 8_000);
    const run = await cli(
      [
        'run',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--interval',
        '1h',
        '--redis',
        redis.url,
      ],
      { env, cwd: dir, signal: controller.signal },
    );
    clearTimeout(timer);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('refused the login');
    expect(run.stderr()).toContain('NOAUTH');
  });
});
