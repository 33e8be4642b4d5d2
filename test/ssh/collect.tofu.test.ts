/** Trust on first use, host-key mismatches, re-keys and algorithm negotiation. */
import { afterEach, describe, expect, it } from 'vitest';
import { isBackupError } from '../../src/core/errors.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { MemoryHostKeyStore, type SSHHostKeyUpdater } from '../../src/ssh/host-keys.js';
import { generateHostKey, startSimulatedDevice } from '../../src/testing/simulated/index.js';
import type { SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const credentials = { username: 'admin', password: 'admin' };
const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function start(options: Partial<Parameters<typeof startSimulatedDevice>[0]> = {}) {
  const device = await startSimulatedDevice({
    vendor: 'routeros',
    config: sampleConfig('routeros'),
    ...options,
  });
  open.push(device);
  return device;
}

const target = (device: SimulatedDevice, extra: object = {}) => ({
  id: 'core-r1',
  host: device.host,
  port: device.port,
  vendor: 'routeros',
  ...extra,
});

describe('trust on first use', () => {
  it('pins the host key after the first successful backup', async () => {
    const device = await start();
    const hostKeys = new MemoryHostKeyStore();
    const result = await collectConfig({ device: target(device), credentials, hostKeys });
    expect(result.hostKeyPinned).toBe(true);
    expect(await hostKeys.get('core-r1')).toBe(device.hostKeyFingerprint);
  });

  it('does not pin when authentication fails', async () => {
    const device = await start({ faults: { wrongCredentials: true } });
    const hostKeys = new MemoryHostKeyStore();
    await expect(
      collectConfig({ device: target(device), credentials, hostKeys }),
    ).rejects.toMatchObject({
      kind: 'auth-failed',
    });
    expect(await hostKeys.get('core-r1')).toBeUndefined();
  });

  it('does not pin when the collection fails', async () => {
    const device = await start({ faults: { commandError: true } });
    const hostKeys = new MemoryHostKeyStore();
    await expect(
      collectConfig({ device: target(device), credentials, hostKeys }),
    ).rejects.toMatchObject({
      kind: 'command-failed',
    });
    expect(await hostKeys.get('core-r1')).toBeUndefined();
  });

  it('accepts the pinned key on later backups without pinning again', async () => {
    const device = await start();
    const hostKeys = new MemoryHostKeyStore({ 'core-r1': device.hostKeyFingerprint });
    const result = await collectConfig({ device: target(device), credentials, hostKeys });
    expect(result.hostKeyPinned).toBe(false);
  });

  it('refuses another key on the same device with both fingerprints, before any authentication', async () => {
    const original = await start();
    const hostKeys = new MemoryHostKeyStore();
    await collectConfig({ device: target(original), credentials, hostKeys });
    const impostor = await start({ hostKey: generateHostKey() });
    const error = await collectConfig({ device: target(impostor), credentials, hostKeys }).catch(
      (e: unknown) => e,
    );
    expect(isBackupError(error, 'host-key-mismatch')).toBe(true);
    if (!isBackupError(error)) return;
    expect(error.permanent).toBe(true);
    expect(error.details).toMatchObject({
      expectedFingerprint: original.hostKeyFingerprint,
      observedFingerprint: impostor.hostKeyFingerprint,
    });
    expect(error.message).toContain(original.hostKeyFingerprint);
    expect(error.message).toContain(impostor.hostKeyFingerprint);
    expect(impostor.authAttempts).toBe(0);
    expect(await hostKeys.get('core-r1')).toBe(original.hostKeyFingerprint);
  });

  it('checks a pin kept beside the device row and reports new pins to the updater', async () => {
    const device = await start();
    const pins: [string, string][] = [];
    const updater: SSHHostKeyUpdater = {
      updateSSHHostKey: (id, fingerprint) => {
        pins.push([id, fingerprint]);
        return Promise.resolve();
      },
    };
    await collectConfig({ device: target(device), credentials, hostKeys: { updater } });
    expect(pins).toEqual([['core-r1', device.hostKeyFingerprint]]);

    const other = await start({ hostKey: generateHostKey() });
    const error = await collectConfig({
      device: target(other, { hostKeyFingerprint: device.hostKeyFingerprint }),
      credentials,
      hostKeys: { updater },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'host-key-mismatch')).toBe(true);
    expect(other.authAttempts).toBe(0);
    expect(pins).toHaveLength(1);
  });

  it('keeps the pin through a re-key during a long output', async () => {
    const big =
      sampleConfig('routeros') +
      '/ip firewall filter\nadd chain=forward action=accept comment=x\n'.repeat(20_000);
    const device = await start({ config: big, faults: { rekeyDuringOutput: true } });
    const hostKeys = new MemoryHostKeyStore({ 'core-r1': device.hostKeyFingerprint });
    const result = await collectConfig({ device: target(device), credentials, hostKeys });
    expect(result.text.length).toBeGreaterThan(800_000);
    expect(await hostKeys.get('core-r1')).toBe(device.hostKeyFingerprint);
  });

  it('reports no common host-key algorithm as negotiation-failed, never as a mismatch', async () => {
    const device = await start({ hostKeyAlgorithms: ['ssh-ed25519'] });
    const hostKeys = new MemoryHostKeyStore({ 'core-r1': device.hostKeyFingerprint });
    const error = await collectConfig({
      device: target(device),
      credentials,
      hostKeys,
      algorithms: { serverHostKey: ['ecdsa-sha2-nistp256'] },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'negotiation-failed')).toBe(true);
    if (isBackupError(error)) expect(error.permanent).toBe(false);
    expect(await hostKeys.get('core-r1')).toBe(device.hostKeyFingerprint);
  });

  it('accepts the legacy algorithm preset and still prefers modern algorithms', async () => {
    const device = await start({ hostKeyAlgorithms: ['ssh-ed25519'] });
    const result = await collectConfig({
      device: target(device),
      credentials,
      algorithms: 'legacy',
    });
    expect(result.text).toContain('/system identity');
  });
});
