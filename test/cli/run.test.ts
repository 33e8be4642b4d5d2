/** `confsnap run`: the schedule as a daemon, stopped through its signal. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventorySource } from '../../src/cli/run.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-run-3b8e';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('confsnap run', () => {
  it('backs up on its schedule and stops cleanly when its signal aborts', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const out = join(dir, 'out');
    const controller = new AbortController();
    const running = cli(['run', '--inventory', inventory, '--out', out, '--interval', '1s'], {
      env: { ROUTER_PASSWORD: PASSWORD },
      cwd: dir,
      signal: controller.signal,
    });
    await until(() => existsSync(join(out, 'r1.cfg')));
    controller.abort(new Error('SIGTERM'));
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr()).toContain('confsnap run: 1 device from');
    expect(run.stderr()).toMatch(/ok {6}r1 {2}changed/);
    expect(run.stderr()).toMatch(/stopped\n$/);
    expect(router.openConnections).toBe(0);
  });

  it('stops at once when the signal aborts before any backup is due', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const controller = new AbortController();
    const running = cli(
      ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--interval', '1h'],
      {
        env: { ROUTER_PASSWORD: PASSWORD },
        cwd: dir,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const run = await running;
    expect(run.code).toBe(0);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(run.stderr()).toContain('first backups within 1 min');
  });

  it('exits 2 for a bad inventory without starting', async () => {
    const inventory = writeInventory(dir, { devices: [{ id: 'r1', vendor: 'routeros' }] });
    const run = await cli(['run', '--inventory', inventory, '--out', join(dir, 'out')], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('devices[0] (r1): host: is missing');
  });
});

describe('the inventory of a running daemon', () => {
  const device = (id: string) => ({ id, host: '192.0.2.1', vendor: 'routeros' });
  const write = (path: string, ids: string[]) =>
    writeInventory(
      dir,
      { defaults: { username: 'u', password_env: 'P' }, devices: ids.map(device) },
      path,
    );

  it('is re-read when the file changes', async () => {
    const path = write('inventory.yaml', ['r1']);
    const source = new InventorySource(path, dir, () => {});
    await source.load();
    write('inventory.yaml', ['r1', 'r2', 'r3']);
    expect((await source.list()).map((d) => d.id)).toEqual(['r1', 'r2', 'r3']);
    expect((await source.get('r3'))?.host).toBe('192.0.2.1');
  });

  it('keeps the last good inventory when an edit breaks it, and says so once', async () => {
    const path = write('inventory.yaml', ['r1']);
    const lines: string[] = [];
    const source = new InventorySource(path, dir, (line) => lines.push(line));
    await source.load();
    writeFileSync(path, 'devices:\n  - id: r1\n    vendor: nokia\n');
    expect((await source.list()).map((d) => d.id)).toEqual(['r1']);
    expect((await source.list()).map((d) => d.id)).toEqual(['r1']);
    expect(lines.filter((line) => line.includes('cannot be used'))).toHaveLength(1);
    expect(lines.join('\n')).toContain('devices[0] (r1): host: is missing');
  });
});
