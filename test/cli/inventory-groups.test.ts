/** `groups:` in the inventory: defaults < group < device, for every per-device setting. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { tempDir, writeInventory } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function problemsOf(path: string): Promise<string> {
  try {
    await loadInventory(path, { cwd: dir });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

const FLEET = {
  jump_hosts: {
    bastion: { host: '192.0.2.100', username: 'jump', password_env: 'JUMP_PASSWORD' },
  },
  defaults: {
    username: 'backup',
    password_env: 'FLEET_PASSWORD',
    vendor: 'routeros',
    tenant: 'acme',
    ssh: { connect_timeout_ms: '5000', algorithms: 'modern' },
  },
  groups: {
    core: {
      vendor: 'cisco-ios',
      username: 'core-backup',
      private_key_file: 'core.key',
      enable_secret_env: 'CORE_ENABLE',
      via: 'bastion',
      ssh: { algorithms: 'legacy' },
      tenant: 'core-net',
    },
    access: { transport: 'telnet', vendor: 'cisco-ios', port: '23' },
  },
  devices: [
    { id: 'r1', host: '192.0.2.1' },
    { id: 'c1', host: '192.0.2.2', group: 'core' },
    {
      id: 'c2',
      host: '192.0.2.3',
      group: 'core',
      vendor: 'cisco-nxos',
      password_env: 'C2_PASSWORD',
      ssh: { command_timeout_ms: '9000' },
      tenant: 'own',
    },
    { id: 'a1', host: '192.0.2.4', group: 'access' },
  ],
};

describe('groups', () => {
  it('gives a device of no group the defaults only', async () => {
    const inventory = await loadInventory(writeInventory(dir, FLEET), { cwd: dir });
    const r1 = inventory.devices.find((device) => device.id === 'r1')!;
    expect(r1).toMatchObject({ vendor: 'routeros', tenantId: 'acme' });
    expect(r1.ssh).toEqual({ connectTimeoutMs: 5000, algorithms: 'modern' });
    expect(inventory.credentials.get('r1')).toEqual({
      username: 'backup',
      passwordEnv: 'FLEET_PASSWORD',
    });
  });

  it("puts the group's settings over the defaults", async () => {
    const inventory = await loadInventory(writeInventory(dir, FLEET), { cwd: dir });
    const c1 = inventory.devices.find((device) => device.id === 'c1')!;
    expect(c1).toMatchObject({ vendor: 'cisco-ios', tenantId: 'core-net' });
    expect(c1.via).toMatchObject([{ id: 'bastion', host: '192.0.2.100' }]);
    // Setting by setting: the group's algorithms, the defaults' connect timeout.
    expect(c1.ssh).toEqual({ connectTimeoutMs: 5000, algorithms: 'legacy' });
    // The group's key file replaces the defaults' password: secret sources go as a set.
    expect(inventory.credentials.get('c1')).toEqual({
      username: 'core-backup',
      privateKeyFile: `${dir}/core.key`,
      enableSecretEnv: 'CORE_ENABLE',
    });
  });

  it("puts the device's own settings over its group's", async () => {
    const inventory = await loadInventory(writeInventory(dir, FLEET), { cwd: dir });
    const c2 = inventory.devices.find((device) => device.id === 'c2')!;
    expect(c2).toMatchObject({ vendor: 'cisco-nxos', tenantId: 'own' });
    expect(c2.ssh).toEqual({
      connectTimeoutMs: 5000,
      algorithms: 'legacy',
      commandTimeoutMs: 9000,
    });
    expect(inventory.credentials.get('c2')).toEqual({
      username: 'core-backup',
      passwordEnv: 'C2_PASSWORD',
      enableSecretEnv: 'CORE_ENABLE',
    });
  });

  it('takes transport and port from the group', async () => {
    const inventory = await loadInventory(writeInventory(dir, FLEET), { cwd: dir });
    expect(inventory.devices.find((device) => device.id === 'a1')).toMatchObject({
      transport: 'telnet',
      port: 23,
      vendor: 'cisco-ios',
    });
  });

  it('names an undeclared group and the declared ones', async () => {
    const message = await problemsOf(
      writeInventory(dir, {
        ...FLEET,
        devices: [{ id: 'x1', host: '192.0.2.9', group: 'edge' }],
      }),
    );
    expect(message).toMatch(
      /devices\[0\] \(x1\): group: names group "edge", which groups: does not declare \(declared: core, access\)/,
    );
  });

  it("reports a bad setting of a group at the group, once, with the group's line", async () => {
    const path = writeInventory(
      dir,
      [
        'defaults:',
        '  username: backup',
        '  password_env: P',
        'groups:',
        '  core:',
        '    vendor: cisco-iso',
        '    ssh:',
        '      connect_timeout_ms: soon',
        'devices:',
        '  - { id: c1, host: 192.0.2.1, group: core }',
        '  - { id: c2, host: 192.0.2.2, group: core }',
        '',
      ].join('\n'),
    );
    const message = await problemsOf(path);
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^inventory\.yaml:6: groups\.core: vendor: unknown vendor "cisco-iso"/),
      expect.stringMatching(
        /^inventory\.yaml:8: groups\.core: ssh\.connect_timeout_ms: must be a whole number/,
      ),
    ]);
  });

  it('refuses id and host in a group, and a secret value, naming the group', async () => {
    const message = await problemsOf(
      writeInventory(dir, {
        ...FLEET,
        groups: { core: { host: '192.0.2.1', password: 'hunter2' } },
      }),
    );
    expect(message).toMatch(/groups\.core: host: cannot be set on a group/);
    expect(message).toMatch(/groups\.core: password: secrets do not belong in the inventory/);
    expect(message).not.toContain('hunter2');
  });
});
