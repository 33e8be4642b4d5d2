/** `transport: telnet` in the CLI inventory, and what `confsnap backup` says about it. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInventory, InventoryError } from '../../src/cli/inventory.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-telnet-5e1d7a';
const env = { ROUTER_PASSWORD: PASSWORD };
const file = '/etc/confsnap/inventory.yaml';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

function problemsOf(text: string): string {
  try {
    parseInventory(text, { file });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

describe('transport in the inventory', () => {
  it('takes transport: telnet per device and from the defaults', () => {
    const inventory = parseInventory(
      [
        'defaults:',
        '  username: backup',
        '  password_env: ROUTER_PASSWORD',
        '  transport: telnet',
        'devices:',
        '  - { id: sw1, host: 192.0.2.1, vendor: cisco-ios }',
        '  - { id: sw2, host: 192.0.2.2, vendor: huawei-vrp, transport: ssh }',
      ].join('\n'),
      { file },
    );
    expect(inventory.devices.map((device) => device.transport)).toEqual(['telnet', 'ssh']);
  });

  it('refuses a transport other than ssh or telnet, and telnet for an exec vendor', () => {
    expect(
      problemsOf(
        [
          'defaults: { username: backup, password_env: P }',
          'devices:',
          '  - { id: sw1, host: 192.0.2.1, vendor: cisco-ios, transport: rlogin }',
        ].join('\n'),
      ),
    ).toMatch(/transport: must be ssh or telnet, got "rlogin"/);
    expect(
      problemsOf(
        [
          'defaults: { username: backup, password_env: P }',
          'devices:',
          '  - { id: r1, host: 192.0.2.1, vendor: routeros, transport: telnet }',
        ].join('\n'),
      ),
    ).toMatch(/transport: is "telnet", but vendor routeros runs its commands on SSH exec channels/);
  });
});

describe('confsnap backup of a telnet device', () => {
  it('backs it up, warns once that telnet sends the password in clear text, and says (telnet)', async () => {
    const sw = await lab.start(PASSWORD, { vendor: 'cisco-ios', transport: 'telnet' });
    const fw = await lab.start(PASSWORD, { vendor: 'cisco-asa', transport: 'telnet' });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD', transport: 'telnet' },
      devices: [entry('sw1', sw), entry('fw1', fw, { port: 1 })],
    });
    const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
      env,
      cwd: dir,
    });
    const warnings = run
      .stderr()
      .split('\n')
      .filter((line) => line.includes('clear text'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/2 devices use transport: telnet \(sw1, fw1\)/);
    expect(run.stdout()).toContain('Backed up 1 of 2 devices');
    expect(run.stdout()).toContain('1 failed, 2 over telnet (password in clear text).');
    expect(run.stdout()).toMatch(/fw1 \(telnet\)\s+connection-refused/);
    expect(run.stdout() + run.stderr()).not.toContain(PASSWORD);
  });

  it('--json: each device says its transport, and the summary counts the telnet ones', async () => {
    const sw = await lab.start(PASSWORD, { vendor: 'cisco-ios', transport: 'telnet' });
    const r1 = await lab.start(PASSWORD, { vendor: 'cisco-ios' });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('sw1', sw, { transport: 'telnet' }), entry('r1', r1)],
    });
    const run = await cli(
      ['backup', '--inventory', inventory, '--out', join(dir, 'out'), '--json'],
      { env, cwd: dir },
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout()) as {
      telnet: number;
      devices: { id: string; transport: string }[];
    };
    expect(summary.telnet).toBe(1);
    expect(summary.devices.map(({ id, transport }) => [id, transport])).toEqual([
      ['sw1', 'telnet'],
      ['r1', 'ssh'],
    ]);
  });
});
