/** `confsnap backup` against simulated devices, in-process. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateHostKey } from '../../src/testing/index.js';
import { FileHostKeyStore } from '../../src/index.js';
import { sampleConfig } from '../fixtures/configs.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-7f3a91c2e4b6d8';
const env = { ROUTER_PASSWORD: PASSWORD };

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

function inventoryOf(devices: object[]): string {
  return writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD', tenant: 'acme' },
    devices,
  });
}

function backup(inventory: string, ...extra: string[]) {
  return cli(['backup', '--inventory', inventory, '--out', join(dir, 'out'), ...extra], {
    env,
    cwd: dir,
  });
}

interface JsonSummary {
  total: number;
  succeeded: number;
  failed: number;
  changed: number;
  unchanged: number;
  devices: {
    id: string;
    status: string;
    kind?: string;
    sha256?: string;
    changed?: boolean;
    durationMs: number;
  }[];
}

function gitLog(out: string): string[] {
  return execFileSync('git', ['-C', out, 'log', '--format=%s'], { encoding: 'utf8' })
    .trim()
    .split('\n');
}

describe('confsnap backup', () => {
  it('writes the latest config of each device to DIR/<id>.cfg and exits 0', async () => {
    const router = await lab.start(PASSWORD, { vendor: 'routeros' });
    const sw = await lab.start(PASSWORD, {
      vendor: 'cisco-ios',
      config: sampleConfig('cisco-ios', 'edge-sw-01'),
    });
    const inventory = inventoryOf([entry('r1', router), entry('sw1', sw)]);
    const run = await backup(inventory);
    expect(run.code).toBe(0);
    const out = join(dir, 'out');
    expect(readFileSync(join(out, 'r1.cfg'), 'utf8')).toContain('/system identity');
    expect(readFileSync(join(out, 'sw1.cfg'), 'utf8')).toMatch(
      /hostname edge-sw-01[\s\S]*\nend\n$/,
    );
    expect(run.stdout()).toContain('Backed up 2 of 2 devices');
    expect(run.stdout()).toContain('2 changed, 0 unchanged, 0 failed.');
  });

  it('prints one plain line per device when stderr is not a terminal', async () => {
    const router = await lab.start(PASSWORD);
    const run = await backup(inventoryOf([entry('r1', router)]));
    expect(run.stderr()).toMatch(/^\[1\/1\] ok {6}r1 {2}changed {4}sha256 [0-9a-f]{12} {2}\d/m);
  });

  it('prints one JSON summary with --json', async () => {
    const good = await lab.start(PASSWORD);
    const bad = await lab.start(PASSWORD, { faults: { commandError: true } });
    const run = await backup(inventoryOf([entry('r1', good), entry('r2', bad)]), '--json');
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout()) as JsonSummary;
    expect(Object.keys(summary)).toEqual([
      'total',
      'succeeded',
      'failed',
      'changed',
      'unchanged',
      'telnet',
      'devices',
    ]);
    expect(summary).toMatchObject({
      total: 2,
      succeeded: 1,
      failed: 1,
      changed: 1,
      unchanged: 0,
      telnet: 0,
    });
    const [r1, r2] = summary.devices;
    expect(r1).toEqual({
      id: 'r1',
      status: 'success',
      transport: 'ssh',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      changed: true,
      durationMs: expect.any(Number) as number,
    });
    expect(r2).toEqual({
      id: 'r2',
      status: 'failed',
      transport: 'ssh',
      kind: 'command-failed',
      durationMs: expect.any(Number) as number,
    });
  });

  it('counts a second run of unchanged devices as unchanged', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = inventoryOf([entry('r1', router)]);
    await backup(inventory, '--json');
    const second = JSON.parse((await backup(inventory, '--json')).stdout()) as JsonSummary;
    expect(second).toMatchObject({ succeeded: 1, changed: 0, unchanged: 1 });
  });

  it('exits 1 when a device fails, and the table says what happened and what to do', async () => {
    const good = await lab.start(PASSWORD);
    const locked = await lab.start('another-password');
    const run = await backup(inventoryOf([entry('r1', good), entry('r2', locked)]));
    expect(run.code).toBe(1);
    expect(run.stdout()).toContain('Backed up 1 of 2 devices');
    expect(run.stdout()).toContain('One device not backed up:');
    expect(run.stdout()).toMatch(
      /r2 {2}auth-failed {2}r2: 127\.0\.0\.1:\d+ rejected the credentials/,
    );
    expect(run.stdout()).toContain(
      `→ Check username "${USERNAME}" and the password in $ROUTER_PASSWORD against the device's accounts.`,
    );
  });

  it('stops before contacting any device when a password variable is not set, saying so once', async () => {
    const devices = [
      await lab.start(PASSWORD),
      await lab.start(PASSWORD),
      await lab.start(PASSWORD),
    ];
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventoryOf(devices.map((device, index) => entry(`r${index + 1}`, device))),
        '--out',
        join(dir, 'out'),
      ],
      { env: {}, cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr()).toBe(
      'confsnap: cannot read the secrets of the inventory: the environment variable ROUTER_PASSWORD ' +
        '(password_env) is not set; export it in the shell or service that runs confsnap ' +
        '(needed by 3 devices: r1, r2, r3)\n',
    );
    expect(run.stdout()).toBe('');
    expect(devices.map((device) => device.authAttempts)).toEqual([0, 0, 0]);
  });

  it('backs up an ASA whose account lands at > with the secret named by enable_secret_env', async () => {
    const firewall = await lab.start(PASSWORD, {
      vendor: 'cisco-asa',
      privilege: { enableSecret: 'en-4f1c9b' },
    });
    const inventory = inventoryOf([entry('fw1', firewall, { enable_secret_env: 'FW_ENABLE' })]);
    const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
      env: { ...env, FW_ENABLE: 'en-4f1c9b' },
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'fw1.cfg'), 'utf8')).toContain(': end');
    expect(firewall.commands[0]).toBe('enable');
    expect(run.stdout() + run.stderr()).not.toContain('en-4f1c9b');
  });

  it('stops before contacting any device when the enable secret variable is not set', async () => {
    const firewall = await lab.start(PASSWORD, {
      vendor: 'cisco-asa',
      privilege: { enableSecret: 'en-4f1c9b' },
    });
    const inventory = inventoryOf([entry('fw1', firewall, { enable_secret_env: 'FW_ENABLE' })]);
    const run = await backup(inventory);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(
      'the environment variable FW_ENABLE (enable_secret_env) is not set',
    );
    expect(firewall.authAttempts).toBe(0);
  });

  it('with --git commits only the devices whose config changed', async () => {
    const r1 = await lab.start(PASSWORD);
    const r2 = await lab.start(PASSWORD, { vendor: 'junos' });
    const inventory = inventoryOf([entry('r1', r1), entry('r2', r2)]);
    const out = join(dir, 'out');
    expect((await backup(inventory, '--git')).code).toBe(0);
    expect(gitLog(out)).toHaveLength(2);

    await backup(inventory, '--git');
    expect(gitLog(out)).toHaveLength(2);

    r2.setConfig('version 21.4R3;\nsystem {\n    host-name mx-02;\n}\n');
    const third = JSON.parse((await backup(inventory, '--git', '--json')).stdout()) as JsonSummary;
    expect(third).toMatchObject({ changed: 1, unchanged: 1 });
    const log = gitLog(out);
    expect(log).toHaveLength(3);
    expect(log[0]).toMatch(/^r2: junos config [0-9a-f]{12}$/);
  });

  it('pins host keys in DIR/.confsnap-hostkeys.json unless --known-hosts says otherwise', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = inventoryOf([entry('r1', router)]);
    await backup(inventory);
    const pins = JSON.parse(
      readFileSync(join(dir, 'out', '.confsnap-hostkeys.json'), 'utf8'),
    ) as Record<string, string>;
    expect(pins).toEqual({ r1: router.hostKeyFingerprint });

    const elsewhere = join(dir, 'pins', 'known.json');
    await backup(inventory, '--known-hosts', elsewhere);
    expect(await new FileHostKeyStore(elsewhere).get('r1')).toBe(router.hostKeyFingerprint);
  });

  it('refuses a changed host key and backs the device up again once its pin is reset', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = inventoryOf([entry('r1', router)]);
    const knownHosts = join(dir, 'known.json');
    await new FileHostKeyStore(knownHosts).set('r1', generateHostKey().fingerprint);

    const refused = await backup(inventory, '--known-hosts', knownHosts);
    expect(refused.code).toBe(1);
    expect(refused.stdout()).toContain('host-key-mismatch');
    expect(refused.stdout()).toContain(`confsnap hostkeys reset r1 --known-hosts ${knownHosts}`);
    expect(existsSync(join(dir, 'out', 'r1.cfg'))).toBe(false);

    const reset = await cli(['hostkeys', 'reset', 'r1', '--known-hosts', knownHosts]);
    expect(reset.code).toBe(0);
    const again = await backup(inventory, '--known-hosts', knownHosts);
    expect(again.code).toBe(0);
    expect(await new FileHostKeyStore(knownHosts).get('r1')).toBe(router.hostKeyFingerprint);
  });

  it('fails a stalled device at --timeout-ms with connect-timeout', async () => {
    const stalled = await lab.start(PASSWORD, { faults: { stallMidHandshake: true } });
    const started = performance.now();
    const run = await backup(inventoryOf([entry('r1', stalled)]), '--timeout-ms', '300', '--json');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(JSON.parse(run.stdout())).toMatchObject({
      devices: [{ id: 'r1', status: 'failed', kind: 'connect-timeout' }],
    });
  });

  it('never prints the password, whatever fails', async () => {
    const marker = 'SECRET-MARKER-5c1d9e';
    const devices = [
      await lab.start(marker),
      await lab.start('not-the-marker'),
      await lab.start(marker, { faults: { commandError: true } }),
      await lab.start(marker, { faults: { partialConfig: true } }),
      await lab.start(marker, { faults: { stallMidHandshake: true } }),
    ];
    const inventory = inventoryOf(devices.map((device, i) => entry(`r${i + 1}`, device)));
    for (const extra of [[], ['--json']]) {
      const run = await cli(
        [
          'backup',
          '--inventory',
          inventory,
          '--out',
          join(dir, 'out'),
          '--timeout-ms',
          '1000',
          ...extra,
        ],
        { env: { ROUTER_PASSWORD: marker }, cwd: dir },
      );
      expect(run.code).toBe(1);
      expect(run.all()).toContain('auth-failed');
      expect(run.all()).not.toContain(marker);
    }
    for (const file of readdirSync(join(dir, 'out'))) {
      expect(readFileSync(join(dir, 'out', file), 'utf8')).not.toContain(marker);
    }
  });

  it('cancels what is left when its signal aborts and exits 1', async () => {
    const stalled = await lab.start(PASSWORD, { faults: { stallMidHandshake: true } });
    const waiting = await lab.start(PASSWORD);
    const controller = new AbortController();
    const running = cli(
      [
        'backup',
        '--inventory',
        inventoryOf([entry('r1', stalled), entry('r2', waiting)]),
        '--out',
        join(dir, 'out'),
        '--concurrency',
        '1',
        '--json',
      ],
      { env, cwd: dir, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('SIGINT')), 300);
    const run = await running;
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout())).toMatchObject({
      succeeded: 0,
      devices: [
        { id: 'r1', status: 'failed', kind: 'cancelled' },
        { id: 'r2', status: 'skipped', kind: 'cancelled' },
      ],
    });
  });
});
