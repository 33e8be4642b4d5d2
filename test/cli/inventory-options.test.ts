/** Collector-declared options: declared with type, default and doc; set at each inventory level. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { defineCollector } from '../../src/index.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/index.js';
import { acmePersonality } from '../../examples/custom-collector/acme-os.personality.js';
import { cli, tempDir, USERNAME, writeInventory } from './helpers.js';

const LIBRARY = pathToFileURL(resolve('src/index.ts')).href;
const PASSWORD = 'acme-pw-77aa';

let dir: string;
let cleanup: () => void;
let device: SimulatedDevice | undefined;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await device?.close();
  device = undefined;
  cleanup();
});

/** An ACME collector whose `paging_command` option chooses the setup command. */
function acmeModule(): void {
  writeFileSync(
    join(dir, 'acme.mjs'),
    [
      `import { defineCollector } from ${JSON.stringify(LIBRARY)};`,
      'export default defineCollector({',
      "  vendor: 'acme-os',",
      "  mode: 'shell',",
      '  promptPattern: /^[\\w.-]+> ?$/,',
      '  options: [',
      "    { name: 'paging_command', type: 'string', default: 'paging off', doc: 'The command that turns paging off.' },",
      "    { name: 'retries', type: 'integer', doc: 'How often to retry.' },",
      "    { name: 'extra', type: 'strings', default: [], doc: 'More commands.' },",
      '  ],',
      '  setupCommands: ({ options }) => [options.paging_command],',
      "  commands: ({ options }) => ['show config', ...options.extra],",
      '  pagerPattern: /^-- more --\\s*$/,',
      "  exitCommand: 'logout',",
      "  isComplete: (text) => text.endsWith('\\n# end of config\\n'),",
      '});',
      '',
    ].join('\n'),
  );
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

describe('defineCollector options', () => {
  it('gives the functions the device options over the declared defaults', () => {
    const collector = defineCollector({
      vendor: 'acme-os',
      options: [
        { name: 'all', type: 'boolean', default: false, doc: 'Back up defaults too.' },
        { name: 'depth', type: 'integer', default: 2, doc: 'Depth.' },
      ],
      commands: ({ options }) => [
        `show config depth ${String(options?.depth)}${options?.all === true ? ' all' : ''}`,
      ],
    });
    const device = { id: 'a1', host: 'h', vendor: 'acme-os' };
    expect(collector.commands({ device })).toEqual({ commands: ['show config depth 2'] });
    expect(collector.commands({ device: { ...device, options: { all: true } } })).toEqual({
      commands: ['show config depth 2 all'],
    });
    expect(collector.options?.map((option) => option.name)).toEqual(['all', 'depth']);
  });

  it('refuses a default of the wrong type and an option without a doc', () => {
    expect(() =>
      defineCollector({
        vendor: 'acme-os',
        commands: ['show config'],
        options: [{ name: 'all', type: 'boolean', default: 'yes', doc: 'x' }],
      }),
    ).toThrow('option all: the default is not of type boolean');
    expect(() =>
      defineCollector({
        vendor: 'acme-os',
        commands: ['show config'],
        options: [{ name: 'all', type: 'boolean', doc: '' }],
      }),
    ).toThrow('option all: doc must say what the option does');
  });
});

describe('options: in the inventory', () => {
  const base = (extra: object) => ({
    collectors: ['./acme.mjs'],
    defaults: { username: USERNAME, password_env: 'ACME_PASSWORD', vendor: 'acme-os' },
    ...extra,
  });

  it('merges options defaults < group < device, converted to their types', async () => {
    acmeModule();
    const inventory = await loadInventory(
      writeInventory(
        dir,
        base({
          defaults: {
            username: USERNAME,
            password_env: 'ACME_PASSWORD',
            vendor: 'acme-os',
            options: { retries: '1', paging_command: 'terminal paging off' },
          },
          groups: { edge: { options: { retries: '3' } } },
          devices: [
            { id: 'e1', host: '192.0.2.1', group: 'edge', options: { extra: ['show users'] } },
            { id: 'e2', host: '192.0.2.2' },
            // A defaults option no collector of this vendor declares does not apply to it.
            { id: 'r1', host: '192.0.2.3', vendor: 'routeros' },
          ],
        }),
      ),
      { cwd: dir },
    );
    expect(inventory.devices.map((d) => d.options)).toEqual([
      { retries: 3, paging_command: 'terminal paging off', extra: ['show users'] },
      { retries: 1, paging_command: 'terminal paging off' },
      undefined,
    ]);
  });

  it('names an undeclared option with the declared ones, and a value of the wrong type, at its level', async () => {
    acmeModule();
    const message = await problemsOf(
      writeInventory(
        dir,
        base({
          groups: { edge: { options: { retries: 'often' } } },
          devices: [
            { id: 'e1', host: '192.0.2.1', group: 'edge', options: { pagingcommand: 'x' } },
            { id: 'r1', host: '192.0.2.3', vendor: 'routeros', options: { retries: '2' } },
          ],
        }),
      ),
    );
    expect(message).toMatch(
      /devices\[0\] \(e1\): options\.pagingcommand: is not an option of acme-os; its options: paging_command, retries, extra/,
    );
    expect(message).toMatch(
      /groups\.edge: options\.retries: must be a whole number \(How often to retry\.\)/,
    );
    expect(message).toMatch(
      /devices\[1\] \(r1\): options\.retries: is not an option of routeros; its options: hide_sensitive/,
    );
  });

  it('reaches the collector on a simulated device', async () => {
    acmeModule();
    device = await startSimulatedDevice({
      vendor: acmePersonality,
      config: 'hostname edge1\n',
      credentials: { username: USERNAME, password: PASSWORD },
    });
    const inventory = writeInventory(
      dir,
      base({
        groups: { edge: { options: { paging_command: 'terminal paging off' } } },
        devices: [{ id: 'edge1', host: device.host, port: device.port, group: 'edge' }],
      }),
    );
    const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
      env: { ACME_PASSWORD: PASSWORD },
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(device.commands).toContain('terminal paging off');
    expect(device.commands).not.toContain('paging off');
  });
});
