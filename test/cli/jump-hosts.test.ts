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
