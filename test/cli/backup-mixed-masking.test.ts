/**
 * `confsnap backup` of an inventory that masks one device's secrets and keeps the other's
 * (`mask_secrets: false` on a group), against simulated devices: what each saved file holds, and
 * the summary line that says so.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SECRET_VALUES } from '../fixtures/secret-values.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-mixed-51d0e7';
const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/vectors/${name}`, import.meta.url), 'utf8');
// What the devices hold: the fixtures without the lines the device itself prints around them.
const IOS_CONFIG = fixture('cisco-ios-secrets.raw').replace(
  /^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n/,
  '',
);
const ROUTEROS_CONFIG = fixture('routeros-secrets.raw').replace(/^# jan.*\n/, '');

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

it("masks the secrets of one device, keeps the other's, and says so in the summary", async () => {
  const core = await lab.start(PASSWORD, { vendor: 'cisco-ios', config: IOS_CONFIG });
  const labRouter = await lab.start(PASSWORD, { vendor: 'routeros', config: ROUTEROS_CONFIG });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
    groups: { core: { vendor: 'cisco-ios' }, lab: { vendor: 'routeros', mask_secrets: false } },
    devices: [
      { ...entry('core-sw1.example.net', core), group: 'core' },
      { ...entry('lab-r1', labRouter), group: 'lab' },
    ],
  });
  const out = join(dir, 'out');
  const run = await cli(['backup', '--inventory', inventory, '--out', out], {
    env: { ROUTER_PASSWORD: PASSWORD },
    cwd: dir,
  });
  expect(run.code).toBe(0);
  expect(run.stdout()).toContain('2 changed, 0 unchanged, 0 failed');
  expect(run.stdout()).toContain(
    'Secrets masked for 1 of 2 devices (mask_secrets in the inventory)',
  );

  const masked = readFileSync(join(out, 'core-sw1.example.net.cfg'), 'utf8');
  for (const secret of SECRET_VALUES['cisco-ios-secrets.raw']!) {
    expect(masked, secret).not.toContain(secret);
  }
  expect(masked).toMatch(/^enable secret 9 <secret hidden>$/m);
  expect(masked).toMatch(/^hostname edge-r1$/m);

  const kept = readFileSync(join(out, 'lab-r1.cfg'), 'utf8');
  expect(kept).toContain('password=Tr0ub4dor&3');
  expect(kept).not.toContain('<secret hidden>');
  // Unmasked, RouterOS is not asked to hide them either.
  expect(labRouter.commands.some((command) => command.includes('hide-sensitive'))).toBe(false);

  for (const file of ['core-sw1.example.net.cfg', 'lab-r1.cfg']) {
    expect(statSync(join(out, file)).mode & 0o777).toBe(0o600);
  }
  // Neither the password nor a kept secret reaches the terminal.
  expect(run.all()).not.toContain(PASSWORD);
  expect(run.all()).not.toContain('Tr0ub4dor');
});

it('masks a device that asks for it under --no-mask-secrets, and only that one', async () => {
  const first = await lab.start(PASSWORD, { vendor: 'routeros', config: ROUTEROS_CONFIG });
  const second = await lab.start(PASSWORD, { vendor: 'routeros', config: ROUTEROS_CONFIG });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD', vendor: 'routeros' },
    devices: [{ ...entry('r-masked', first), mask_secrets: true }, entry('r-kept', second)],
  });
  const out = join(dir, 'out');
  const run = await cli(['backup', '--inventory', inventory, '--out', out, '--no-mask-secrets'], {
    env: { ROUTER_PASSWORD: PASSWORD },
    cwd: dir,
  });
  expect(run.code).toBe(0);
  expect(run.stdout()).toContain(
    'Secrets masked for 1 of 2 devices (mask_secrets in the inventory)',
  );
  const masked = readFileSync(join(out, 'r-masked.cfg'), 'utf8');
  for (const secret of SECRET_VALUES['routeros-secrets.raw']!) {
    expect(masked, secret).not.toContain(secret);
  }
  expect(first.commands).toEqual(['/export hide-sensitive']);
  expect(readFileSync(join(out, 'r-kept.cfg'), 'utf8')).toContain('password=Tr0ub4dor&3');
});
