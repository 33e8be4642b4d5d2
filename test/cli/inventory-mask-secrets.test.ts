/** `mask_secrets:` in the inventory: defaults < group < device, over the CLI's default. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretsMaskedOf } from '../../src/cli/backup.js';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { formatReport, summarize } from '../../src/cli/summary.js';
import { tempDir, writeInventory } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const FLEET = {
  defaults: { username: 'backup', password_env: 'PW', vendor: 'routeros', mask_secrets: false },
  groups: { core: { mask_secrets: true }, lab: {} },
  devices: [
    { id: 'r1', host: '192.0.2.1' },
    { id: 'r2', host: '192.0.2.2', group: 'core' },
    { id: 'r3', host: '192.0.2.3', group: 'core', mask_secrets: false },
    { id: 'r4', host: '192.0.2.4', group: 'lab' },
  ],
};

describe('mask_secrets in the inventory', () => {
  it('sets Device.maskSecrets with defaults < group < device', async () => {
    const inventory = await loadInventory(writeInventory(dir, FLEET), { cwd: dir });
    expect(inventory.devices.map((device) => [device.id, device.maskSecrets])).toEqual([
      ['r1', false],
      ['r2', true],
      ['r3', false],
      ['r4', false],
    ]);
  });

  it('leaves Device.maskSecrets unset when no level sets it', async () => {
    const { mask_secrets: _unset, ...defaults } = FLEET.defaults;
    const inventory = await loadInventory(
      writeInventory(dir, { defaults, devices: [{ id: 'r1', host: '192.0.2.1' }] }),
      { cwd: dir },
    );
    expect(inventory.devices[0]).not.toHaveProperty('maskSecrets');
  });

  it('rejects a value that is not true or false, naming the field', async () => {
    const file = writeInventory(dir, {
      ...FLEET,
      devices: [{ id: 'r1', host: '192.0.2.1', mask_secrets: 'yes' }],
    });
    await expect(loadInventory(file, { cwd: dir })).rejects.toThrow(InventoryError);
    await expect(loadInventory(file, { cwd: dir })).rejects.toThrow(
      /devices\[0\] \(r1\): mask_secrets: must be true or false/,
    );
  });

  it('counts the masked devices for the summary, the CLI default for the rest', () => {
    const devices = [
      { id: 'a', host: 'h', vendor: 'routeros', maskSecrets: false },
      { id: 'b', host: 'h', vendor: 'routeros' },
    ];
    expect(secretsMaskedOf(devices, true)).toEqual({ masked: 1, total: 2 });
    expect(secretsMaskedOf(devices, false)).toBe(false);
    expect(secretsMaskedOf([devices[1]!], true)).toBe(true);
    expect(secretsMaskedOf([devices[0]!], true)).toEqual({ masked: 0, total: 1 });
    const report = formatReport(summarize([]), {
      out: 'out',
      elapsedMs: 1,
      explain: () => {
        throw new Error('no failures');
      },
      secretsMasked: { masked: 1, total: 2 },
    });
    expect(report).toContain('Secrets masked for 1 of 2 devices (mask_secrets in the inventory)');
  });
});
