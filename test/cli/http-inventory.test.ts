import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInventoryWithSources } from '../../src/cli/http-inventory.js';
import { InventoryError } from '../../src/cli/inventory.js';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { cli, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const TOKEN = 'nbt_0123456789abcdef';

interface NetBoxDevice {
  id: number;
  name: string | null;
  primary_ip: { id: number; family: number; address: string } | null;
  platform: { id: number; name: string; slug: string } | null;
  tenant?: { slug: string } | null;
  custom_fields: Record<string, unknown>;
}

function device(
  id: number,
  name: string | null,
  address: string | null,
  slug: string | null,
  custom: Record<string, unknown> = {},
): NetBoxDevice {
  return {
    id,
    name,
    primary_ip: address === null ? null : { id: 100 + id, family: 4, address },
    platform: slug === null ? null : { id: 10, name: slug.toUpperCase(), slug },
    tenant: { slug: 'acme' },
    custom_fields: { ssh_port: null, os_version: null, ...custom },
  };
}

const PAGE_1 = [
  device(1, 'core-r1.example.net', '192.0.2.1/24', 'routeros', { os_version: '7.16.2' }),
  device(2, 'edge-sw-01', '192.0.2.20/24', 'iosxe', { ssh_port: 2222 }),
  device(3, 'pdu-7', '192.0.2.70/24', 'apc-pdu'),
];
const PAGE_2 = [
  device(4, 'fw1', '192.0.2.30/32', 'fortios'),
  device(5, 'patch-panel', null, null),
  device(6, 'nxos-1', '2001:db8::6/64', 'nxos'),
];

/** A NetBox-shaped /api/dcim/devices/ of two pages, answering only to the right token. */
class FakeNetBox {
  server!: Server;
  requests: IncomingMessage[] = [];
  delayMs = 0;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push(request);
      const url = new URL(request.url ?? '/', this.base);
      if (request.headers.authorization !== `Token ${TOKEN}`) {
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end('{"detail":"Invalid token"}');
        return;
      }
      if (url.pathname !== '/api/dcim/devices/') {
        response.writeHead(404).end();
        return;
      }
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const body = {
        count: 6,
        next: offset === 0 ? `${this.base}/api/dcim/devices/?limit=3&offset=3` : null,
        previous: offset === 0 ? null : `${this.base}/api/dcim/devices/?limit=3`,
        results: offset === 0 ? PAGE_1 : PAGE_2,
      };
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      }, this.delayMs);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const MAP = { name: 'name', ip: 'primary_ip.address', model: 'platform.slug' };
const VARS_MAP = {
  port: 'custom_fields.ssh_port',
  version: 'custom_fields.os_version',
  tenant: 'tenant.slug',
};

describe('the HTTP inventory source', () => {
  let netbox: FakeNetBox;
  let dir: string;
  let cleanup: () => void;

  beforeEach(async () => {
    netbox = new FakeNetBox();
    await netbox.start();
    ({ dir, cleanup } = tempDir('confsnap-http-'));
  });
  afterEach(async () => {
    await netbox.stop();
    cleanup();
  });

  function inventoryFile(source: object = {}): string {
    return writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'ROUTER_PASSWORD' },
      source: {
        type: 'http',
        url: `${netbox.base}/api/dcim/devices/?limit=3`,
        token_env: 'NETBOX_TOKEN',
        token_scheme: 'Token',
        map: MAP,
        vars_map: VARS_MAP,
        ...source,
      },
    });
  }

  it('reads every page of a NetBox device list, mapping address, platform and custom fields', async () => {
    const file = inventoryFile();
    const { inventory } = await loadInventoryWithSources(file, {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    });
    expect(netbox.requests.map((r) => r.url)).toEqual([
      '/api/dcim/devices/?limit=3',
      '/api/dcim/devices/?limit=3&offset=3',
    ]);
    const byId = new Map(inventory.devices.map((d) => [d.id, d]));
    expect([...byId.keys()]).toEqual(['core-r1.example.net', 'edge-sw-01', 'fw1', 'nxos-1']);
    expect(byId.get('core-r1.example.net')).toMatchObject({
      host: '192.0.2.1',
      vendor: 'routeros',
      version: '7.16.2',
      tenantId: 'acme',
    });
    expect(byId.get('edge-sw-01')).toMatchObject({
      host: '192.0.2.20',
      port: 2222,
      vendor: 'cisco-ios',
    });
    expect(byId.get('nxos-1')).toMatchObject({ host: '2001:db8::6', vendor: 'cisco-nxos' });
    expect(inventory.credentials.get('fw1')).toMatchObject({
      username: 'backup',
      passwordEnv: 'ROUTER_PASSWORD',
    });
  });

  it('skips and names each bad record, and uses the others', async () => {
    const { inventory, skipped } = await loadInventoryWithSources(inventoryFile(), {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    });
    expect(inventory.devices).toHaveLength(4);
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/record 3 \(pdu-7\) model "apc-pdu" is not known/);
    expect(skipped[1]).toMatch(/record 5 \(patch-panel\) has no address at primary_ip\.address/);
    expect(skipped.join('\n')).not.toContain(TOKEN);
  });

  it('sends the token from token_env, and says when the API refuses it', async () => {
    const file = inventoryFile();
    const error = await loadInventoryWithSources(file, {
      cwd: dir,
      env: { NETBOX_TOKEN: 'wrong-token' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as Error).message).toMatch(
      /source\.url: .*refused with HTTP 403; check the token/,
    );
    expect((error as Error).message).not.toContain('wrong-token');
  });

  it('refuses to start when the token variable is not set', async () => {
    const error = await loadInventoryWithSources(inventoryFile(), { cwd: dir, env: {} }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/source\.token_env: \$NETBOX_TOKEN is not set/);
    expect(netbox.requests).toHaveLength(0);
  });

  it('gives up on a server slower than timeout_ms', async () => {
    netbox.delayMs = 2_000;
    const started = Date.now();
    const error = await loadInventoryWithSources(inventoryFile({ timeout_ms: 200 }), {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /no complete answer within 200 ms \(source\.timeout_ms\)/,
    );
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops at max_pages and at max_bytes', async () => {
    const pages = await loadInventoryWithSources(inventoryFile({ max_pages: 1 }), {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    }).catch((e: unknown) => e);
    expect((pages as Error).message).toMatch(/more than 1 pages; raise source\.max_pages/);
    const bytes = await loadInventoryWithSources(inventoryFile({ max_bytes: 100 }), {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    }).catch((e: unknown) => e);
    expect((bytes as Error).message).toMatch(/exceed 100 bytes \(source\.max_bytes\)/);
  });

  it('follows no next link to another site, so the token stays with the API it was meant for', async () => {
    const other = new FakeNetBox();
    await other.start();
    try {
      netbox.server.removeAllListeners('request');
      netbox.server.on('request', (request, response) => {
        netbox.requests.push(request);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ next: `${other.base}/api/dcim/devices/`, results: [] }));
      });
      const error = await loadInventoryWithSources(inventoryFile(), {
        cwd: dir,
        env: { NETBOX_TOKEN: TOKEN },
      }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/links to another site/);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('names each bad source field', async () => {
    const file = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P' },
      source: {
        type: 'http',
        url: 'http://netbox.example.net/api/dcim/devices/',
        token_env: 'NETBOX_TOKEN',
        map: { name: 'name', port: 'custom_fields.ssh_port' },
        headers: { Authorization: 'Token abc' },
        timeout_ms: 'soon',
      },
    });
    const error = await loadInventoryWithSources(file, { cwd: dir, env: {} }).catch(
      (e: unknown) => e,
    );
    const message = (error as Error).message;
    expect(message).toMatch(
      /source\.url: is http:\/\/: the token would cross the network in clear text/,
    );
    expect(message).toMatch(/source\.map\.port: unknown field.*put port in vars_map/);
    expect(message).toMatch(/source\.headers\.Authorization: is refused/);
    expect(message).not.toContain('Token abc');
  });

  it('fails the whole file, not each record, for a mistake in defaults', async () => {
    const file = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P', colour: 'blue' },
      source: {
        type: 'http',
        url: `${netbox.base}/api/dcim/devices/?limit=3`,
        token_env: 'NETBOX_TOKEN',
        token_scheme: 'Token',
        map: MAP,
      },
    });
    const error = await loadInventoryWithSources(file, {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as InventoryError).problems[0]).toMatchObject({
      position: 'defaults',
      field: 'colour',
    });
  });

  it('leaves an inventory without source: to the YAML loader', async () => {
    const file = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P' },
      devices: [{ id: 'r1', host: '192.0.2.1', vendor: 'routeros' }],
    });
    const { inventory, skipped } = await loadInventoryWithSources(file, { cwd: dir, env: {} });
    expect(inventory.devices.map((d) => d.id)).toEqual(['r1']);
    expect(skipped).toEqual([]);
  });

  it('backs up the devices NetBox lists, with confsnap backup, and warns about the skipped ones', async () => {
    const lab = new Lab();
    try {
      const sim = await lab.start('router-secret', { vendor: 'routeros' });
      // Only loopback addresses: the one device listed is the simulated one.
      netbox.server.removeAllListeners('request');
      netbox.server.on('request', (request, response) => {
        const ok = request.headers.authorization === `Token ${TOKEN}`;
        response.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            count: 2,
            next: null,
            results: [
              device(3, 'pdu-7', '127.0.0.1/8', 'apc-pdu'),
              device(7, 'sim-r1', `${sim.host}/32`, 'routeros', { ssh_port: sim.port }),
            ],
          }),
        );
      });
      const file = writeInventory(dir, {
        defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
        source: {
          type: 'http',
          url: `${netbox.base}/api/dcim/devices/?limit=3`,
          token_env: 'NETBOX_TOKEN',
          token_scheme: 'Token',
          map: MAP,
          vars_map: { port: 'custom_fields.ssh_port' },
        },
      });
      const out = join(dir, 'out');
      const run = await cli(['backup', '--inventory', file, '--out', out, '--timeout-ms', '500'], {
        env: { NETBOX_TOKEN: TOKEN, ROUTER_PASSWORD: 'router-secret' },
        cwd: dir,
      });
      expect(run.code).toBe(0);
      expect(run.stderr()).toMatch(
        /warning skipped .*record 1 \(pdu-7\) model "apc-pdu" is not known/,
      );
      expect(existsSync(join(out, 'sim-r1.cfg'))).toBe(true);
      expect(run.all()).not.toContain(TOKEN);
    } finally {
      await lab.close();
    }
  }, 30_000);

  describe('over https', () => {
    it('verifies the certificate: refused without its CA, trusted with ca_file', async () => {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const server = createHttpsServer(
        { key: readFileSync(key), cert: readFileSync(cert) },
        (request, response) => {
          const ok = request.headers.authorization === `Bearer ${TOKEN}`;
          response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ next: null, results: [device(1, 'r1', '127.0.0.1/8', 'routeros')] }),
          );
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/dcim/devices/`;
        const source = { type: 'http', url, token_env: 'NETBOX_TOKEN', map: MAP };
        const defaults = { username: 'backup', password_env: 'P' };
        const untrusted = await loadInventoryWithSources(
          writeInventory(dir, { defaults, source }),
          { cwd: dir, env: { NETBOX_TOKEN: TOKEN } },
        ).catch((e: unknown) => e);
        expect((untrusted as Error).message).toMatch(
          /TLS certificate is not trusted .*give its CA in source\.ca_file/,
        );
        const trusted = await loadInventoryWithSources(
          writeInventory(dir, { defaults, source: { ...source, ca_file: 'cert.pem' } }),
          { cwd: dir, env: { NETBOX_TOKEN: TOKEN } },
        );
        expect(trusted.inventory.devices.map((d) => d.id)).toEqual(['r1']);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  it('takes the NetBox example of docs/cli.md as written, but for its URL', async () => {
    const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const example = /```yaml\n(# netbox\.yaml\n[\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const file = writeInventory(
      dir,
      example!.replace(/url: \S+/, `url: ${netbox.base}/api/dcim/devices/?limit=3`),
      'netbox.yaml',
    );
    const { inventory, skipped } = await loadInventoryWithSources(file, {
      cwd: dir,
      env: { NETBOX_TOKEN: TOKEN },
    });
    expect(inventory.devices.map((d) => d.id)).toEqual([
      'core-r1.example.net',
      'edge-sw-01',
      'fw1',
      'nxos-1',
    ]);
    expect(skipped).toHaveLength(2);
  });
});
