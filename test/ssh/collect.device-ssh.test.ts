/**
 * Per-device SSH settings (`Device.ssh`, SPEC §8) in collectConfig: algorithms, deadlines and
 * keepalive that override the caller's options for that device only.
 */
import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { isBackupError } from '../../src/core/errors.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const credentials = { username: 'admin', password: 'admin' };
const open: SimulatedDevice[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
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

/** An old device: SHA-1 key exchange and CBC ciphers only, as IOS 12.x offers. */
const LEGACY_ONLY = {
  kex: ['diffie-hellman-group14-sha1'],
  cipher: ['aes128-cbc'],
  hmac: ['hmac-sha1'],
} as const;

const record = (device: SimulatedDevice, extra: Partial<Device> = {}): Device => ({
  id: 'old-sw1',
  host: device.host,
  port: device.port,
  vendor: 'routeros',
  ...extra,
});

describe('collectConfig with per-device SSH settings', () => {
  it("reaches a legacy-only device with ssh: { algorithms: 'legacy' } and no global option", async () => {
    const device = await start({ algorithms: LEGACY_ONLY });
    const result = await collectConfig({
      device: record(device, { ssh: { algorithms: 'legacy' } }),
      credentials,
    });
    expect(result.text).toContain('/system identity');
  });

  it('fails negotiation-failed against the same device without the per-device setting', async () => {
    const device = await start({ algorithms: LEGACY_ONLY });
    const error = await collectConfig({ device: record(device), credentials }).catch(
      (e: unknown) => e,
    );
    expect(isBackupError(error, 'negotiation-failed')).toBe(true);
  });

  it("'modern' keeps ssh2's defaults even when the caller asks for legacy algorithms", async () => {
    const device = await start({ algorithms: LEGACY_ONLY });
    const error = await collectConfig({
      device: record(device, { ssh: { algorithms: 'modern' } }),
      credentials,
      algorithms: 'legacy',
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'negotiation-failed')).toBe(true);
  });

  it('explicit lists replace the caller’s algorithms', async () => {
    const device = await start({ algorithms: LEGACY_ONLY });
    const result = await collectConfig({
      device: record(device, {
        ssh: { algorithms: { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-cbc'] } },
      }),
      credentials,
      algorithms: { kex: ['curve25519-sha256'] },
    });
    expect(result.text).toContain('/system identity');
  });

  it("a device's connectTimeoutMs bounds its handshake instead of the caller's", async () => {
    const device = await start({ faults: { stallMidHandshake: true } });
    const startedAt = Date.now();
    const error = await collectConfig({
      device: record(device, { ssh: { connectTimeoutMs: 300 } }),
      credentials,
      connectTimeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'connect-timeout')).toBe(true);
    if (isBackupError(error)) {
      expect(error.details).toMatchObject({ connectTimeoutMs: 300 });
      expect(error.message).toContain('connectTimeoutMs (300 ms');
    }
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it("a device's timeLimitMs bounds its whole collection instead of the caller's", async () => {
    const device = await start({ faults: { stallMidOutput: true } });
    const error = await collectConfig({
      device: record(device, { ssh: { timeLimitMs: 400 } }),
      credentials,
      timeLimitMs: 300_000,
      commandTimeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'time-limit')).toBe(true);
    if (isBackupError(error)) expect(error.details).toMatchObject({ timeLimitMs: 400 });
  });

  it("a device's commandTimeoutMs bounds each command instead of the caller's", async () => {
    const device = await start({ faults: { stallMidOutput: true } });
    const error = await collectConfig({
      device: record(device, { ssh: { commandTimeoutMs: 300 } }),
      credentials,
      commandTimeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'command-timeout')).toBe(true);
  });

  it("passes a device's keepaliveIntervalMs to ssh2 as keepaliveInterval, and none by default", async () => {
    const device = await start();
    const configs: ConnectConfig[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its client
    const original = ssh2.Client.prototype.connect;
    vi.spyOn(ssh2.Client.prototype, 'connect').mockImplementation(function (
      this: InstanceType<typeof ssh2.Client>,
      config: ConnectConfig,
    ) {
      configs.push(config);
      return original.call(this, config);
    });
    await collectConfig({
      device: record(device, { ssh: { keepaliveIntervalMs: 7_000 } }),
      credentials,
      keepaliveIntervalMs: 30_000,
    });
    await collectConfig({ device: record(device), credentials });
    expect(configs.map((c) => c.keepaliveInterval)).toEqual([7_000, 0]);
  });

  it('rejects an invalid per-device setting before connecting, naming the field', async () => {
    const device = await start();
    await expect(
      collectConfig({
        device: record(device, { ssh: { connectTimeoutMs: -5 } }),
        credentials,
      }),
    ).rejects.toThrow(/old-sw1: ssh\.connectTimeoutMs must be a positive number of ms, got -5/);
    expect(device.authAttempts).toBe(0);
  });
});
