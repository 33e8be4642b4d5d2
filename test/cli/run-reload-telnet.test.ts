/** `confsnap run` warns about telnet's clear text for devices a SIGHUP reload makes telnet. */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo, tempDir, USERNAME, writeInventory } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const device = (id: string, extra: object = {}) => ({
  id,
  host: '127.0.0.1',
  port: 1,
  vendor: 'cisco-ios',
  ...extra,
});

it('a device added as telnet or switched to telnet by a reload is warned about, once', async () => {
  const write = (devices: object[]): string =>
    writeInventory(dir, { defaults: { username: USERNAME, password_env: 'P' }, devices });
  const inventory = write([device('sw1'), device('sw2', { transport: 'telnet' })]);
  const reloads: (() => void)[] = [];
  const controller = new AbortController();
  const captured = captureIo({
    env: { P: 'pw-reload-4f2b' },
    cwd: dir,
    signal: controller.signal,
    onReload: (listener) => {
      reloads.push(listener);
      return () => reloads.splice(reloads.indexOf(listener), 1);
    },
  });
  const running = runCli(
    ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--interval', '1h'],
    captured.io,
  );
  await until(() => captured.stderr().includes('confsnap run:'));
  expect(captured.stderr()).toContain('one device uses transport: telnet (sw2)');

  // sw1 switched to telnet, sw3 added as telnet, sw2 stays telnet (already warned about).
  write([
    device('sw1', { transport: 'telnet' }),
    device('sw2', { transport: 'telnet' }),
    device('sw3', { transport: 'telnet' }),
  ]);
  for (const listener of reloads) listener();
  await until(() => captured.stderr().includes('inventory re-read'));
  await until(() => captured.stderr().includes('now use'));
  controller.abort(new Error('SIGTERM'));
  await running;

  const log = captured.stderr();
  const after = log.slice(log.indexOf('inventory re-read'));
  expect(after).toMatch(
    /warning the re-read inventory: 2 devices now use transport: telnet \(sw1, sw3\): telnet sends the password in clear text/,
  );
  expect(after).not.toContain('sw2)');
});
