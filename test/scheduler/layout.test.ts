/** The scheduler's layout as the architecture promises it: small files, no vendor knowledge. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Code without comments, so a doc example naming a vendor does not count. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('scheduler layout', () => {
  it('keeps every file of src/scheduler/ at about 400 lines or fewer', () => {
    const long = files(join(src, 'scheduler'))
      .map((path) => ({ path, lines: readFileSync(path, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 440);
    expect(long).toEqual([]);
  });

  it('names no vendor in the scheduler or the generic collection', () => {
    const generic = [...files(join(src, 'scheduler')), join(src, 'ssh', 'collect.ts')];
    const naming = generic.filter((path) => /['"]routeros['"]/.test(code(path)));
    expect(naming).toEqual([]);
  });
});
