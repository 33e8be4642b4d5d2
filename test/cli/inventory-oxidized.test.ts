/** Oxidized's router.db as an inventory: delimiter, map, vars_map, model names, literal passwords. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { vendorOfModel } from '../../src/cli/inventory/oxidized.js';
import { closestNames } from '../../src/cli/models.js';
import { createCollectorRegistry } from '../../src/index.js';
import { cli, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function problemsOf(path: string): Promise<string> {
  try {
    await loadInventory(path, { cwd: dir });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

const VENDORS = createCollectorRegistry().vendors();

describe('model names', () => {
  it.each([
    ['ios', 'cisco-ios'],
    ['iosxe', 'cisco-ios'],
    ['IOS', 'cisco-ios'],
    ['nxos', 'cisco-nxos'],
    ['iosxr', 'cisco-iosxr'],
    ['asa', 'cisco-asa'],
    ['junos', 'junos'],
    ['eos', 'arista-eos'],
    ['vrp', 'huawei-vrp'],
    ['fortios', 'fortios'],
    ['vyatta', 'vyos'],
    ['vyos', 'vyos'],
    ['edgeos', 'vyos'],
    ['routeros', 'routeros'],
    ['linuxgeneric', 'linux'],
    ['cisco-ios', 'cisco-ios'],
  ])('maps the Oxidized model %s to the vendor %s', (model, vendor) => {
    expect(vendorOfModel(model, VENDORS)).toBe(vendor);
  });

  it('suggests the nearest names for a misspelt model', () => {
    expect(closestNames('junoss', [...VENDORS, 'junos'])[0]).toBe('junos');
    expect(closestNames('rooteros', VENDORS)).toContain('routeros');
  });
});

describe('a bare router.db', () => {
  it('reads name:model:username:password, the passwords into the credentials only', async () => {
    const path = write(
      'router.db',
      ['# core', 'r1.example.net:routeros:backup:s3cret-1', '', 'sw1:ios:netops:pa\\:ss', ''].join(
        '\n',
      ),
    );
    const inventory = await loadInventory(path, { cwd: dir });
    expect(inventory.devices).toEqual([
      { id: 'r1.example.net', host: 'r1.example.net', vendor: 'routeros' },
      { id: 'sw1', host: 'sw1', vendor: 'cisco-ios' },
    ]);
    expect(inventory.credentials.get('r1.example.net')).toEqual({
      username: 'backup',
      password: 's3cret-1',
    });
    // `\:` keeps the delimiter in the value, as Oxidized's escaping does.
    expect(inventory.credentials.get('sw1')?.password).toBe('pa:ss');
  });

  it('reads any file as a router.db with format: oxidized', async () => {
    const path = write('nodes.txt', 'r1:routeros:backup:pw\n');
    const inventory = await loadInventory(path, { cwd: dir, format: 'oxidized' });
    expect(inventory.devices.map((device) => device.id)).toEqual(['r1']);
  });

  it('skips a device of an unknown model with one line naming it and the closest ids, and keeps the rest', async () => {
    const path = write('router.db', 'r1:routeros:backup:pw\nsw9:junoss:backup:pw-9\n');
    const inventory = await loadInventory(path, { cwd: dir });
    expect(inventory.devices.map((device) => device.id)).toEqual(['r1']);
    expect(inventory.skippedDevices).toEqual([
      expect.stringMatching(
        /^router\.db:2: sw9: model "junoss" is not known \(closest: junos\b.*\); the device is skipped/,
      ),
    ]);
    expect(inventory.skippedDevices.join('\n')).not.toContain('pw-9');
  });

  it('names the router.db line of a device that has no credentials, never a password', async () => {
    const message = await problemsOf(write('router.db', 'r1:routeros:backup:pw\nr2:routeros\n'));
    expect(message).toMatch(/^router\.db:2: devices\[1\] \(r2\): username: is missing/m);
    expect(message).not.toContain('pw');
  });
});

describe('a YAML inventory over a router.db (format: oxidized)', () => {
  it('applies delimiter, map, vars_map and groups, defaults < group < node', async () => {
    write(
      'router.db',
      [
        'core1,192.0.2.1,ios,core,,,22022,en-1',
        'edge1,192.0.2.2,junos,edge,ops,edge-pw,,',
        'acc1,192.0.2.3,ios,access,,,,true',
      ].join('\n'),
    );
    const path = writeInventory(dir, {
      format: 'oxidized',
      source: {
        file: 'router.db',
        delimiter: ',',
        map: { name: '0', ip: '1', model: '2', group: '3', username: '4', password: '5' },
        vars_map: { ssh_port: '6', enable: '7' },
      },
      defaults: { username: 'backup', password_env: 'FLEET_PASSWORD' },
      groups: {
        core: { password_env: 'CORE_PASSWORD' },
        edge: { tenant: 'edge-net' },
        access: {},
      },
    });
    const inventory = await loadInventory(path, { cwd: dir });
    expect(inventory.devices).toEqual([
      { id: 'core1', host: '192.0.2.1', vendor: 'cisco-ios', port: 22022 },
      { id: 'edge1', host: '192.0.2.2', vendor: 'junos', tenantId: 'edge-net' },
      { id: 'acc1', host: '192.0.2.3', vendor: 'cisco-ios' },
    ]);
    expect(inventory.credentials.get('core1')).toEqual({
      username: 'backup',
      passwordEnv: 'CORE_PASSWORD',
      enableSecret: 'en-1',
    });
    // The node's own password: no password_env is inherited beside it.
    expect(inventory.credentials.get('edge1')).toEqual({ username: 'ops', password: 'edge-pw' });
    // enable=true: enable with no secret, as Oxidized.
    expect(inventory.credentials.get('acc1')).toEqual({
      username: 'backup',
      passwordEnv: 'FLEET_PASSWORD',
      enableSecret: '',
    });
  });

  it("takes a delimiter written as Oxidized's !ruby/regexp", async () => {
    write('router.db', 'r1|routeros||backup:pw\n');
    const path = write(
      'oxidized.yaml',
      [
        'format: oxidized',
        'source:',
        '  file: router.db',
        '  delimiter: !ruby/regexp /\\|\\|?/',
        '  map: { name: 0, model: 1, username: 2 }',
        'defaults: { password_env: P }',
        '',
      ].join('\n'),
    );
    const inventory = await loadInventory(path, { cwd: dir });
    expect(inventory.devices).toEqual([{ id: 'r1', host: 'r1', vendor: 'routeros' }]);
    expect(inventory.credentials.get('r1')?.username).toBe('backup:pw');
  });

  it('refuses gpg with a clear error', async () => {
    write('router.db', 'r1:routeros:backup:pw\n');
    const message = await problemsOf(
      writeInventory(dir, { format: 'oxidized', source: { file: 'router.db', gpg: 'true' } }),
    );
    expect(message).toMatch(/source\.gpg: gpg-encrypted router\.db files are not supported/);
  });

  it('refuses a vars_map var it does not know, naming the known ones', async () => {
    write('router.db', 'r1:routeros:backup:pw\n');
    const message = await problemsOf(
      writeInventory(dir, {
        format: 'oxidized',
        source: { file: 'router.db', vars_map: { ssh_kex: '4' } },
      }),
    );
    expect(message).toMatch(/source\.vars_map\.ssh_kex: is not supported; known: ssh_port/);
  });

  it('names the router.db line of a bad port', async () => {
    write('router.db', 'r1:routeros:backup:pw:22\nr2:routeros:backup:pw:twenty\n');
    const message = await problemsOf(
      writeInventory(dir, {
        format: 'oxidized',
        source: {
          file: 'router.db',
          map: { name: 0, model: 1, username: 2, password: 3 },
          vars_map: { ssh_port: 4 },
        },
      }),
    );
    expect(message).toMatch(/^router\.db:2: devices\[1\] \(r2\): port: must be a whole number/);
  });
});

describe('confsnap backup over a router.db', () => {
  it('backs up mixed models with per-node ports, enable secrets and group credentials, skipping an unknown model', async () => {
    const router = await lab.start('router-pw', { vendor: 'routeros' });
    const firewall = await lab.start('fw-pw', {
      vendor: 'cisco-asa',
      privilege: { enableSecret: 'en-4f1c9b' },
    });
    write(
      'router.db',
      [
        `rtr1:routeros:${router.host}:${router.port}::core`,
        `fw1:asa:${firewall.host}:${firewall.port}:en-4f1c9b:fw`,
        `odd1:zhone:${router.host}:${router.port}::core`,
      ].join(':\n') + ':\n',
    );
    const inventory = writeInventory(dir, {
      format: 'oxidized',
      source: {
        file: 'router.db',
        map: { name: 0, model: 1, ip: 2, group: 5 },
        vars_map: { ssh_port: 3, enable: 4 },
      },
      defaults: { username: USERNAME },
      groups: { core: { password_env: 'CORE_PW' }, fw: { password_env: 'FW_PW' } },
    });
    const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
      env: { CORE_PW: 'router-pw', FW_PW: 'fw-pw' },
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'rtr1.cfg'), 'utf8')).not.toBe('');
    expect(readFileSync(join(dir, 'out', 'fw1.cfg'), 'utf8')).toContain(': end');
    expect(firewall.commands[0]).toBe('enable');
    expect(run.stderr()).toMatch(/warning: router\.db:3: odd1: model "zhone" is not known/);
    expect(run.stdout() + run.stderr()).not.toContain('en-4f1c9b');
  });
});
