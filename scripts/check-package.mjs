// Packs the package once and runs publint (strict) and @arethetypeswrong/cli on that tarball, so
// both judge exactly what `npm publish` would upload. Needs a prior `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'confsnap-pack-'));
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
try {
  const out = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    {
      encoding: 'utf8',
    },
  );
  const [{ filename, files }] = JSON.parse(out);
  const tarball = join(dir, filename);
  console.log(`packed ${filename}: ${files.length} files`);
  run('npx', ['--no-install', 'publint', 'run', tarball, '--strict']);
  run('npx', ['--no-install', 'attw', tarball, '--exclude-entrypoints', 'confsnap/package.json']);
  console.log('package checks passed');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
