/** A telnet device whose inventory credentials are a key only: one clear sentence, once. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

it('says the device asks for a password over telnet and a key cannot log in there', async () => {
  const sw = await lab.start('pw-keyonly-1b7e', { vendor: 'cisco-ios', transport: 'telnet' });
  const keyFile = join(dir, 'id_rsa');
  writeFileSync(keyFile, ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 }).private, {
    mode: 0o600,
  });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, private_key_file: keyFile, transport: 'telnet' },
    devices: [entry('sw1', sw)],
  });
  const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
    cwd: dir,
  });
  expect(run.code).toBe(1);
  const report = run.stdout();
  expect(report).toContain(
    `sw1: ${sw.host}:${sw.port} asks for a password over telnet, and the credentials have none (a key cannot log in over telnet); give this device a password`,
  );
  expect(report).not.toContain('password only)');
  expect(report).toContain(
    '→ Over telnet only a password logs in, and sw1 has none in the inventory: set password_env or password_file for it',
  );
  expect(report).not.toContain('Check username');
});
