/** `--http` without hono installed: one clear setup error saying what to install. */
import { describe, expect, it, vi } from 'vitest';
import { startHttpApi } from '../../../src/cli/http/server.js';
import { SetupError } from '../../../src/cli/publishers.js';

vi.mock('@hono/node-server', () => {
  throw new Error("Cannot find package '@hono/node-server'");
});

describe('startHttpApi without @hono/node-server', () => {
  it('is a SetupError naming the packages to install', async () => {
    const error: unknown = await startHttpApi(
      { host: '127.0.0.1', port: 0 },
      {} as Parameters<typeof startHttpApi>[1],
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toBe(
      '--http needs the hono and @hono/node-server packages: npm install hono @hono/node-server',
    );
    expect((error as SetupError).exitCode).toBe(1);
  });
});
