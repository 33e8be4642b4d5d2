/** The built program, as npm installs it: dist/cli/main.js with its shebang. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const built = existsSync(main);
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

if (!built) {
  console.warn(
    'test/cli/dist.test.ts: dist/cli/main.js does not exist; run `npm run build` to test it',
  );
}

describe.skipIf(!built)('dist/cli/main.js', () => {
  it('starts with a node shebang', () => {
    expect(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the version', async () => {
    const { stdout } = await run(process.execPath, [main, '--version']);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it('prints the help of backup', async () => {
    const { stdout } = await run(process.execPath, [main, 'backup', '--help']);
    expect(stdout).toContain('Usage: confsnap backup --inventory FILE --out DIR');
  });

  it('exits 2 on bad usage', async () => {
    await expect(run(process.execPath, [main, 'frobnicate'])).rejects.toMatchObject({ code: 2 });
  });
});
