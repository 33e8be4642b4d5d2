/** `confsnap backup` through a jump host declared in `jump_hosts:`; `hostkeys list` shows its pin. */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSsh2JumpHost, type Ssh2JumpHost } from '../harness/ssh2-jump-host.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-7f3a91c2e4b6d8';
const JUMP_PASSWORD = 'jump-secret';

let dir: string;
let cleanup: () => void;
let hop: Ssh2JumpHost;
const lab = new Lab();
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  hop = await startSsh2JumpHost({ username: 'jump', password: JUMP_PASSWORD });
});
afterEach(async () => {
  await lab.close();
  await hop.close();
  cleanup();
});

it('backs up devices behind a jump host with one login to it, and pins its key', async () => {
  const r1 = await lab.start(PASSWORD);
  const r2 = await lab.start(PASSWORD);
  const inventory = writeInventory(dir, {
    jump_hosts: {
      bastion1: {
        host: hop.host,
        port: hop.port,
        username: 'jump',
        password_env: 'JUMP_PASSWORD',
      },
    },
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD', via: 'bastion1' },
    devices: [entry('r1', r1), entry('r2', r2)],
  });
  const env = { ROUTER_PASSWORD: PASSWORD, JUMP_PASSWORD };
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    env,
    cwd: dir,
  });
  expect(run.code).toBe(0);
  expect(run.stdout()).toContain('Backed up 2 of 2 devices');
  expect(hop.logins).toBe(1);
  expect(hop.channels).toBe(2);

  const list = await cli(
    ['hostkeys', 'list', '--known-hosts', join(dir, 'out', '.confsnap-hostkeys.json'), '--json'],
    { env, cwd: dir },
  );
  expect(JSON.parse(list.stdout())).toMatchObject({
    bastion1: hop.hostKey.fingerprint,
    r1: r1.hostKeyFingerprint,
    r2: r2.hostKeyFingerprint,
  });
});

it('stops before contacting anything when the jump host secret is not set', async () => {
  const r1 = await lab.start(PASSWORD);
  const inventory = writeInventory(dir, {
    jump_hosts: {
      bastion1: { host: hop.host, port: hop.port, username: 'jump', password_env: 'JUMP_PASSWORD' },
    },
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
    devices: [entry('r1', r1, { via: 'bastion1' })],
  });
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    env: { ROUTER_PASSWORD: PASSWORD },
    cwd: dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr()).toMatch(/JUMP_PASSWORD/);
  expect(hop.credentialAttempts).toBe(0);
});

/** An inventory of `devices` behind `bastion1` at `port`. */
function behindBastion(port: number, devices: object[]): string {
  return writeInventory(dir, {
    jump_hosts: {
      bastion1: { host: '127.0.0.1', port, username: 'jump', password_env: 'JUMP_PASSWORD' },
    },
    defaults: {
      username: USERNAME,
      password_env: 'DEV_PW',
      enable_secret_env: 'FW_ENABLE',
      via: 'bastion1',
    },
    devices,
  });
}

/** The lines of the closing report from "… not backed up:" on. */
function failures(stdout: string): string {
  return stdout.slice(stdout.indexOf('not backed up:'));
}

it('a re-keyed jump host: one paragraph naming it, with the command that resets its pin only', async () => {
  const r1 = await lab.start(PASSWORD);
  const r2 = await lab.start(PASSWORD);
  const devices = [entry('r1', r1), entry('r2', r2)];
  const env = { DEV_PW: PASSWORD, JUMP_PASSWORD, FW_ENABLE: 'unused' };
  const out = join(dir, 'out');
  const first = await cli(
    ['backup', '--inventory', behindBastion(hop.port, devices), '--out', out],
    {
      env,
      cwd: dir,
    },
  );
  expect(first.code).toBe(0);
  await hop.close();
  hop = await startSsh2JumpHost({ username: 'jump', password: JUMP_PASSWORD });

  const run = await cli(['backup', '--inventory', behindBastion(hop.port, devices), '--out', out], {
    env,
    cwd: dir,
  });
  expect(run.code).toBe(1);
  expect(hop.credentialAttempts).toBe(0);
  const report = failures(run.stdout());
  const knownHosts = join(out, '.confsnap-hostkeys.json');
  expect(report).toContain(`→ If jump host bastion1 was replaced or re-keyed on purpose`);
  expect(report).toContain(`confsnap hostkeys reset bastion1 --known-hosts ${knownHosts}`);
  expect(report).not.toMatch(/hostkeys reset r[12]/);
  expect(report).toMatch(/^ {2}jump host bastion1 +host-key-mismatch +jump host bastion1 \(/m);
  expect(report).toContain('the 2 devices behind it: r1, r2');
  expect(report.match(/→/g)).toHaveLength(1);

  // The command the advice gives works: the devices' own pins stay.
  const reset = await cli(['hostkeys', 'reset', 'bastion1', '--known-hosts', knownHosts], {
    env,
    cwd: dir,
  });
  expect(reset.code).toBe(0);
  const again = await cli(
    ['backup', '--inventory', behindBastion(hop.port, devices), '--out', out],
    {
      env,
      cwd: dir,
    },
  );
  expect(again.code).toBe(0);
});

it("a jump host that refuses its login: advice about the jump host's own credentials, told once", async () => {
  const r1 = await lab.start(PASSWORD);
  const r2 = await lab.start(PASSWORD);
  const run = await cli(
    [
      'backup',
      '--inventory',
      behindBastion(hop.port, [entry('r1', r1), entry('r2', r2)]),
      '--out',
      join(dir, 'out'),
    ],
    { env: { DEV_PW: PASSWORD, JUMP_PASSWORD: 'wrong', FW_ENABLE: '' }, cwd: dir },
  );
  expect(run.code).toBe(1);
  const report = failures(run.stdout());
  expect(report).toContain(
    'jump host bastion1 (127.0.0.1:' +
      String(hop.port) +
      ') rejected the credentials of jump host bastion1 in the inventory\n',
  );
  expect(report).not.toContain("vendor 'jump-host'");
  expect(report).toContain(
    '→ Check username "jump" and the password in $JUMP_PASSWORD of jump host bastion1 (its entry in jump_hosts:)',
  );
  expect(report).not.toMatch(/DEV_PW|FW_ENABLE|"backup"/);
  expect(report).toContain('the 2 devices behind it: r1, r2');
  expect(report.match(/→/g)).toHaveLength(1);
});

it("a jump host's closed port: advice with the jump host's address, not the devices'", async () => {
  const r1 = await lab.start(PASSWORD);
  const closedPort = hop.port;
  await hop.close();
  const run = await cli(
    [
      'backup',
      '--inventory',
      behindBastion(closedPort, [entry('r1', r1)]),
      '--out',
      join(dir, 'out'),
    ],
    { env: { DEV_PW: PASSWORD, JUMP_PASSWORD, FW_ENABLE: '' }, cwd: dir },
  );
  hop = await startSsh2JumpHost();
  expect(run.code).toBe(1);
  const report = failures(run.stdout());
  expect(report).toContain(`→ Nothing accepts SSH at 127.0.0.1:${closedPort} (jump host bastion1)`);
  expect(report).not.toContain(`${r1.port}`);
  expect(report).not.toContain('on the device');
  expect(report).toContain('the device behind it: r1');
});
