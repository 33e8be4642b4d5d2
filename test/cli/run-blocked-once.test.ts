/** `confsnap run` says once that a device is blocked, whether over SSH or telnet. */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-blocked-6c0d';
let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('a refused login: "blocked until" once in the failed line, over SSH and over telnet', async () => {
  const r1 = await lab.start(PASSWORD, { vendor: 'cisco-ios' });
  const sw1 = await lab.start(PASSWORD, { vendor: 'cisco-ios', transport: 'telnet' });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'P' },
    devices: [entry('r1', r1), entry('sw1', sw1, { transport: 'telnet' })],
  });
  const controller = new AbortController();
  const captured = captureIo({
    env: { P: 'not-the-password' },
    cwd: dir,
    signal: controller.signal,
  });
  const running = runCli(
    ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--interval', '1s'],
    captured.io,
  );
  const failedLines = (): string[] =>
    captured
      .stderr()
      .split('\n')
      .filter((line) => / failed {2}/.test(line));
  await until(() => failedLines().length >= 2);
  controller.abort(new Error('SIGTERM'));
  await running;
  for (const line of failedLines()) {
    expect(line).toMatch(/auth-failed/);
    expect(line.match(/blocked until/g)).toHaveLength(1);
  }
});
