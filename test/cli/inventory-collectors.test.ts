/** Custom collectors in the CLI: `collectors:` in the inventory and `--collector FILE`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/index.js';
import { acmePersonality } from '../../examples/custom-collector/acme-os.personality.js';
import { cli, tempDir, USERNAME, writeInventory } from './helpers.js';

const LIBRARY = pathToFileURL(resolve('src/index.ts')).href;
const PASSWORD = 'acme-pw-5d1e';

let dir: string;
let cleanup: () => void;
let device: SimulatedDevice | undefined;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await device?.close();
  device = undefined;
  cleanup();
});

/** A collector module as a user writes it, importing defineCollector from the library. */
function acmeModule(name: string, vendor = 'acme-os'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      `import { defineCollector } from ${JSON.stringify(LIBRARY)};`,
      'export default defineCollector({',
      `  vendor: ${JSON.stringify(vendor)},`,
      "  displayName: 'ACME OS',",
      "  mode: 'shell',",
      '  promptPattern: /^[\\w.-]+> ?$/,',
      "  setupCommands: ['terminal paging off'],",
      "  commands: ['show config'],",
      '  pagerPattern: /^-- more --\\s*$/,',
      "  exitCommand: 'logout',",
      "  isComplete: (text) => text.endsWith('\\n# end of config\\n'),",
      '  normalization: { dropLines: [/^# generated at /] },',
      '});',
      '',
    ].join('\n'),
  );
  return path;
}

async function problemsOf(path: string, collectorFiles: string[] = []): Promise<string> {
  try {
    await loadInventory(path, { cwd: dir, collectorFiles });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

const ACME_DEVICE = { id: 'edge1', host: '127.0.0.1', vendor: 'acme-os' };
const DEFAULTS = { username: USERNAME, password_env: 'ACME_PASSWORD' };

describe('custom collectors', () => {
  it('loads collectors: relative to the inventory file and allows their vendor', async () => {
    acmeModule('acme.mjs');
    const inventory = await loadInventory(
      writeInventory(dir, {
        collectors: ['./acme.mjs'],
        defaults: DEFAULTS,
        devices: [ACME_DEVICE],
      }),
      { cwd: dir },
    );
    expect(inventory.devices.map((d) => d.vendor)).toEqual(['acme-os']);
    expect(inventory.collectors.get('acme-os')?.displayName).toBe('ACME OS');
    expect(inventory.collectors.has('cisco-ios')).toBe(true);
  });

  it('refuses the vendor of a collector that is not loaded', async () => {
    const message = await problemsOf(
      writeInventory(dir, { defaults: DEFAULTS, devices: [ACME_DEVICE] }),
    );
    expect(message).toMatch(/vendor: unknown vendor "acme-os"/);
  });

  it('names the file of a missing module, a module without a collector, and a repeated vendor', async () => {
    acmeModule('acme.mjs');
    acmeModule('acme-again.mjs');
    writeFileSync(join(dir, 'nothing.mjs'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'wrong.mjs'), 'export default { vendor: "acme-os" };\n');
    writeFileSync(join(dir, 'broken.mjs'), 'export default (;\n');
    const message = await problemsOf(
      writeInventory(dir, {
        collectors: ['./missing.mjs', './nothing.mjs', './wrong.mjs', './broken.mjs', './acme.mjs'],
        defaults: DEFAULTS,
        devices: [ACME_DEVICE],
      }),
      [join(dir, 'acme-again.mjs')],
    );
    const lines = message.split('\n');
    expect(lines).toEqual([
      'missing.mjs: collector module not found',
      'nothing.mjs: has no default export; export the collector: export default defineCollector({ … })',
      'wrong.mjs: its default export is not a collector; export the result of defineCollector({ … })',
      expect.stringMatching(/^broken\.mjs: collector module cannot be loaded: /),
      'acme-again.mjs: vendor "acme-os" is declared by acme.mjs already; give each collector its own vendor id',
    ]);
  });

  it('backs up a simulated device of the custom vendor with --collector FILE (relative to the working directory)', async () => {
    device = await startSimulatedDevice({
      vendor: acmePersonality,
      config: 'hostname edge1\ninterface port1\n',
      credentials: { username: USERNAME, password: PASSWORD },
    });
    acmeModule('acme.mjs');
    const inventory = writeInventory(dir, {
      defaults: DEFAULTS,
      devices: [{ ...ACME_DEVICE, host: device.host, port: device.port }],
    });
    const run = await cli(
      ['backup', '--inventory', inventory, '--out', join(dir, 'out'), '--collector', 'acme.mjs'],
      { env: { ACME_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(run.stderr()).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const config = readFileSync(join(dir, 'out', 'edge1.cfg'), 'utf8');
    expect(config).toContain('interface port1');
    expect(config).not.toContain('# generated at');
  });
});
