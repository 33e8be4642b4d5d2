import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  // Examples import the package by name, as users do; tests run them against the sources.
  resolve: {
    alias: [
      { find: /^confsnap$/, replacement: src('index.ts') },
      {
        find: /^confsnap\/(nats|redis|testing|prometheus|hooks)$/,
        replacement: src('$1/index.ts'),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration suites start their own servers; a few files at a time keeps 2 cores responsive.
    maxWorkers: 2,
  },
});
