/**
 * The CLI's account of a failure: which part failed (the device, its enable step, a jump host on its
 * way) and advice about that part only, in the inventory's words, in `backup` and in `run`.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainFailure } from '../../src/cli/advice.js';
import { startSsh2JumpHost, type Ssh2JumpHost } from '../harness/ssh2-jump-host.js';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo, cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-advice-51c9';
const ENABLE = 'en-advice-7d20';
const JUMP_PASSWORD = 'jump-advice-0e4b';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
const hops: Ssh2JumpHost[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  await Promise.all(hops.splice(0).map((hop) => hop.close()));
  cleanup();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `confsnap run` until its log contains `text`, then stopped; the log. */
async function runUntil(argv: string[], env: Record<string, string>, text: string) {
  const controller = new AbortController();
  const captured = captureIo({ env, cwd: dir, signal: controller.signal });
  const running = runCli(['run', ...argv, '--interval', '1s'], captured.io);
  await until(() => captured.stderr().includes(text));
  controller.abort(new Error('SIGTERM'));
  await running;
  return captured.stderr();
}

it('a wrong enable secret: advice about the enable secret only, in the inventory’s words', async () => {
  const asa = await lab.start(PASSWORD, {
    vendor: 'cisco-asa',
    privilege: { enableSecret: ENABLE },
  });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'DEV_PW', enable_secret_env: 'FW_ENABLE' },
    devices: [entry('asa1', asa)],
  });
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    env: { DEV_PW: PASSWORD, FW_ENABLE: 'not-the-secret' },
    cwd: dir,
  });
  expect(run.code).toBe(1);
  const report = run.stdout();
  expect(report).toContain(
    'asa1: the device asked for the enable secret again after "enable": the enable secret in $FW_ENABLE is wrong',
  );
  expect(report).not.toContain('credentials.enableSecret');
  expect(report).not.toContain('not tried again');
  expect(report).toContain(
    "→ The login worked; check the enable secret in $FW_ENABLE against the device's enable password",
  );
  expect(report).not.toMatch(/DEV_PW|username "backup"/);
  expect(report).not.toContain('not-the-secret');
  // The progress line says it in the same words.
  expect(run.stderr()).toContain('the enable secret in $FW_ENABLE is wrong');
  expect(run.stderr()).not.toContain('credentials.enableSecret');
});

it('a refused login of a device with an enable secret: advice about the login only', async () => {
  const asa = await lab.start(PASSWORD, {
    vendor: 'cisco-asa',
    privilege: { enableSecret: ENABLE },
  });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'DEV_PW', enable_secret_env: 'FW_ENABLE' },
    devices: [entry('asa1', asa)],
  });
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    env: { DEV_PW: 'wrong', FW_ENABLE: ENABLE },
    cwd: dir,
  });
  expect(run.code).toBe(1);
  expect(run.stdout()).toContain(
    `→ Check username "${USERNAME}" and the password in $DEV_PW against the device's accounts.`,
  );
  expect(run.stdout()).not.toContain('FW_ENABLE');
});

it('confsnap run: a wrong enable secret is told in the inventory’s words too', async () => {
  const asa = await lab.start(PASSWORD, {
    vendor: 'cisco-asa',
    privilege: { enableSecret: ENABLE },
  });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'DEV_PW', enable_secret_env: 'FW_ENABLE' },
    devices: [entry('asa1', asa)],
  });
  const log = await runUntil(
    ['--inventory', inventory, '--out', join(dir, 'out')],
    { DEV_PW: PASSWORD, FW_ENABLE: 'not-the-secret' },
    '→',
  );
  expect(log).toContain(
    'the enable secret in $FW_ENABLE is wrong (the device is not tried again until the enable secret in $FW_ENABLE changes)',
  );
  expect(log).not.toContain('credentials.enableSecret');
  expect(log).toMatch(/→ The login worked; check the enable secret in \$FW_ENABLE/);
  expect(log).not.toContain('DEV_PW');
});

it("confsnap run: a re-keyed jump host's advice resets the jump host's pin, not the device's", async () => {
  const r1 = await lab.start(PASSWORD);
  const write = (hop: Ssh2JumpHost): string =>
    writeInventory(dir, {
      jump_hosts: {
        bastion1: {
          host: hop.host,
          port: hop.port,
          username: 'jump',
          password_env: 'JUMP_PASSWORD',
        },
      },
      defaults: { username: USERNAME, password_env: 'DEV_PW', via: 'bastion1' },
      devices: [entry('r1', r1)],
    });
  const env = { DEV_PW: PASSWORD, JUMP_PASSWORD };
  const out = join(dir, 'out');
  const first = await startSsh2JumpHost({ username: 'jump', password: JUMP_PASSWORD });
  hops.push(first);
  expect(
    (await cli(['backup', '--inventory', write(first), '--out', out], { env, cwd: dir })).code,
  ).toBe(0);
  const impostor = await startSsh2JumpHost({ username: 'jump', password: JUMP_PASSWORD });
  hops.push(impostor);

  const log = await runUntil(['--inventory', write(impostor), '--out', out], env, '→');
  const knownHosts = join(out, '.confsnap-hostkeys.json');
  expect(log).toContain(
    `→ If jump host bastion1 was replaced or re-keyed on purpose, forget its old key with: confsnap hostkeys reset bastion1 --known-hosts ${knownHosts}`,
  );
  expect(log).not.toContain('hostkeys reset r1');
  expect(impostor.credentialAttempts).toBe(0);
});

describe("which part failed, from the library's outcome (jumpHost, stage)", () => {
  const context = {
    deviceId: 'r1',
    host: '10.20.0.7',
    knownHostsFile: '/srv/configs/.confsnap-hostkeys.json',
    command: 'backup' as const,
    credentials: { username: USERNAME, passwordEnv: 'DEV_PW' },
    via: [
      { id: 'bastion1', host: '203.0.113.5', credentials: { username: 'jump', passwordEnv: 'J' } },
    ],
  };

  it('a device the jump host cannot reach, or that refuses it, is the device’s failure', () => {
    for (const [kind, message] of [
      [
        'unreachable',
        'r1: jump host bastion1 (203.0.113.5:22) cannot reach 10.20.0.7:22 (timeout); check …',
      ],
      [
        'connection-refused',
        'r1: 10.20.0.7:22 refused the connection from jump host bastion1 (203.0.113.5:22); …',
      ],
    ] as const) {
      // The library names the jump host in details, but not as the part that failed.
      const explained = explainFailure(kind, message, context, {});
      expect(explained.hop).toBeUndefined();
      expect(explained.advice).toContain('10.20.0.7:22');
    }
  });

  it('a jump host that refuses to forward is the jump host’s failure', () => {
    const explained = explainFailure(
      'unreachable',
      'r1: jump host bastion1 (203.0.113.5:22) refuses to forward to 10.20.0.7:22 (administratively prohibited); …',
      context,
      { jumpHost: 'bastion1' },
    );
    expect(explained.hop).toBe('bastion1');
    expect(explained.advice).toContain(
      'Allow TCP forwarding for the account of jump host bastion1',
    );
  });
});
