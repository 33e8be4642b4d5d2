/** A collector option's own `check`, run by defineCollector on the default and by the inventory on each value. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../src/cli/inventory.js';
import { defineCollector } from '../../src/index.js';
import { tempDir, USERNAME, writeInventory } from './helpers.js';

const LIBRARY = pathToFileURL(resolve('src/index.ts')).href;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** An ACME collector whose options check a range, a pattern, and one check that throws. */
function acmeModule(): void {
  writeFileSync(
    join(dir, 'acme.mjs'),
    [
      `import { defineCollector } from ${JSON.stringify(LIBRARY)};`,
      'export default defineCollector({',
      "  vendor: 'acme-os',",
      '  options: [',
      "    { name: 'retries', type: 'integer', default: 2, doc: 'How often to retry.',",
      "      check: (value) => (value >= 0 && value <= 5 ? undefined : 'must be from 0 to 5') },",
      "    { name: 'extra', type: 'strings', doc: 'More show commands.',",
      "      check: (value) => value.every((c) => c.startsWith('show ')) ? undefined : 'each command must start with \"show \"' },",
      "    { name: 'flaky', type: 'string', doc: 'A check with a bug.',",
      "      check: () => { throw new Error('boom\\nat line 2'); } },",
      '  ],',
      "  commands: ['show config'],",
      '});',
      '',
    ].join('\n'),
  );
}

const defaults = { username: USERNAME, password_env: 'ACME_PASSWORD', vendor: 'acme-os' };

async function problemsOf(content: string | object): Promise<string> {
  try {
    await loadInventory(writeInventory(dir, content), { cwd: dir });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

describe('defineCollector option checks', () => {
  it('refuses a check that is not a function, and a default its check refuses', () => {
    expect(() =>
      defineCollector({
        vendor: 'acme-os',
        commands: ['show config'],
        // @ts-expect-error: a check is a function
        options: [{ name: 'depth', type: 'integer', doc: 'Depth.', check: 'positive' }],
      }),
    ).toThrow('option depth: check must be a function');
    expect(() =>
      defineCollector({
        vendor: 'acme-os',
        commands: ['show config'],
        options: [
          {
            name: 'depth',
            type: 'integer',
            default: 0,
            doc: 'Depth.',
            check: (value) => (value === 0 ? 'must be at least 1' : undefined),
          },
        ],
      }),
    ).toThrow('option depth: the default fails its check: must be at least 1');
  });
});

describe('option checks in the inventory', () => {
  it('accepts values the checks pass', async () => {
    acmeModule();
    const inventory = await loadInventory(
      writeInventory(dir, {
        collectors: ['./acme.mjs'],
        defaults,
        devices: [
          { id: 'e1', host: '192.0.2.1', options: { retries: '5', extra: ['show users'] } },
        ],
      }),
      { cwd: dir },
    );
    expect(inventory.devices[0]?.options).toEqual({ retries: 5, extra: ['show users'] });
  });

  it("names the file, line, device and option with the check's message", async () => {
    acmeModule();
    const message = await problemsOf(
      [
        'collectors: [./acme.mjs]',
        'defaults: { username: backup, password_env: ACME_PASSWORD, vendor: acme-os }',
        'devices:',
        '  - id: e1',
        '    host: 192.0.2.1',
        '    options:',
        '      retries: 9',
        '',
      ].join('\n'),
    );
    expect(message).toBe(
      'inventory.yaml:7: devices[0] (e1): options.retries: must be from 0 to 5 (acme-os: How often to retry.)',
    );
  });

  it('reports a value of a group once, at the group, and a throwing check as failed', async () => {
    acmeModule();
    const message = await problemsOf({
      collectors: ['./acme.mjs'],
      defaults,
      groups: { edge: { options: { extra: ['reload'] } } },
      devices: [
        { id: 'e1', host: '192.0.2.1', group: 'edge' },
        { id: 'e2', host: '192.0.2.2', group: 'edge', options: { flaky: 'x' } },
      ],
    });
    const lines = message.split('\n');
    expect(lines.filter((line) => line.includes('options.extra'))).toEqual([
      expect.stringMatching(
        /inventory\.yaml:\d+: groups\.edge: options\.extra: each command must start with "show " \(acme-os: More show commands\.\)$/,
      ),
    ]);
    expect(message).toMatch(
      /devices\[1\] \(e2\): options\.flaky: its check failed \(boom at line 2\)/,
    );
  });
});
