// Packs the package once and judges exactly what `npm publish` would upload:
// 1. its hygiene: a LICENSE, the repository/homepage/bugs links the registry page needs, and no
//    source map naming a source the package does not hold;
// 2. publint (strict) and @arethetypeswrong/cli on the tarball;
// 3. a consumer type-check: a temporary project holding only the tarball's contents, its runtime
//    dependencies and what every TypeScript project on Node has (typescript, @types/node), where
//    `tsc --strict` (no skipLibCheck) must accept a file importing every entry point under the
//    nodenext, bundler and node10 resolutions. This catches published types that lean on a
//    devDependency (TS7016 "could not find a declaration file"), which publint and attw do not;
// 4. its exports: each entry point's run-time names (ESM and CJS) and declared names (.d.ts,
//    .d.cts) must be those api/exports.txt lists (scripts/exports.mjs), so the public API changes
//    only on purpose. With `--update-exports` the file is rewritten from the tarball instead.
// The consumer's node_modules are copied from ours (the tarball's dependency closure only), so the
// check needs no registry and runs offline. Needs a prior `npm run build`.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORTS_FILE, checkExports, exportsMismatchMessage } from './exports.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'confsnap-pack-'));
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...options });
const updateExports = process.argv.includes('--update-exports');

/** What the consumer project imports: every entry point, with a value and a type from each. */
const CONSUMER_SOURCE = `import {
  LEGACY_ALGORITHMS,
  collectConfig,
  type AlgorithmsOption,
  type CollectOptions,
  type Device,
} from 'confsnap';
import { NatsSnapshotPublisher, type NatsSnapshotPublisherOptions } from 'confsnap/nats';
import { RedisLocker, type RedisLockerOptions } from 'confsnap/redis';
import { FakeClock, startSimulatedDevice, type SimulatedDeviceOptions } from 'confsnap/testing';
import { registerSchedulerMetrics, type SchedulerMetricsOptions } from 'confsnap/prometheus';
import { createNotifier, type NotifierOptions } from 'confsnap/hooks';

const algorithms: AlgorithmsOption = LEGACY_ALGORITHMS;
const device: Device = { id: 'core-sw1', host: '127.0.0.1', vendor: 'cisco-ios' };
const simulated: SimulatedDeviceOptions = { vendor: 'cisco-ios', config: 'hostname core-sw1\\nend\\n' };
type Options = [
  CollectOptions,
  NatsSnapshotPublisherOptions,
  RedisLockerOptions,
  SchedulerMetricsOptions,
  NotifierOptions,
];

export const used: unknown[] = [
  algorithms,
  device,
  simulated,
  collectConfig,
  NatsSnapshotPublisher,
  RedisLocker,
  startSimulatedDevice,
  new FakeClock(),
  registerSchedulerMetrics,
  createNotifier,
  undefined as unknown as Options,
];
`;

/** The resolutions a consumer may use: [name, module, moduleResolution]. */
const RESOLUTIONS = [
  ['nodenext', 'nodenext', 'nodenext'],
  ['bundler', 'esnext', 'bundler'],
  ['node10', 'commonjs', 'node10'],
];

/** Problems of what the tarball holds (`files`: its paths) and of its manifest. */
function hygieneProblems(files, manifest, installed) {
  const problems = [];
  const held = new Set(files);
  if (!files.some((path) => /^LICEN[CS]E(\.|$)/i.test(path))) problems.push('no LICENSE file');
  if (!manifest.repository?.url) problems.push('no repository.url in package.json');
  if (!manifest.homepage) problems.push('no homepage in package.json');
  if (!manifest.bugs?.url) problems.push('no bugs.url in package.json');
  const badMaps = files.filter((path) => {
    if (!path.endsWith('.map')) return false;
    const map = JSON.parse(readFileSync(join(installed, path), 'utf8'));
    return (map.sources ?? []).some((source) => !held.has(join(dirname(path), source)));
  });
  // Declarations tagged @internal are stripped from the published types (stripInternal): one that
  // is left means an internal helper reached the package's public surface.
  const leaks = files.filter(
    (path) =>
      /\.d\.c?ts$/.test(path) && readFileSync(join(installed, path), 'utf8').includes('@internal'),
  );
  if (leaks.length > 0) {
    problems.push(
      `${leaks.length} declaration files keep @internal declarations (${leaks[0]}, …): set stripInternal`,
    );
  }
  if (badMaps.length > 0) {
    problems.push(
      `${badMaps.length} source maps name sources the package does not hold (${badMaps[0]}, …): ship the sources or no maps`,
    );
  }
  return problems;
}

/** The lockfile-style path (`node_modules/a/node_modules/b`) of the directory a path sits in. */
function parentOf(path) {
  const at = path.lastIndexOf('/node_modules/');
  return at === -1 ? '' : path.slice(0, at);
}

/**
 * The packages `names` need at run time, found in our node_modules as Node would find them from
 * `from`: their lockfile-style paths (nested ones included). Optional dependencies that are not
 * installed are skipped, as npm does.
 */
function dependencyClosure(names, from = '', found = new Set()) {
  for (const { name, optional } of names) {
    let base = from;
    let path;
    for (;;) {
      const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
      if (existsSync(join(root, candidate, 'package.json'))) {
        path = candidate;
        break;
      }
      if (base === '') break;
      base = parentOf(base);
    }
    if (path === undefined) {
      if (optional) continue;
      throw new Error(
        `${name} (needed by ${from || 'the package'}) is not in node_modules; run npm ci`,
      );
    }
    if (found.has(path)) continue;
    found.add(path);
    dependencyClosure(
      dependenciesOf(JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8'))),
      path,
      found,
    );
  }
  return found;
}

function dependenciesOf(manifest) {
  return [
    ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
  ];
}

/** Copies one package directory from our node_modules, without its nested node_modules. */
function copyPackage(path, consumer) {
  const from = join(root, path);
  cpSync(from, join(consumer, path), {
    recursive: true,
    dereference: true,
    filter: (source) => !relative(from, source).split(sep).includes('node_modules'),
  });
}

/** Builds the consumer project around the tarball; returns its directory. */
function consumerProject(tarball) {
  const consumer = join(dir, 'consumer');
  const installed = join(consumer, 'node_modules', 'confsnap');
  mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const closure = dependencyClosure([
    ...dependenciesOf(manifest),
    // The optional peers: a consumer of `confsnap/prometheus` has prom-client, of `confsnap/hooks`
    // diff, and so on; each entry point is imported below.
    ...Object.keys(manifest.peerDependencies ?? {}).map((name) => ({ name, optional: true })),
    // The consumer's own development dependencies: what every TypeScript project on Node has.
    { name: '@types/node', optional: false },
  ]);
  for (const path of closure) copyPackage(path, consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'confsnap-consumer', private: true, type: 'module' }, null, 2),
  );
  writeFileSync(join(consumer, 'consumer.ts'), CONSUMER_SOURCE);
  // The same file as CommonJS: nodenext resolves it through the `require` conditions.
  writeFileSync(join(consumer, 'consumer-cjs.cts'), CONSUMER_SOURCE);
  console.log(
    `consumer project: the tarball and ${closure.size} packages (${[...closure].map((p) => p.replace(/^.*node_modules\//, '')).join(', ')})`,
  );
  return consumer;
}

function typeCheckConsumer(consumer) {
  const tsc = join(root, 'node_modules', 'typescript', 'lib', 'tsc.js');
  const failed = [];
  for (const [name, module, moduleResolution] of RESOLUTIONS) {
    const files = name === 'nodenext' ? ['consumer.ts', 'consumer-cjs.cts'] : ['consumer.ts'];
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        // Library declarations are checked: with skipLibCheck a missing declaration file turns
        // confsnap's types into `any` silently instead of failing.
        skipLibCheck: false,
        // No `lib`: the target's default (with DOM), as a consumer who sets none gets. nats's own
        // declarations use TextEncoder as a type, which @types/node 20 alone does not declare.
        target: 'ES2022',
        module,
        moduleResolution,
        esModuleInterop: true,
      },
      files,
    };
    const project = join(consumer, `tsconfig.${name}.json`);
    writeFileSync(project, JSON.stringify(config, null, 2));
    try {
      execFileSync(process.execPath, [tsc, '-p', project], { cwd: consumer, encoding: 'utf8' });
      console.log(`consumer type-check (${name}): ok`);
    } catch (error) {
      failed.push(name);
      console.error(
        `consumer type-check (${name}) failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
    }
  }
  if (failed.length > 0) {
    throw new Error(
      `a consumer with only the package and its dependencies cannot type-check it (${failed.join(', ')}); the published types must not need a devDependency`,
    );
  }
}

try {
  const out = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const [{ filename, files }] = JSON.parse(out);
  const tarball = join(dir, filename);
  console.log(`packed ${filename}: ${files.length} files`);
  run('npx', ['--no-install', 'publint', 'run', tarball, '--strict'], { cwd: root });
  run('npx', ['--no-install', 'attw', tarball, '--exclude-entrypoints', 'confsnap/package.json'], {
    cwd: root,
  });
  const consumer = consumerProject(tarball);
  const installed = join(consumer, 'node_modules', 'confsnap');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const problems = hygieneProblems(
    files.map((file) => file.path),
    manifest,
    installed,
  );
  if (problems.length > 0) {
    throw new Error(`the package is not fit to publish:\n  ${problems.join('\n  ')}`);
  }
  console.log('package hygiene: LICENSE, links, source maps and no @internal declarations ok');
  typeCheckConsumer(consumer);
  const differences = await checkExports(installed, join(root, EXPORTS_FILE), {
    update: updateExports,
  });
  if (!updateExports && differences.length > 0) {
    throw new Error(exportsMismatchMessage(differences));
  }
  console.log('package checks passed');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
