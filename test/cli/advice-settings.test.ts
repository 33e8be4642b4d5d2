/**
 * The CLI's advice follows what is in force for the device: its transport (telnet: port 23, a
 * telnet server, no host keys or SSH algorithms) and its own `ssh:` settings, which win over the
 * command line's.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { adviceFor } from '../../src/cli/advice.js';
import { explainFailure } from '../../src/cli/advice.js';
import { adviceContext } from '../../src/cli/backup.js';
import type { PipelineArgs } from '../../src/cli/args.js';
import { parseInventory } from '../../src/cli/inventory.js';
import { cli, tempDir, USERNAME, writeInventory } from './helpers.js';

const file = '/etc/confsnap/inventory.yaml';
const args = (extra: Partial<PipelineArgs> = {}): PipelineArgs => ({
  inventory: file,
  out: '/srv/configs',
  git: false,
  gitPush: undefined,
  concurrency: 4,
  knownHosts: '/srv/configs/.confsnap-hostkeys.json',
  natsUrl: undefined,
  timeoutMs: undefined,
  legacySsh: false,
  maskSecrets: true,
  inventoryFormat: undefined,
  collectorFiles: [],
  ...extra,
});

/** The advice for device `id` of `devices` (YAML lines under `devices:`) after a failure of `kind`. */
function adviceOf(
  kind: Parameters<typeof adviceFor>[0],
  devices: string[],
  id: string,
  extra: Partial<PipelineArgs> = {},
): string {
  const inventory = parseInventory(
    ['defaults: { username: backup, password_env: P }', 'devices:', ...devices].join('\n'),
    { file },
  );
  return explainFailure(kind, undefined, adviceContext(args(extra), inventory, id, 'backup'))
    .advice;
}

let dir: string;
let cleanup: () => void;
const servers: Server[] = [];
const sockets: Socket[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
  cleanup();
});

describe('telnet devices get telnet advice', () => {
  it('connection refused: telnet at port 23 by default, no word of SSH', () => {
    const advice = adviceOf(
      'connection-refused',
      ['  - { id: sw1, host: 192.0.2.1, vendor: cisco-ios, transport: telnet }'],
      'sw1',
    );
    expect(advice).toContain('Nothing accepts telnet at 192.0.2.1:23');
    expect(advice).toContain('telnet server');
    expect(advice).not.toMatch(/SSH|:22/);
  });

  it('connect timeout: no key exchange, telnet from this host', () => {
    const advice = adviceOf(
      'connect-timeout',
      ['  - { id: sw1, host: 192.0.2.1, port: 2323, vendor: cisco-ios, transport: telnet }'],
      'sw1',
    );
    expect(advice).toContain('check that 192.0.2.1:2323 answers telnet from this host');
    expect(advice).not.toMatch(/SSH|key exchange/);
  });

  it('telnetlib missing (negotiation-failed on telnet): where to install it, not --legacy-ssh', () => {
    const advice = adviceOf(
      'negotiation-failed',
      ['  - { id: sw1, host: 192.0.2.1, vendor: cisco-ios, transport: telnet }'],
      'sw1',
    );
    expect(advice).toContain('npm install telnetlib in the project that has confsnap');
    expect(advice).toContain('npm install -g telnetlib for a global confsnap');
    expect(advice).not.toMatch(/legacy|algorithm/);
  });

  it('confsnap backup: a refused telnet device is told as telnet with its port', async () => {
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'P', transport: 'telnet' },
      devices: [{ id: 'sw1', host: '127.0.0.1', port: 1, vendor: 'cisco-ios' }],
    });
    const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
      env: { P: 'pw-refused-3a1c' },
      cwd: dir,
    });
    expect(run.code).toBe(1);
    expect(run.stdout()).toContain('→ Nothing accepts telnet at 127.0.0.1:1');
    expect(run.stdout()).not.toContain('Nothing accepts SSH');
  });
});

describe("the advice uses the device's own ssh: settings", () => {
  it("connect timeout: the device's connect_timeout_ms, not --timeout-ms", () => {
    const advice = adviceOf(
      'connect-timeout',
      ['  - { id: r1, host: 192.0.2.1, vendor: routeros, ssh: { connect_timeout_ms: 700 } }'],
      'r1',
      { timeoutMs: 1000 },
    );
    expect(advice).toContain('within 700 ms');
    expect(advice).toContain("raise connect_timeout_ms in the device's ssh: settings");
    expect(advice).not.toContain('1000 ms');
  });

  it('command timeout without a setting of its own: --timeout-ms, or the per-device setting', () => {
    const advice = adviceOf(
      'command-timeout',
      ['  - { id: r1, host: 192.0.2.1, vendor: routeros }'],
      'r1',
      { timeoutMs: 1000 },
    );
    expect(advice).toContain('within 1000 ms');
    expect(advice).toContain("raise --timeout-ms (or command_timeout_ms in the device's ssh:");
  });

  it("time limit: the device's time_limit_ms, not the 300 s default", () => {
    const advice = adviceOf(
      'time-limit',
      ['  - { id: r1, host: 192.0.2.1, vendor: routeros, ssh: { time_limit_ms: 1200 } }'],
      'r1',
    );
    expect(advice).toContain('took longer than 1200 ms (time_limit_ms in its ssh: settings)');
    expect(advice).not.toContain('300 s');
  });

  it('algorithms: modern under --legacy-ssh is the cause, not the firmware', () => {
    const advice = adviceOf(
      'negotiation-failed',
      ['  - { id: r1, host: 192.0.2.1, vendor: routeros, ssh: { algorithms: modern } }'],
      'r1',
      { legacySsh: true },
    );
    expect(advice).toContain('ssh: { algorithms: modern }');
    expect(advice).toContain('set algorithms: legacy there');
    expect(advice).not.toContain('update its SSH server or firmware');
  });

  it('without --legacy-ssh: the per-device ssh: { algorithms: legacy } first', () => {
    const advice = adviceOf(
      'negotiation-failed',
      ['  - { id: r1, host: 192.0.2.1, vendor: routeros }'],
      'r1',
    );
    expect(advice).toMatch(
      /^Old firmware offers only older SSH algorithms: set ssh: \{ algorithms: legacy \} on this device/,
    );
  });

  it('algorithms: legacy of its own: nothing left to offer, update the firmware', () => {
    const advice = adviceOf(
      'negotiation-failed',
      ['  - { id: r1, host: 192.0.2.1, vendor: routeros, ssh: { algorithms: legacy } }'],
      'r1',
    );
    expect(advice).toContain('even with the legacy ones (ssh: { algorithms: legacy })');
  });

  it('confsnap backup: a device that never answers is told with its own connect_timeout_ms', async () => {
    // Accepts TCP and never sends an SSH banner.
    const silent = createServer((socket) => sockets.push(socket));
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'P' },
      devices: [
        { id: 'r1', host: '127.0.0.1', port, vendor: 'routeros', ssh: { connect_timeout_ms: 700 } },
      ],
    });
    const run = await cli(
      ['backup', '--inventory', inventory, '--out', join(dir, 'out'), '--timeout-ms', '5000'],
      { env: { P: 'pw-silent-77e0' }, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stdout()).toMatch(/r1\s+connect-timeout/);
    expect(run.stdout()).toContain('did not finish within 700 ms');
    expect(run.stdout()).not.toContain('5000 ms');
  });
});
