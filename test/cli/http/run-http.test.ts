/** `confsnap run --http`: the API served by the daemon, and the rules it starts by. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { parseExposition } from '../../prometheus/exposition.js';
import { captureIo, cli, entry, Lab, tempDir, USERNAME, writeInventory } from '../helpers.js';

const PASSWORD = 'pw-http-77c1';
const TOKEN = 'run-http-token-0b5e6a91c3';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const URL_LINE = /HTTP API and web UI on (http:\/\/\S+) \(([^)]*)\)/;

/** `confsnap run ARGS` in-process until `stop()`; its log is readable while it runs. */
async function startRun(argv: string[], env: Record<string, string>) {
  const controller = new AbortController();
  const captured = captureIo({ env, cwd: dir, signal: controller.signal });
  const done = runCli(['run', ...argv], captured.io);
  const line = await until(() => URL_LINE.exec(captured.stderr()) ?? undefined);
  return {
    base: line[1]!,
    access: line[2]!,
    log: () => captured.stderr(),
    async stop() {
      controller.abort();
      return done;
    },
  };
}

describe('confsnap run --http', () => {
  it('serves the devices of the inventory, backs one up on request and stops with the daemon', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      groups: { core: {} },
      devices: [entry('r1', router, { group: 'core' })],
    });
    const run = await startRun(
      ['--inventory', inventory, '--out', join(dir, 'out'), '--git', '--interval', '1h'].concat([
        '--http',
        '127.0.0.1:0',
      ]),
      { ROUTER_PASSWORD: PASSWORD },
    );
    const base = run.base;
    expect(run.access).toBe('no token: this machine only');
    const devices = (await (await fetch(new URL('/api/devices', base))).json()) as {
      devices: { id: string; group: string }[];
    };
    expect(devices.devices).toMatchObject([{ id: 'r1', group: 'core' }]);
    const backup = (await (
      await fetch(new URL('/api/devices/r1/backup', base), { method: 'POST' })
    ).json()) as { outcome: { status: string } };
    expect(backup.outcome.status).toBe('success');
    const versions = (await (await fetch(new URL('/api/devices/r1/versions', base))).json()) as {
      versions: unknown[];
    };
    expect(versions.versions).toHaveLength(1);
    const reload = await fetch(new URL('/api/reload', base), { method: 'POST' });
    expect(await reload.json()).toEqual({ ok: true, devices: 1 });
    expect((await fetch(new URL('/readyz', base))).status).toBe(200);
    const metrics = await fetch(new URL('/metrics', base));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const scraped = parseExposition(await metrics.text());
    expect(scraped.value('confsnap_backups_total', { status: 'success', kind: '' })).toBe(1);
    expect(scraped.value('confsnap_devices', { state: 'idle' })).toBe(1);
    expect(
      scraped.all('confsnap_device_last_success_timestamp_seconds').map((s) => s.labels.device),
    ).toEqual(['r1']);
    expect(scraped.all('process_cpu_user_seconds_total')).toHaveLength(1);

    writeInventory(dir, { devices: [{ id: 'r1', vendor: 'routeros' }] });
    const broken = await fetch(new URL('/api/reload', base), { method: 'POST' });
    expect(broken.status).toBe(422);
    const refused = (await broken.json()) as { ok: boolean; devices: number; problems: string[] };
    expect(refused).toMatchObject({ ok: false, devices: 1 });
    expect(refused.problems.join('\n')).toContain('host: is missing');

    expect(await run.stop()).toBe(0);
    expect(run.log()).toContain('POST /api/reload: re-reading the inventory');
    expect(run.log()).toMatch(/stopped\n$/);
    await expect(fetch(new URL('/healthz', base))).rejects.toThrow();
  });

  it('refuses to start on an address beyond loopback without a token, before any backup', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const run = await cli(
      ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--http', '0.0.0.0:0'],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(
      '--http 0.0.0.0 is reachable beyond this machine, and CONFSNAP_HTTP_TOKEN holds no token',
    );
    expect(router.openConnections).toBe(0);
  });

  it('refuses a --http-token-env whose variable is unset, and a malformed --http', async () => {
    const inventory = writeInventory(dir, {
      devices: [
        { id: 'r1', host: '127.0.0.1', vendor: 'routeros', username: 'u', password_env: 'P' },
      ],
    });
    const unset = await cli(
      [
        'run',
        '--inventory',
        inventory,
        '--out',
        join(dir, 'out'),
        '--http',
        '8080',
        '--http-token-env',
        'API_TOKEN',
      ],
      { env: { P: 'x' }, cwd: dir },
    );
    expect(unset.code).toBe(2);
    expect(unset.stderr()).toContain('the variable API_TOKEN is not set or empty');
    const bad = await cli(
      ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--http', 'example.com:80'],
      { cwd: dir },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr()).toContain('--http: "example.com" is not an IP address or localhost');
    const orphan = await cli(
      ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--http-token-env', 'X'],
      { cwd: dir },
    );
    expect(orphan.code).toBe(2);
    expect(orphan.stderr()).toContain('--http-token-env applies to --http ADDR only');
  });

  it('asks for the token from the named variable when one is set', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const run = await startRun(
      [
        '--inventory',
        inventory,
        '--out',
        join(dir, 'out'),
        '--interval',
        '1h',
        '--http',
        '127.0.0.1:0',
      ].concat(['--http-token-env', 'API_TOKEN']),
      { ROUTER_PASSWORD: PASSWORD, API_TOKEN: TOKEN },
    );
    const base = run.base;
    expect(run.access).toBe('token from API_TOKEN required');
    expect((await fetch(new URL('/api/devices', base))).status).toBe(401);
    const authorized = await fetch(new URL('/api/devices', base), {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(authorized.status).toBe(200);
    expect(await run.stop()).toBe(0);
    expect(run.log()).not.toContain(TOKEN);
  });
});
