/** Free-form `vars:` (Oxidized's vars) at each inventory level, merged var by var for collectors. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { checkDeviceRecord } from '../../src/index.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/index.js';
import { acmePersonality } from '../../examples/custom-collector/acme-os.personality.js';
import { cli, tempDir, USERNAME, writeInventory } from './helpers.js';

const LIBRARY = pathToFileURL(resolve('src/index.ts')).href;
const PASSWORD = 'acme-pw-31vv';

let dir: string;
let cleanup: () => void;
let device: SimulatedDevice | undefined;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await device?.close();
  device = undefined;
  cleanup();
});

const base = {
  defaults: { username: USERNAME, password_env: 'R_PASSWORD', vendor: 'routeros' },
};

async function problemsOf(content: string | object): Promise<string> {
  try {
    await loadInventory(writeInventory(dir, content), { cwd: dir });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

describe('vars: in the inventory', () => {
  it('merges vars defaults < group < device, var by var, as Device.vars', async () => {
    const inventory = await loadInventory(
      writeInventory(dir, {
        defaults: { ...base.defaults, vars: { site: 'ams1', rack: '1', tier: 'access' } },
        groups: { core: { vars: { tier: 'core', rack: '7' } } },
        devices: [
          { id: 'c1', host: '192.0.2.1', group: 'core', vars: { rack: '9', owner: 'noc' } },
          { id: 'a1', host: '192.0.2.2' },
          { id: 'c2', host: '192.0.2.3', group: 'core' },
        ],
      }),
      { cwd: dir },
    );
    expect(inventory.devices.map((d) => d.vars)).toEqual([
      { site: 'ams1', rack: '9', tier: 'core', owner: 'noc' },
      { site: 'ams1', rack: '1', tier: 'access' },
      { site: 'ams1', rack: '7', tier: 'core' },
    ]);
  });

  it('keeps numbers and true/false of a JSON inventory as their text', async () => {
    const inventory = await loadInventory(
      writeInventory(
        dir,
        JSON.stringify({
          ...base,
          devices: [{ id: 'r1', host: '192.0.2.1', vars: { slot: 3, poe: true } }],
        }),
        'inventory.json',
      ),
      { cwd: dir },
    );
    expect(inventory.devices[0]!.vars).toEqual({ slot: '3', poe: 'true' });
  });

  it('names the line, the device and the var of a value that is not a single value', async () => {
    const message = await problemsOf(
      [
        'defaults:',
        '  username: backup',
        '  password_env: R_PASSWORD',
        '  vendor: routeros',
        'devices:',
        '  - id: r1',
        '    host: 192.0.2.1',
        '    vars:',
        '      site: [ams1, ams2]',
        '',
      ].join('\n'),
    );
    expect(message).toBe(
      'inventory.yaml:9: devices[0] (r1): vars.site: must be a single value (text, a number or true/false), got a list',
    );
  });

  it('names a var written without a value', async () => {
    const message = await problemsOf(
      'defaults: { username: backup, password_env: R_PASSWORD, vendor: routeros }\n' +
        'devices:\n  - id: r1\n    host: 192.0.2.1\n    vars:\n      site:\n',
    );
    expect(message).toBe(
      'inventory.yaml:6: devices[0] (r1): vars.site: is empty; give a value or remove the var',
    );
  });

  it('names the group or defaults level a bad var comes from', async () => {
    const message = await problemsOf({
      defaults: { ...base.defaults, vars: 'ams1' },
      groups: { core: { vars: { 'rack pos': '1' } } },
      devices: [{ id: 'c1', host: '192.0.2.1', group: 'core' }],
    });
    expect(message).toMatch(/defaults: vars: must be a mapping of names to values/);
    expect(message).toMatch(/groups\.core: vars\.rack pos: a var name is letters, digits/);
  });

  it("refuses a secret and Oxidized's setting vars with the confsnap field, never echoing the value", async () => {
    const message = await problemsOf({
      ...base,
      groups: { core: { vars: { enable: 'En4ble-s3cret' } } },
      devices: [
        { id: 'c1', host: '192.0.2.1', group: 'core', vars: { snmp_community: 'c0mmun1ty' } },
        { id: 'c2', host: '192.0.2.2', vars: { ssh_port: '2222', api_token: 'T0ken-x' } },
      ],
    });
    expect(message).toMatch(/groups\.core: vars\.enable: .*enable_secret_env/);
    expect(message).toMatch(/devices\[1\] \(c2\): vars\.ssh_port: .*port:/);
    expect(message).toMatch(/devices\[1\] \(c2\): vars\.api_token: looks like a secret/);
    expect(message).not.toMatch(/En4ble-s3cret|T0ken-x|2222/);
    // A community is not a login secret by name: it is kept as a var (and masked in configs).
    expect(message).not.toMatch(/snmp_community/);
  });
});

describe('Device.vars in the library', () => {
  it('must be an object of strings', () => {
    const record = { id: 'r1', host: 'h', vendor: 'routeros' };
    expect(checkDeviceRecord({ ...record, vars: { site: 'ams1' } })).toBeUndefined();
    expect(checkDeviceRecord({ ...record, vars: { slot: 3 } })).toEqual({
      field: 'vars',
      message: 'must be an object of strings by name',
    });
    expect(checkDeviceRecord({ ...record, vars: ['ams1'] })?.field).toBe('vars');
  });
});

it('reaches a custom collector as context.device.vars on a simulated device', async () => {
  writeFileSync(
    join(dir, 'acme.mjs'),
    [
      `import { defineCollector } from ${JSON.stringify(LIBRARY)};`,
      'export default defineCollector({',
      "  vendor: 'acme-os',",
      "  mode: 'shell',",
      '  promptPattern: /^[\\w.-]+> ?$/,',
      "  setupCommands: ({ device }) => [device.vars?.paging_command ?? 'paging off'],",
      "  commands: ['show config'],",
      '  pagerPattern: /^-- more --\\s*$/,',
      "  exitCommand: 'logout',",
      "  isComplete: (text) => text.endsWith('\\n# end of config\\n'),",
      '});',
      '',
    ].join('\n'),
  );
  device = await startSimulatedDevice({
    vendor: acmePersonality,
    config: 'hostname edge1\n',
    credentials: { username: USERNAME, password: PASSWORD },
  });
  const inventory = writeInventory(dir, {
    collectors: ['./acme.mjs'],
    defaults: { username: USERNAME, password_env: 'ACME_PASSWORD', vendor: 'acme-os' },
    groups: { edge: { vars: { paging_command: 'terminal paging off' } } },
    devices: [{ id: 'edge1', host: device.host, port: device.port, group: 'edge' }],
  });
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    env: { ACME_PASSWORD: PASSWORD },
    cwd: dir,
  });
  expect(run.code).toBe(0);
  expect(device.commands).toContain('terminal paging off');
  expect(device.commands).not.toContain('paging off');
});
