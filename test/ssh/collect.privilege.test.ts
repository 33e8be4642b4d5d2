/** Privilege (enable) mode on real ssh2 simulated devices (SPEC §8). */
import { afterAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/core/device.js';
import { isBackupError, type BackupError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { createCollectorRegistry } from '../../src/collectors/registry.js';
import { normalizeConfig } from '../../src/collectors/normalize.js';
import { ciscoAsa } from '../../src/collectors/vendors/cisco-asa.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { simulatedPersonality, startSimulatedDevice } from '../../src/testing/simulated/index.js';
import type {
  SimulatedDevice,
  SimulatedDeviceOptions,
  SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const ENABLE_SECRET = 'En4ble-secret-that-must-never-leak';
const PRIVILEGED_VENDORS = [
  'cisco-asa',
  'cisco-ios',
  'arista-eos',
  'ruckus-icx',
  'aruba-aoscx',
  'aruba-aosw',
  'aruba-instant',
  'acos',
  'zynos',
  'edgecos',
] as const;

const lines: string[] = [];
const logger: Logger = {
  debug: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  info: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  warn: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  error: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
};
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
    ...options,
  });
  devices.push(device);
  return device;
}

function backUp(device: SimulatedDevice, credentials: Partial<Credentials> = {}) {
  return collectConfig({
    device: {
      id: `${device.vendor}-1`,
      host: device.host,
      port: device.port,
      vendor: device.vendor,
    },
    credentials: { username: 'admin', password: 'admin', ...credentials },
    commandTimeoutMs: 5_000,
    logger,
  });
}

async function failure(promise: Promise<unknown>): Promise<BackupError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
  return error;
}

function everythingSaid(error: BackupError): string {
  return [...lines, error.message, String(error.stack), JSON.stringify(error)].join('\n');
}

describe('an account that lands at the unprivileged prompt', () => {
  it.each(PRIVILEGED_VENDORS)(
    '%s: is backed up after enable with the enable secret',
    async (vendor) => {
      const device = await start(vendor, { privilege: { enableSecret: ENABLE_SECRET } });
      const result = await backUp(device, { enableSecret: ENABLE_SECRET });
      expect(result.text).toContain(normalizeConfig(vendor, sampleConfig(vendor)).text);
      expect(device.commands[0]).toBe('enable');
      // The secret answered the password prompt; it is no command line of its own.
      expect(device.commands).not.toContain(ENABLE_SECRET);
      expect(lines.join('\n')).not.toContain(ENABLE_SECRET);
    },
  );

  it('an ASA at asa1> refuses the backup commands to a collector without the step', async () => {
    const device = await start('cisco-asa', { privilege: { enableSecret: ENABLE_SECRET } });
    const withoutStep = { ...ciscoAsa, privilege: undefined };
    const error = await failure(
      collectConfig({
        device: { id: 'fw-1', host: device.host, port: device.port, vendor: 'cisco-asa' },
        credentials: { username: 'admin', password: 'admin', enableSecret: ENABLE_SECRET },
        collectors: createCollectorRegistry([withoutStep]),
        logger,
      }),
    );
    expect(error.kind).toBe('command-failed');
    expect(error.message).toContain('Invalid input');
  });

  it.each(PRIVILEGED_VENDORS)(
    '%s: enable works however the device splits its output into packets',
    async (vendor) => {
      const device = await start(vendor, {
        privilege: { enableSecret: ENABLE_SECRET },
        faults: { packetize: { minBytes: 1, maxBytes: 3 } },
      });
      const result = await backUp(device, { enableSecret: ENABLE_SECRET });
      expect(result.text).toContain(normalizeConfig(vendor, sampleConfig(vendor)).text);
    },
  );

  it('an enable that asks for no password is reached with an empty enableSecret', async () => {
    const device = await start('cisco-ios', { privilege: { enableSecret: '' } });
    const result = await backUp(device, { enableSecret: '' });
    expect(result.text).toContain('hostname router1');
    expect(device.commands).toEqual(expect.arrayContaining(['enable', 'show running-config']));
  });

  it('an ASA echoing the typed secret as asterisks gives a clean configuration', async () => {
    const device = await start('cisco-asa', { privilege: { enableSecret: ENABLE_SECRET } });
    const result = await backUp(device, { enableSecret: ENABLE_SECRET });
    expect(result.text).not.toContain('*'.repeat(ENABLE_SECRET.length));
    expect(result.text.split('\n').at(-2)).toBe(': end');
  });
});

describe('an account that lands privileged', () => {
  it.each(PRIVILEGED_VENDORS)('%s: sends no enable, with or without a secret', async (vendor) => {
    const device = await start(vendor);
    await backUp(device, { enableSecret: ENABLE_SECRET });
    await backUp(device);
    expect(device.commands).not.toContain('enable');
    expect(device.commands.filter((command) => /running-config/.test(command))).toHaveLength(2);
  });
});

describe('a refused enable is auth-failed at stage enable', () => {
  it('IOS asking for the password again (wrong secret)', async () => {
    const device = await start('cisco-ios', { privilege: { enableSecret: 'the-right-one' } });
    const error = await failure(backUp(device, { enableSecret: ENABLE_SECRET }));
    expect(error.kind).toBe('auth-failed');
    expect(error.permanent).toBe(true);
    expect(error.details).toMatchObject({ stage: 'enable', reason: 'wrong-secret' });
    expect(error.message).toContain('enableSecret');
    expect(device.commands).not.toContain('show running-config');
    expect(everythingSaid(error)).not.toContain(ENABLE_SECRET);
  });

  it('ASA: "Invalid password" and the prompt again (wrong secret), quoting the device', async () => {
    const device = await start('cisco-asa', { privilege: { enableSecret: 'the-right-one' } });
    const error = await failure(backUp(device, { enableSecret: ENABLE_SECRET }));
    expect(error.kind).toBe('auth-failed');
    expect(error.details).toMatchObject({
      stage: 'enable',
      reason: 'wrong-secret',
      deviceError: 'Invalid password',
    });
    expect(everythingSaid(error)).not.toContain(ENABLE_SECRET);
  });

  it('EOS: "% Access denied" and back at switch> (refused)', async () => {
    const device = await start('arista-eos', { privilege: { enableSecret: 'the-right-one' } });
    const error = await failure(backUp(device, { enableSecret: ENABLE_SECRET }));
    expect(error.kind).toBe('auth-failed');
    expect(error.details).toMatchObject({
      stage: 'enable',
      reason: 'refused',
      deviceError: '% Access denied',
    });
    expect(error.message).toContain('router1>');
  });

  it.each(PRIVILEGED_VENDORS)(
    '%s: no enableSecret while the account lands at > says what to set, and sends nothing',
    async (vendor) => {
      const device = await start(vendor, { privilege: { enableSecret: ENABLE_SECRET } });
      const error = await failure(backUp(device));
      expect(error.kind).toBe('auth-failed');
      expect(error.details).toMatchObject({ stage: 'enable', reason: 'no-secret' });
      expect(error.message).toMatch(/set credentials\.enableSecret/);
      expect(device.commands).toEqual([]);
    },
  );

  it('a device that echoes the typed secret in clear never carries it into the error', async () => {
    const ios = simulatedPersonality('cisco-ios');
    // An odd CLI: shows what is typed at the password prompt, then quotes it in its refusal.
    const echoing = await start('cisco-ios', {
      vendor: {
        ...ios,
        privilege: {
          ...ios.privilege!,
          secretEcho: 'text',
          attempts: 1,
          deniedText: `% Access denied for ${ENABLE_SECRET}\n`,
        },
      },
      privilege: { enableSecret: 'the-right-one' },
    });
    const error = await failure(backUp(echoing, { enableSecret: ENABLE_SECRET }));
    expect(error.details).toMatchObject({
      stage: 'enable',
      reason: 'refused',
      deviceError: '% Access denied for ***',
    });
    expect(everythingSaid(error)).not.toContain(ENABLE_SECRET);
  });
});

describe('bad input', () => {
  it('an enableSecret that is not a string is a TypeError naming the field', async () => {
    const device = await start('cisco-ios');
    await expect(backUp(device, { enableSecret: 42 as unknown as string })).rejects.toThrow(
      /credentials\.enableSecret .* must be a string/,
    );
  });
});
