/** One table of model names (router.db and the HTTP source), and docs/cli.md shows that table. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closestModels, MODEL_VENDORS, vendorForModel } from '../../src/cli/models.js';
import { BUILT_IN_VENDORS } from '../../src/index.js';

describe('model names', () => {
  it('map only to built-in vendor ids', () => {
    for (const vendor of Object.values(MODEL_VENDORS)) {
      expect(BUILT_IN_VENDORS as readonly string[]).toContain(vendor);
    }
  });

  it('are read case-insensitively and suggest the closest known names', () => {
    expect(vendorForModel('IOSXE')).toBe('cisco-ios');
    expect(vendorForModel('edgeos')).toBe('vyos');
    expect(vendorForModel('apc-pdu')).toBeUndefined();
    expect(closestModels('junoss')[0]).toBe('junos');
  });

  it('are the table docs/cli.md shows, row for row', () => {
    const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const start = docs.indexOf('| model (Oxidized, NetBox slug)');
    expect(start).toBeGreaterThan(0);
    const rows = docs
      .slice(start)
      .split('\n')
      .slice(2)
      .filter((line, index, lines) => lines.slice(0, index + 1).every((l) => l.startsWith('|')));
    const documented: Record<string, string> = {};
    for (const row of rows) {
      const [models, vendor] = row
        .split('|')
        .slice(1, 3)
        .map((cell) => cell.trim());
      for (const model of models!.match(/`[^`]+`/g) ?? []) {
        documented[model.slice(1, -1)] = vendor!.slice(1, -1);
      }
    }
    expect(documented).toEqual({ ...MODEL_VENDORS });
  });
});
