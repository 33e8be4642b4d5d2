/**
 * The Oxidized conversion script of docs/migrating.md, run as written on a `router.db`: the
 * inventory it makes loads, with the right vendors and each password intact in its file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/cli/inventory.js';
import { tempDir } from './helpers.js';

const doc = readFileSync(
  fileURLToPath(new URL('../../docs/migrating.md', import.meta.url)),
  'utf8',
);

/** The shell block that converts router.db, without its last line (the backup itself). */
function conversionScript(): string {
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const script = blocks.find((block) => block.includes('router.db'));
  if (script === undefined) throw new Error('docs/migrating.md has no script reading router.db');
  return script
    .split('\n')
    .filter((line) => !line.startsWith('confsnap '))
    .join('\n');
}

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function convert(routerDb: string) {
  writeFileSync(join(dir, 'router.db'), routerDb);
  execFileSync('sh', ['-c', conversionScript()], { cwd: dir });
  return loadInventory(join(dir, 'devices.yaml'), { cwd: dir });
}

describe("docs/migrating.md's Oxidized conversion", () => {
  it('maps every model of its table, linuxgeneric to linux', async () => {
    const inventory = await convert(
      [
        '# a comment',
        'r1.example.net:routeros:backup:pw1',
        'sw1:ios:backup:pw2',
        'srv1:linuxgeneric:root:pw3',
        'fw1:vyatta:vyos:pw4',
        '',
      ].join('\n'),
    );
    expect(inventory.devices.map((device) => [device.id, device.vendor])).toEqual([
      ['r1.example.net', 'routeros'],
      ['sw1', 'cisco-ios'],
      ['srv1', 'linux'],
      ['fw1', 'vyos'],
    ]);
  });

  it('keeps a password with colons whole, written plain or escaped as \\:', async () => {
    const inventory = await convert('r1:routeros:backup:pa:ss\nr2:routeros:backup:pa\\:ss\\:2\n');
    expect(inventory.devices).toHaveLength(2);
    expect(readFileSync(join(dir, 'secrets', 'r1'), 'utf8')).toBe('pa:ss');
    expect(readFileSync(join(dir, 'secrets', 'r2'), 'utf8')).toBe('pa:ss:2');
    expect(statSync(join(dir, 'secrets', 'r1')).mode & 0o777).toBe(0o600);
    expect(inventory.credentials.get('r1')).toMatchObject({ username: 'backup' });
  });

  it('says plainly that the CLI backs up a fixed list of files of a linux host', () => {
    expect(doc).not.toMatch(/name the files with `linuxCollector/);
    expect(doc).toContain('/etc/os-release');
  });
});
