/**
 * The real program for tests that need a process of its own (signals, pipes): src/cli/main.ts built
 * with tsup into a temp folder inside the checkout, so that it finds node_modules as the installed
 * one does. Call in `beforeAll`; the returned `remove` goes in `afterAll`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the CLI; resolves with the path of its `main.js` and a function that deletes the build. */
export async function buildCli(name: string): Promise<{ main: string; remove: () => void }> {
  const results = join(root, '.test-results');
  mkdirSync(results, { recursive: true });
  const buildDir = mkdtempSync(join(results, `${name}-`));
  await build({
    entry: { main: join(root, 'src/cli/main.ts') },
    outDir: buildDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
    tsconfig: join(root, 'tsconfig.build.json'),
  });
  return {
    main: join(buildDir, 'main.js'),
    remove: () => rmSync(buildDir, { recursive: true, force: true }),
  };
}
