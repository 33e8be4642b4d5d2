/**
 * Telnet, only where a record says so (SPEC §8): every shell vendor's collector runs over a real
 * TELNET connection (telnetlib on both sides) to a simulated device, with the vendor's telnet
 * login, its pager and its privilege mode, and gives the same configuration and hash as over SSH.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Credentials, Device } from '../../src/core/device.js';
import { isBackupError, type BackupError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { collectConfig } from '../../src/ssh/collect.js';
import {
  generateHostKey,
  SIMULATED_VENDOR_IDS,
  simulatedPersonality,
  startSimulatedDevice,
} from '../../src/testing/simulated/index.js';
import type {
  SimulatedDevice,
  SimulatedDeviceOptions,
  SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const SHELL_VENDORS = SIMULATED_VENDOR_IDS.filter(
  (vendor) => simulatedPersonality(vendor).mode === 'shell',
);
const EXEC_VENDORS = SIMULATED_VENDOR_IDS.filter(
  (vendor) => simulatedPersonality(vendor).mode === 'exec',
);
const PRIVILEGED_VENDORS = ['cisco-ios', 'cisco-asa', 'arista-eos'] as const;
const PASSWORD = 'Telnet-pass-that-must-never-leak';
const ENABLE_SECRET = 'En4ble-over-telnet';

const lines: string[] = [];
const logger: Logger = {
  debug: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  info: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  warn: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  error: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
};
const hostKey = generateHostKey();
const devices: SimulatedDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((device) => device.close()));
});

async function start(
  vendor: SimulatedVendorId,
  options: Partial<SimulatedDeviceOptions> = {},
): Promise<SimulatedDevice> {
  const device = await startSimulatedDevice({
    vendor,
    config: sampleConfig(vendor),
    hostKey,
    credentials: { username: 'backup', password: PASSWORD },
    ...options,
  });
  devices.push(device);
  return device;
}

function record(device: SimulatedDevice, transport: Device['transport']): Device {
  return {
    id: `${device.vendor}-${transport ?? 'ssh'}`,
    host: device.host,
    port: device.port,
    vendor: device.vendor,
    ...(transport === undefined ? {} : { transport }),
  };
}

function backUp(
  device: SimulatedDevice,
  credentials: Partial<Credentials> = {},
  transport: Device['transport'] = 'telnet',
) {
  return collectConfig({
    device: record(device, transport),
    credentials: { username: 'backup', password: PASSWORD, ...credentials },
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
    logger,
  });
}

async function failure(promise: Promise<unknown>): Promise<BackupError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
  return error;
}

describe('collecting over telnet', () => {
  it.each(SHELL_VENDORS)(
    '%s: the shell collector runs over telnet and reads what it reads over SSH',
    async (vendor) => {
      const overTelnet = await start(vendor, { transport: 'telnet' });
      const overSsh = await start(vendor);
      const telnetResult = await backUp(overTelnet);
      const sshResult = await backUp(overSsh, {}, 'ssh');
      expect(telnetResult.transport).toBe('telnet');
      expect(sshResult.transport).toBe('ssh');
      expect(telnetResult.text).toBe(sshResult.text);
      expect(telnetResult.sha256).toBe(sshResult.sha256);
      // No host key over telnet: nothing checked, nothing pinned.
      expect(telnetResult.hostKeyFingerprint).toBe('');
      expect(telnetResult.hostKeyPinned).toBe(false);
      expect(overTelnet.authAttempts).toBe(1);
      // The device paged (its paging-off command ran) and was left politely.
      expect(overTelnet.commands.length).toBeGreaterThan(1);
    },
  );

  it.each(PRIVILEGED_VENDORS)(
    '%s: an account that lands at > over telnet reaches privileged mode with the enable secret',
    async (vendor) => {
      const device = await start(vendor, {
        transport: 'telnet',
        privilege: { enableSecret: ENABLE_SECRET },
      });
      const result = await backUp(device, { enableSecret: ENABLE_SECRET });
      expect(result.text).toContain('hostname');
      expect(device.commands).toContain('enable');
      expect(lines.join('\n')).not.toContain(ENABLE_SECRET);
    },
  );

  it.each(['cisco-ios', 'cisco-asa', 'huawei-vrp', 'vyos'] as const)(
    '%s: a wrong password over telnet is auth-failed, and the password is in no error or log',
    async (vendor) => {
      const device = await start(vendor, { transport: 'telnet' });
      const error = await failure(backUp(device, { password: 'wrong-password-xyz' }));
      expect(error.kind).toBe('auth-failed');
      expect(error.permanent).toBe(true);
      expect(error.details.stage).toBe('telnet-login');
      expect(error.message).not.toContain('wrong-password-xyz');
      expect(lines.join('\n')).not.toContain('wrong-password-xyz');
      expect(device.authAttempts).toBe(1);
    },
  );

  it('a device that pages in packets of 1 to 13 bytes gives the same hash over telnet as over SSH', async () => {
    for (const vendor of SHELL_VENDORS) {
      const faults = { packetize: { seed: 7 } };
      const overTelnet = await start(vendor, { transport: 'telnet', faults });
      const overSsh = await start(vendor, { faults });
      const [telnetResult, sshResult] = await Promise.all([
        backUp(overTelnet),
        backUp(overSsh, {}, 'ssh'),
      ]);
      expect(telnetResult.sha256, vendor).toBe(sshResult.sha256);
    }
  });

  it.each(EXEC_VENDORS)(
    '%s: an exec-mode vendor over telnet is an invalid record (TypeError naming transport)',
    async (vendor) => {
      await expect(
        collectConfig({
          device: { id: 'x1', host: '127.0.0.1', port: 1, vendor, transport: 'telnet' },
          credentials: { username: 'backup', password: PASSWORD },
        }),
      ).rejects.toThrow(
        new RegExp(
          `collectConfig: device x1: transport is "telnet", but vendor ${vendor} runs its commands on SSH exec channels`,
        ),
      );
    },
  );

  it('a transport other than ssh or telnet is an invalid record', async () => {
    await expect(
      collectConfig({
        device: {
          id: 'x1',
          host: '127.0.0.1',
          vendor: 'cisco-ios',
          transport: 'rlogin' as Device['transport'],
        },
        credentials: { username: 'backup', password: PASSWORD },
      }),
    ).rejects.toThrow(/transport must be "ssh" or "telnet", got "rlogin"/);
  });

  it('an SSH-only device is never tried over telnet: no fallback when SSH fails', async () => {
    const device = await start('cisco-ios', { transport: 'telnet' });
    const error = await failure(
      collectConfig({
        device: record(device, undefined),
        credentials: { username: 'backup', password: PASSWORD },
        connectTimeoutMs: 500,
      }),
    );
    // The telnet port does not speak SSH: the SSH attempt fails, and telnet is not tried.
    expect(error.kind).not.toBe('auth-failed');
    expect(device.authAttempts).toBe(0);
  });
});
