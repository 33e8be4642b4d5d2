/**
 * Without telnetlib, telnet devices cannot be backed up: the CLI says so before it contacts any
 * device, and the library's failure says that retrying will not help until it is installed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { collectConfig } from '../../src/index.js';
import { cli, tempDir, USERNAME, writeInventory } from './helpers.js';

// As if telnetlib were not installed.
vi.mock('telnetlib', () => {
  throw new Error("Cannot find package 'telnetlib'");
});
vi.mock('telnetlib/src/TelnetSocket/TelnetSocket.js', () => {
  throw new Error("Cannot find package 'telnetlib'");
});

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const env = { P: 'pw-preflight-90ad' };

function inventoryWithTelnet(): string {
  return writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'P' },
    devices: [
      { id: 'r1', host: '127.0.0.1', port: 1, vendor: 'routeros' },
      { id: 'sw1', host: '127.0.0.1', port: 1, vendor: 'cisco-ios', transport: 'telnet' },
    ],
  });
}

for (const command of ['backup', 'run'] as const) {
  it(`confsnap ${command}: exit 2 before contacting any device, no --out left, where to install telnetlib`, async () => {
    const out = join(dir, 'out');
    const run = await cli([command, '--inventory', inventoryWithTelnet(), '--out', out], {
      env,
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(
      'one device uses transport: telnet (sw1), which needs the telnetlib package, and it cannot be loaded.',
    );
    expect(run.stderr()).toContain('npm install telnetlib in the project that has confsnap');
    expect(run.stderr()).toContain('npm install -g telnetlib for a global confsnap');
    expect(run.stderr()).not.toContain('legacy');
    expect(existsSync(out)).toBe(false);
  });
}

it('an SSH-only inventory does not need telnetlib', async () => {
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'P' },
    devices: [{ id: 'r1', host: '127.0.0.1', port: 1, vendor: 'routeros' }],
  });
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    env,
    cwd: dir,
  });
  expect(run.code).toBe(1);
  expect(run.stdout()).toMatch(/r1\s+connection-refused/);
  expect(run.stderr()).not.toContain('telnetlib');
});

it('the library: a missing telnetlib says that every attempt fails the same way until it is installed', async () => {
  const failure = await collectConfig({
    device: { id: 'sw1', host: '127.0.0.1', port: 1, vendor: 'cisco-ios', transport: 'telnet' },
    credentials: { username: USERNAME, password: env.P },
  }).then(
    () => undefined,
    (error: unknown) => error as { kind?: string; message?: string; details?: unknown },
  );
  expect(failure?.kind).toBe('negotiation-failed');
  expect(failure?.details).toEqual({ reason: 'telnetlib-missing' });
  expect(failure?.message).toContain("sw1: transport: 'telnet' needs the telnetlib package");
  expect(failure?.message).toContain(
    'needs the telnetlib package: npm install telnetlib (next to confsnap); until it can be loaded every attempt fails the same way',
  );
});
