import { defineConfig } from 'tsup';

const common = {
  target: 'node20',
  platform: 'node',
  // No source maps: the output is not minified, so stack traces already read well, and maps
  // would name sources the package does not ship.
  sourcemap: false,
  treeshake: true,
  tsconfig: 'tsconfig.build.json',
} as const;

export default defineConfig([
  {
    ...common,
    entry: {
      index: 'src/index.ts',
      'hooks/index': 'src/hooks/index.ts',
      'nats/index': 'src/nats/index.ts',
      'prometheus/index': 'src/prometheus/index.ts',
      'redis/index': 'src/redis/index.ts',
      'testing/index': 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    splitting: true,
  },
  {
    // The CLI is an ESM program; it is not imported, so it needs neither CJS nor declarations.
    ...common,
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
  },
]);
