/**
 * Interop with a real OpenSSH sshd (private instance from the harness): key and password
 * authentication, ed25519 and RSA host keys, TOFU against them, and a ForceCommand that prints a
 * RouterOS export.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBackupError } from '../../src/core/errors.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { fingerprintOf } from '../../src/ssh/fingerprint.js';
import { MemoryHostKeyStore } from '../../src/ssh/host-keys.js';
import { servicesAvailable, SshdService } from '../harness/services.js';
import { PasswordSshdService, passwordSshdSupported } from '../harness/password-sshd.js';

const available = servicesAvailable('sshd');
const EXPORT = readFileSync(
  new URL('../fixtures/vectors/routeros-v7-dash-header.raw', import.meta.url),
  'utf8',
);
const EXPECTED = readFileSync(
  new URL('../fixtures/vectors/routeros-v7-dash-header.expected', import.meta.url),
  'utf8',
);

describe.skipIf(!available)('collectConfig against OpenSSH sshd', () => {
  let sshd: SshdService;
  let rsaOnly: SshdService;

  beforeAll(async () => {
    sshd = new SshdService({ hostKeyTypes: ['ed25519'] });
    rsaOnly = new SshdService({ hostKeyTypes: ['rsa'] });
    await Promise.all([sshd.start(), rsaOnly.start()]);
    sshd.setDeviceOutput(EXPORT);
    rsaOnly.setDeviceOutput(EXPORT);
  });
  afterAll(async () => {
    await Promise.all([sshd?.dispose(), rsaOnly?.dispose()]);
  });

  const device = (service: SshdService, extra: object = {}) => ({
    id: 'r1',
    host: '127.0.0.1',
    port: service.port,
    vendor: 'routeros',
    version: '7.16.2',
    ...extra,
  });

  it('collects a RouterOS export printed by a ForceCommand, with key authentication', async () => {
    const result = await collectConfig({
      device: device(sshd),
      credentials: { username: sshd.user, privateKey: sshd.clientKey.privateKey },
    });
    expect(result.text).toBe(EXPECTED);
    expect(sshd.lastCommand()).toBe('/export show-sensitive');
    expect(result.deviceVersion).toBe('7.16.2');
  });

  it('pins the ed25519 host key on first use with the fingerprint ssh-keygen prints', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const result = await collectConfig({
      device: device(sshd),
      credentials: { username: sshd.user, privateKey: sshd.clientKey.privateKey },
      hostKeys,
    });
    const expected = fingerprintOf(sshd.hostKeys.ed25519.publicKey);
    expect(result.hostKeyFingerprint).toBe(expected);
    expect(result.hostKeyPinned).toBe(true);
    expect(await hostKeys.get('r1')).toBe(expected);
  });

  it('accepts an RSA host key and pins it', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const result = await collectConfig({
      device: device(rsaOnly),
      credentials: { username: rsaOnly.user, privateKey: rsaOnly.clientKey.privateKey },
      hostKeys,
    });
    expect(result.hostKeyFingerprint).toBe(fingerprintOf(rsaOnly.hostKeys.rsa.publicKey));
    expect(await hostKeys.get('r1')).toBe(result.hostKeyFingerprint);
  });

  it('refuses the RSA server when the ed25519 key of another server is pinned for the device', async () => {
    const hostKeys = new MemoryHostKeyStore({ r1: fingerprintOf(sshd.hostKeys.ed25519.publicKey) });
    const error = await collectConfig({
      device: device(rsaOnly),
      credentials: { username: rsaOnly.user, privateKey: rsaOnly.clientKey.privateKey },
      hostKeys,
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'host-key-mismatch')).toBe(true);
    if (!isBackupError(error)) return;
    expect(error.details.expectedFingerprint).toBe(fingerprintOf(sshd.hostKeys.ed25519.publicKey));
    expect(error.details.observedFingerprint).toBe(fingerprintOf(rsaOnly.hostKeys.rsa.publicKey));
  });

  it('reports a wrong key as auth-failed', async () => {
    const error = await collectConfig({
      device: device(sshd),
      credentials: { username: sshd.user, privateKey: rsaOnly.clientKey.privateKey },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'auth-failed')).toBe(true);
  });
});

const passwordSupported = available && passwordSshdSupported();
if (available && !passwordSupported) {
  console.warn('!!! SKIPPING OpenSSH password interop: needs root, unshare and openssl');
}

describe.skipIf(!passwordSupported)('collectConfig against OpenSSH sshd with a password', () => {
  let sshd: PasswordSshdService;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    sshd = new PasswordSshdService(password);
    await sshd.start();
    sshd.setDeviceOutput(EXPORT);
  });
  afterAll(async () => {
    await sshd?.dispose();
  });

  it('logs in with a password and collects the export', async () => {
    const result = await collectConfig({
      device: {
        id: 'r2',
        host: '127.0.0.1',
        port: sshd.port,
        vendor: 'routeros',
        version: '7.16.2',
      },
      credentials: { username: sshd.username, password },
    });
    expect(result.text).toBe(EXPECTED);
  });

  it('reports a wrong password as auth-failed without the password in the message', async () => {
    const error = await collectConfig({
      device: {
        id: 'r2',
        host: '127.0.0.1',
        port: sshd.port,
        vendor: 'routeros',
        version: '7.16.2',
      },
      credentials: { username: sshd.username, password: 'wrong-password-123' },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'auth-failed')).toBe(true);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(
      'wrong-password-123',
    );
  });
});
