/** The HTTP inventory source with `map.group` and the custom collectors of `collectors:` / `--collector`. */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInventoryWithSources } from '../../src/cli/http-inventory.js';
import { InventoryError } from '../../src/cli/inventory.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/index.js';
import { acmePersonality } from '../../examples/custom-collector/acme-os.personality.js';
import { cli, tempDir, USERNAME, writeInventory } from './helpers.js';

const LIBRARY = pathToFileURL(resolve('src/index.ts')).href;
const TOKEN = 'nbt_groups_0123456789';
const PASSWORD = 'acme-pw-h77p';

interface Record_ {
  name: string;
  address: string;
  platform: string;
  role?: string;
}

function netBoxDevice({ name, address, platform, role }: Record_, id: number): object {
  return {
    id,
    name,
    primary_ip: { id: 100 + id, family: 4, address },
    platform: { id: 10, name: platform.toUpperCase(), slug: platform },
    role: role === undefined ? null : { id: 3, name: role, slug: role },
    custom_fields: { site_code: `site-${id}` },
  };
}

/** One page of NetBox-shaped /api/dcim/devices/, answering only to the right token. */
async function startNetBox(
  records: () => readonly Record_[],
): Promise<{ base: string; server: Server }> {
  const server = createServer((request, response) => {
    const ok = request.headers.authorization === `Bearer ${TOKEN}`;
    response.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    response.end(
      ok
        ? JSON.stringify({
            count: records().length,
            next: null,
            results: records().map(netBoxDevice),
          })
        : '{"detail":"Invalid token"}',
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let dir: string;
let cleanup: () => void;
let server: Server | undefined;
let device: SimulatedDevice | undefined;
let records: Record_[] = [];
let base = '';
beforeEach(async () => {
  ({ dir, cleanup } = tempDir('confsnap-http-groups-'));
  ({ base, server } = await startNetBox(() => records));
});
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  await device?.close();
  device = undefined;
  cleanup();
});

/** An ACME collector whose `paging_command` option chooses the setup command. */
function acmeModule(name = 'acme.mjs'): void {
  writeFileSync(
    join(dir, name),
    [
      `import { defineCollector } from ${JSON.stringify(LIBRARY)};`,
      'export default defineCollector({',
      "  vendor: 'acme-os',",
      "  mode: 'shell',",
      '  promptPattern: /^[\\w.-]+> ?$/,',
      '  options: [',
      "    { name: 'paging_command', type: 'string', default: 'paging off', doc: 'The command that turns paging off.' },",
      '  ],',
      '  setupCommands: ({ options }) => [options.paging_command],',
      "  commands: ['show config'],",
      '  pagerPattern: /^-- more --\\s*$/,',
      "  exitCommand: 'logout',",
      "  isComplete: (text) => text.endsWith('\\n# end of config\\n'),",
      '});',
      '',
    ].join('\n'),
  );
}

function inventoryFile(extra: object = {}, source: object = {}): string {
  return writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'FLEET_PASSWORD' },
    groups: {
      core: { username: 'core-backup', enable_secret_env: 'CORE_ENABLE', port: 2222 },
      access: { password_env: 'ACCESS_PASSWORD', mask_secrets: 'false' },
    },
    source: {
      type: 'http',
      url: `${base}/api/dcim/devices/`,
      token_env: 'NETBOX_TOKEN',
      map: { name: 'name', ip: 'primary_ip.address', model: 'platform.slug', group: 'role.slug' },
      ...source,
    },
    ...extra,
  });
}

const env = { NETBOX_TOKEN: TOKEN };

describe('map.group', () => {
  it("applies the named group's settings over the defaults, and the defaults alone without one", async () => {
    records = [
      { name: 'core-1', address: '192.0.2.1/24', platform: 'iosxe', role: 'core' },
      { name: 'acc-1', address: '192.0.2.2/24', platform: 'routeros', role: 'access' },
      { name: 'loose-1', address: '192.0.2.3/24', platform: 'routeros' },
    ];
    const { inventory, skipped } = await loadInventoryWithSources(inventoryFile(), {
      cwd: dir,
      env,
    });
    expect(skipped).toEqual([]);
    const byId = new Map(inventory.devices.map((d) => [d.id, d]));
    expect(byId.get('core-1')).toMatchObject({ vendor: 'cisco-ios', port: 2222 });
    expect(byId.get('acc-1')).toMatchObject({ vendor: 'routeros', maskSecrets: false });
    expect(byId.get('loose-1')?.port).toBeUndefined();
    expect(inventory.credentials.get('core-1')).toMatchObject({
      username: 'core-backup',
      passwordEnv: 'FLEET_PASSWORD',
      enableSecretEnv: 'CORE_ENABLE',
    });
    expect(inventory.credentials.get('acc-1')).toMatchObject({
      username: USERNAME,
      passwordEnv: 'ACCESS_PASSWORD',
    });
    expect(inventory.credentials.get('loose-1')).toMatchObject({ passwordEnv: 'FLEET_PASSWORD' });
  });

  it('skips a record naming a group the file does not declare, naming the declared ones', async () => {
    records = [
      { name: 'core-1', address: '192.0.2.1/24', platform: 'iosxe', role: 'core' },
      { name: 'odd-1', address: '192.0.2.9/24', platform: 'iosxe', role: 'distribution' },
    ];
    const { inventory, skipped } = await loadInventoryWithSources(inventoryFile(), {
      cwd: dir,
      env,
    });
    expect(inventory.devices.map((d) => d.id)).toEqual(['core-1']);
    expect(skipped).toEqual([
      expect.stringMatching(
        /record 2 \(odd-1\): group: names group "distribution", which groups: does not declare \(declared: core, access\)/,
      ),
    ]);
  });

  it('maps vars.NAME of vars_map to a free-form var of the device', async () => {
    records = [{ name: 'core-1', address: '192.0.2.1/24', platform: 'iosxe', role: 'core' }];
    const { inventory } = await loadInventoryWithSources(
      inventoryFile({}, { vars_map: { 'vars.site': 'custom_fields.site_code' } }),
      { cwd: dir, env },
    );
    expect(inventory.devices[0]?.vars).toEqual({ site: 'site-0' });
  });
});

describe('custom collectors', () => {
  it("takes a record whose model is a custom collector's id from collectors:, and names it among the closest", async () => {
    acmeModule();
    records = [
      { name: 'edge-1', address: '192.0.2.5/24', platform: 'acme-os' },
      { name: 'edge-2', address: '192.0.2.6/24', platform: 'acme-oss' },
    ];
    const { inventory, skipped } = await loadInventoryWithSources(
      inventoryFile({ collectors: ['./acme.mjs'] }),
      { cwd: dir, env },
    );
    expect(inventory.devices.map((d) => [d.id, d.vendor])).toEqual([['edge-1', 'acme-os']]);
    expect(inventory.collectors.has('acme-os')).toBe(true);
    expect(skipped).toEqual([
      expect.stringMatching(/record 2 \(edge-2\) model "acme-oss" is not known; closest: acme-os/),
    ]);
  });

  it("checks a record's options against the collector of --collector", async () => {
    acmeModule('extra.mjs');
    records = [
      { name: 'edge-1', address: '192.0.2.5/24', platform: 'acme-os', role: 'edge' },
      { name: 'edge-2', address: '192.0.2.6/24', platform: 'acme-os', role: 'bad' },
      { name: 'r1', address: '192.0.2.7/24', platform: 'routeros' },
    ];
    const file = inventoryFile({
      groups: {
        edge: { options: { paging_command: 'terminal paging off' } },
        bad: { options: { paging: 'x' } },
      },
    });
    // Without the collector, acme-os is no known model.
    const without = await loadInventoryWithSources(file, { cwd: dir, env });
    expect(without.inventory.devices.map((d) => d.id)).toEqual(['r1']);
    expect(without.skipped[0]).toMatch(/model "acme-os" is not known/);
    // A mistake of a group is the file's, reported as a whole.
    const error = await loadInventoryWithSources(file, {
      cwd: dir,
      env,
      collectorFiles: [join(dir, 'extra.mjs')],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as Error).message).toMatch(
      /groups\.bad: options\.paging: no collector declares this option/,
    );
  });

  it('backs up a device of a custom collector listed by the API, with its group options', async () => {
    acmeModule();
    device = await startSimulatedDevice({
      vendor: acmePersonality,
      config: 'hostname edge1\n',
      credentials: { username: USERNAME, password: PASSWORD },
    });
    records = [{ name: 'edge1', address: `${device.host}/32`, platform: 'acme-os', role: 'edge' }];
    const file = inventoryFile({
      collectors: ['./acme.mjs'],
      groups: { edge: { options: { paging_command: 'terminal paging off' }, port: device.port } },
    });
    const run = await cli(['backup', '--inventory', file, '--out', join(dir, 'out')], {
      env: { ...env, FLEET_PASSWORD: PASSWORD },
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(run.stderr()).not.toMatch(/warning|skipped/);
    expect(run.stderr()).toMatch(/ok +edge1/);
    expect(device.commands).toContain('terminal paging off');
    expect(run.all()).not.toContain(TOKEN);
  }, 30_000);
});

describe('a source with no usable record', () => {
  it('is an error of the source that lists each record and why', async () => {
    records = [{ name: 'edge-1', address: '192.0.2.5/24', platform: 'acme-os' }];
    const error = await loadInventoryWithSources(inventoryFile(), { cwd: dir, env }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InventoryError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /inventory\.yaml: source\.url: http:\/\/127\.0\.0\.1:\d+\/api\/dcim\/devices\/ lists 1 record, none of which can be used:/,
    );
    expect(message).toMatch(/record 1 \(edge-1\) model "acme-os" is not known/);
    expect(message).not.toMatch(/devices: is empty/);
  });

  it('says so when the API lists no device at all', async () => {
    records = [];
    await expect(loadInventoryWithSources(inventoryFile(), { cwd: dir, env })).rejects.toThrow(
      /lists no devices, and the file has none of its own/,
    );
  });
});
