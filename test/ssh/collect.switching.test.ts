/**
 * The campus and data-centre switch and controller vendors end to end on simulated devices: the
 * privilege step where the CLI has one, and a device that pages whatever the collector sends.
 */
import { utils } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/collectors/normalize.js';
import { isBackupError } from '../../src/core/errors.js';
import { collectConfig } from '../../src/ssh/collect.js';
import {
  simulatedPersonality,
  startSimulatedDevice,
  type SimulatedDevice,
  type SimulatedPersonality,
  type SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const ENABLE_SECRET = 'En4ble-switching-secret';
/** Vendors whose CLI has an unprivileged level and an `enable` step. */
const PRIVILEGED: readonly SimulatedVendorId[] = [
  'arubaos-switch',
  'dell-powerconnect',
  'dell-os10',
  'dell-dnos',
  'cisco-smb',
  'extreme-voss',
  'ubiquiti-edgeswitch',
];
/** Every vendor of this file. */
const VENDORS: readonly SimulatedVendorId[] = [
  'arubaos-switch',
  'dell-powerconnect',
  'dell-os10',
  'dell-dnos',
  'cisco-smb',
  'cisco-aireos',
  'extreme-exos',
  'extreme-voss',
  'ubiquiti-edgeswitch',
  'nokia-sros',
];

const devices: SimulatedDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((device) => device.close()));
});

async function backUp(
  vendor: SimulatedVendorId,
  personality: SimulatedPersonality | SimulatedVendorId,
  config: string,
  options: { enableSecret?: string; privileged?: boolean } = {},
) {
  const device = await startSimulatedDevice({
    vendor: personality,
    config,
    ...(options.privileged === false ? { privilege: { enableSecret: ENABLE_SECRET } } : {}),
  });
  devices.push(device);
  const result = await collectConfig({
    device: { id: `sw-${vendor}`, host: device.host, port: device.port, vendor },
    credentials: {
      username: 'admin',
      password: 'admin',
      ...(options.enableSecret === undefined ? {} : { enableSecret: options.enableSecret }),
    },
    commandTimeoutMs: 5_000,
  });
  return { device, result };
}

/** The sample configuration with 60 more lines, so that a device that keeps paging pages it. */
function longConfig(vendor: SimulatedVendorId): string {
  const lines = sampleConfig(vendor).split('\n');
  const extra = Array.from({ length: 60 }, (_, n) => `snmp-server location "rack ${n} # >"`);
  return [lines[0]!, ...extra, ...lines.slice(1)].join('\n');
}

describe.each(PRIVILEGED)('%s from the unprivileged prompt', (vendor) => {
  it('steps up with the enable secret, then backs up', async () => {
    const config = sampleConfig(vendor);
    const { device, result } = await backUp(vendor, vendor, config, {
      enableSecret: ENABLE_SECRET,
      privileged: false,
    });
    expect(device.commands[0]).toBe('enable');
    expect(device.commands).not.toContain(ENABLE_SECRET);
    expect(result.text).toContain(normalizeConfig(vendor, config).text);
  });
});

describe('cisco-aireos: the login inside the SSH shell', () => {
  it('answers User: and Password: with the credentials, then backs up', async () => {
    const config = sampleConfig('cisco-aireos');
    const { device, result } = await backUp('cisco-aireos', 'cisco-aireos', config);
    expect(result.text).toContain('sysname WLC-01\n');
    // Neither the username nor the password is taken for a command.
    expect(device.commands.slice(0, 2)).toEqual([
      'config paging disable',
      'show run-config commands',
    ]);
    expect(device.commands).not.toContain('admin');
  });

  it('is auth-failed when the controller refuses the password, and never quotes it', async () => {
    const password = 'Wr0ng-shell-password';
    const key = utils.generateKeyPairSync('ed25519');
    const device = await startSimulatedDevice({
      vendor: 'cisco-aireos',
      config: sampleConfig('cisco-aireos'),
      credentials: { username: 'admin', password: 'right-one', authorizedKeys: [key.public] },
    });
    devices.push(device);
    // The key passes SSH authentication; the shell asks again and refuses this password.
    const error: unknown = await collectConfig({
      device: { id: 'wlc-1', host: device.host, port: device.port, vendor: 'cisco-aireos' },
      credentials: { username: 'admin', privateKey: key.private, password },
      commandTimeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(isBackupError(error) ? error.kind : error).toBe('auth-failed');
    expect(isBackupError(error) ? error.details : undefined).toMatchObject({
      stage: 'shell-login',
    });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(password);
  });
});

describe('extreme-voss from VSP-4450GSX:1>', () => {
  it("steps up with an enable that asks no password (enableSecret '')", async () => {
    const config = sampleConfig('extreme-voss');
    const device = await startSimulatedDevice({
      vendor: 'extreme-voss',
      config,
      privilege: { enableSecret: '' },
    });
    devices.push(device);
    const result = await collectConfig({
      device: { id: 'vsp-1', host: device.host, port: device.port, vendor: 'extreme-voss' },
      credentials: { username: 'admin', password: 'admin', enableSecret: '' },
      commandTimeoutMs: 5_000,
    });
    expect(device.commands.slice(0, 3)).toEqual([
      'enable',
      'terminal more disable',
      'show running-config',
    ]);
    expect(result.text).toContain(normalizeConfig('extreme-voss', config).text);
  });
});

describe('extreme-exos: a prompt that counts commands', () => {
  it('finds the end of every command although the prompt number moves', async () => {
    const config = sampleConfig('extreme-exos');
    const { device, result } = await backUp('extreme-exos', 'extreme-exos', config);
    expect(device.commands.slice(0, 2)).toEqual([
      'disable clipaging session',
      'show configuration',
    ]);
    expect(result.text).toContain(normalizeConfig('extreme-exos', config).text);
  });
});

describe.each(VENDORS)('%s on a device that keeps paging', (vendor) => {
  it('answers every pager prompt and leaves no remnant of it', async () => {
    const base = simulatedPersonality(vendor);
    const paging: SimulatedPersonality = {
      ...base,
      pageLines: 9,
      respond(command, session) {
        const reply = base.respond(command, session);
        session.paging = true;
        return reply;
      },
    };
    const config = longConfig(vendor);
    const { result } = await backUp(vendor, paging, config);
    expect(result.text).toContain(normalizeConfig(vendor, config).text);
    expect(result.text).not.toMatch(/more/i);
  });
});
