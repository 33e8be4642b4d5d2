/** Secrets are read at attempt time; their version changes exactly when they change. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inventoryCredentials } from '../../src/cli/credentials.js';
import type { CredentialSpec } from '../../src/cli/inventory.js';
import type { Device } from '../../src/index.js';
import { tempDir } from './helpers.js';

const device: Device = { id: 'r1', host: '192.0.2.1', vendor: 'routeros' };
const signal = new AbortController().signal;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function provider(spec: CredentialSpec, env: Record<string, string | undefined> = {}) {
  return inventoryCredentials((id) => (id === 'r1' ? spec : undefined), env);
}

describe('inventory credentials', () => {
  it('reads the password from the environment at every attempt', async () => {
    const env: Record<string, string | undefined> = { ROUTER_PASSWORD: 'first' };
    const credentials = provider({ username: 'backup', passwordEnv: 'ROUTER_PASSWORD' }, env);
    const before = await credentials.get(device, signal);
    env.ROUTER_PASSWORD = 'second';
    const after = await credentials.get(device, signal);
    expect(before).toMatchObject({ username: 'backup', password: 'first' });
    expect(after).toMatchObject({ username: 'backup', password: 'second' });
    expect(after?.version).not.toBe(before?.version);
  });

  it('keeps the version while the password file is unchanged and changes it when it is fixed', async () => {
    const file = join(dir, 'password');
    writeFileSync(file, 'wrong\n');
    const credentials = provider({ username: 'backup', passwordFile: file });
    const first = await credentials.get(device, signal);
    const again = await credentials.get(device, signal);
    writeFileSync(file, 'right\n');
    const fixed = await credentials.get(device, signal);
    expect(first?.password).toBe('wrong');
    expect(again?.version).toBe(first?.version);
    expect(fixed?.password).toBe('right');
    expect(fixed?.version).not.toBe(first?.version);
  });

  it('gives a version that is not the password or a plain hash of it', async () => {
    const credentials = provider({ username: 'backup', passwordEnv: 'P' }, { P: 'hunter2' });
    const version = (await credentials.get(device, signal))?.version ?? '';
    expect(version).not.toContain('hunter2');
    expect(version).toMatch(/^[\w-]{22}$/);
  });

  it('names a missing variable, never a value', async () => {
    const credentials = provider({ username: 'backup', passwordEnv: 'ROUTER_PASSWORD' });
    await expect(credentials.get(device, signal)).rejects.toThrow(
      'the environment variable ROUTER_PASSWORD (password_env) is not set',
    );
  });

  it('reads the enable secret from the environment; a change of it changes the version', async () => {
    const env: Record<string, string | undefined> = { P: 'pw', ENABLE: 'first' };
    const spec = { username: 'backup', passwordEnv: 'P', enableSecretEnv: 'ENABLE' };
    const credentials = provider(spec, env);
    const before = await credentials.get(device, signal);
    env.ENABLE = 'second';
    const after = await credentials.get(device, signal);
    expect(before).toMatchObject({ password: 'pw', enableSecret: 'first' });
    expect(after).toMatchObject({ password: 'pw', enableSecret: 'second' });
    expect(after?.version).not.toBe(before?.version);
  });

  it('takes an enable secret variable set but empty as an enable without password', async () => {
    const spec = { username: 'backup', passwordEnv: 'P', enableSecretEnv: 'ENABLE' };
    const credentials = provider(spec, { P: 'pw', ENABLE: '' });
    expect(await credentials.get(device, signal)).toMatchObject({ enableSecret: '' });
  });

  it('names a missing enable secret variable', async () => {
    const spec = { username: 'backup', passwordEnv: 'P', enableSecretEnv: 'FW_ENABLE' };
    await expect(provider(spec, { P: 'pw' }).get(device, signal)).rejects.toThrow(
      'the environment variable FW_ENABLE (enable_secret_env) is not set',
    );
  });

  it('names an unreadable password file', async () => {
    const file = join(dir, 'missing');
    const credentials = provider({ username: 'backup', passwordFile: file });
    await expect(credentials.get(device, signal)).rejects.toThrow(
      `password_file ${file} cannot be read (ENOENT)`,
    );
  });

  it('reads a private key and its passphrase', async () => {
    const pair = ssh2.utils.generateKeyPairSync('ecdsa', {
      bits: 256,
      passphrase: 'key-passphrase',
      cipher: 'aes256-cbc',
    });
    const file = join(dir, 'id_ecdsa');
    writeFileSync(file, pair.private);
    const credentials = provider(
      { username: 'backup', privateKeyFile: file, passphraseEnv: 'KEY_PASSPHRASE' },
      { KEY_PASSPHRASE: 'key-passphrase' },
    );
    const read = await credentials.get(device, signal);
    expect(read?.privateKey?.toString()).toBe(pair.private);
    expect(read?.passphrase).toBe('key-passphrase');
  });

  it('asks for passphrase_env when the key is encrypted', async () => {
    const pair = ssh2.utils.generateKeyPairSync('ecdsa', {
      bits: 256,
      passphrase: 'key-passphrase',
      cipher: 'aes256-cbc',
    });
    const file = join(dir, 'id_ecdsa');
    writeFileSync(file, pair.private);
    const credentials = provider({ username: 'backup', privateKeyFile: file });
    await expect(credentials.get(device, signal)).rejects.toThrow(
      `private_key_file ${file} is encrypted; name the variable holding its passphrase in passphrase_env`,
    );
  });

  it('has no credentials for a device the inventory does not know', async () => {
    const credentials = provider({ username: 'backup', passwordEnv: 'P' }, { P: 'x' });
    expect(await credentials.get({ ...device, id: 'r9' }, signal)).toBeUndefined();
  });
});
