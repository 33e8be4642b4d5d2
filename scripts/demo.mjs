// `npm run demo`: builds confsnap, then runs `confsnap demo` (arguments are passed on). The build
// says one line while it runs and shows its own output only when it fails, so the first thing the
// demo prints is the demo.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsupManifest = createRequire(join(root, 'package.json'))('tsup/package.json');
const tsup = join(root, 'node_modules', 'tsup', tsupManifest.bin.tsup);

/** Runs `node args…` in the checkout; resolves with its exit code (128 + n for signal n). */
function runNode(args, stdio) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const signals = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
      resolvePromise({ code: code ?? 128 + (signals[signal] ?? 1), output });
    });
  });
}

// Ctrl-C reaches the build or the demo too; this process only reports how they ended.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const began = performance.now();
process.stdout.write('Building confsnap… ');
const build = await runNode([tsup], ['ignore', 'pipe', 'pipe']);
if (build.code !== 0) {
  process.stdout.write('failed:\n');
  process.stderr.write(build.output);
  process.exit(build.code);
}
process.stdout.write(`done in ${((performance.now() - began) / 1_000).toFixed(1)} s.\n\n`);
const demo = await runNode(
  [join(root, 'dist', 'cli', 'main.js'), 'demo', ...process.argv.slice(2)],
  'inherit',
);
process.exit(demo.code);
