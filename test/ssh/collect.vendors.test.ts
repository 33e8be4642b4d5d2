/** Every built-in vendor end to end: collectConfig against its simulated device. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCollectorRegistry } from '../../src/collectors/registry.js';
import { linuxCollector } from '../../src/collectors/vendors/linux.js';
import { normalizeConfig } from '../../src/collectors/normalize.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { isBackupError } from '../../src/core/errors.js';
import {
  SIMULATED_VENDOR_IDS,
  simulatedPersonality,
  startSimulatedDevice,
} from '../../src/testing/simulated/index.js';
import type { SimulatedDevice, SimulatedPersonality } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const credentials = { username: 'admin', password: 'admin' };
const devices: SimulatedDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
});

// Linux backs up files rather than one configuration: it has a test of its own below.
const CONFIG_VENDORS = SIMULATED_VENDOR_IDS.filter((vendor) => vendor !== 'linux');

describe('collectConfig against each built-in vendor', () => {
  it.each(CONFIG_VENDORS)(
    'collects and normalizes a %s configuration, the same hash twice',
    async (vendor) => {
      const config = sampleConfig(vendor);
      // Change times that move on every read, where the vendor prints them (IOS, Junos).
      const device = await startSimulatedDevice({
        vendor,
        config,
        faults: { volatileChangeTimes: true },
      });
      devices.push(device);
      const target = { id: `sim-${vendor}`, host: device.host, port: device.port, vendor };
      const first = await collectConfig({ device: target, credentials, commandTimeoutMs: 5_000 });
      const second = await collectConfig({ device: target, credentials, commandTimeoutMs: 5_000 });
      // Devices add stable header lines of their own (e.g. `!Command: show running-config`).
      expect(first.text).toContain(normalizeConfig(vendor, config).text);
      expect(first.vendor).toBe(vendor);
      expect(first.hostKeyFingerprint).toBe(device.hostKeyFingerprint);
      // Volatile header lines change on every read; the hash must not.
      expect(second.sha256).toBe(first.sha256);
      await device.close();
    },
  );

  it('collects the configured files of a linux host', async () => {
    const device = await startSimulatedDevice({
      vendor: 'linux',
      config: sampleConfig('linux'),
      files: { '/etc/hostname': 'host-1\n' },
    });
    devices.push(device);
    const collectors = createCollectorRegistry();
    collectors.register(linuxCollector({ files: ['/etc/hostname', '/etc/network/interfaces'] }), {
      replace: true,
    });
    const result = await collectConfig({
      device: { id: 'sim-linux', host: device.host, port: device.port, vendor: 'linux' },
      credentials,
      collectors,
    });
    expect(result.text).toContain('host-1\n');
    expect(result.text).toContain('iface eth0 inet static\n');
    await device.close();
  });

  it('uses /export show-sensitive on RouterOS 7 and /export on RouterOS 6', async () => {
    const config = sampleConfig('routeros');
    const v7 = await startSimulatedDevice({ vendor: 'routeros', config, version: '7.16.2' });
    const v6 = await startSimulatedDevice({ vendor: 'routeros', config, version: '6.48.6' });
    devices.push(v7, v6);
    const r7 = await collectConfig({
      device: { id: 'v7', host: v7.host, port: v7.port, vendor: 'routeros', version: '7.16.2' },
      credentials,
    });
    const r6 = await collectConfig({
      device: { id: 'v6', host: v6.host, port: v6.port, vendor: 'routeros', version: '6.48.6' },
      credentials,
    });
    expect(v7.commands).toEqual(['/export show-sensitive']);
    expect(v6.commands).toEqual(['/export']);
    expect(r7.deviceVersion).toBe('7.16.2');
    expect(r6.deviceVersion).toBe('6.48.6');
    expect(r6.text).toBe(r7.text);
  });

  it('falls back to /export when a RouterOS of unknown version rejects show-sensitive', async () => {
    const device = await startSimulatedDevice({
      vendor: 'routeros',
      config: sampleConfig('routeros'),
      version: '6.49.10',
    });
    devices.push(device);
    const result = await collectConfig({
      device: { id: 'v6-unknown', host: device.host, port: device.port, vendor: 'routeros' },
      credentials,
    });
    expect(device.commands).toEqual(['/export show-sensitive', '/export']);
    expect(result.text).toBe(normalizeConfig('routeros', sampleConfig('routeros')).text);
    expect(result.deviceVersion).toBe('6.49.10');
  });

  it('reports a RouterOS that rejects both export forms as command-failed, naming both', async () => {
    const v6 = simulatedPersonality('routeros', { version: '6.48.6' });
    // A device that knows neither form: the fallback's syntax error is the device's answer too.
    const neither: SimulatedPersonality = {
      ...v6,
      respond: (command, session) =>
        command === '/export'
          ? { kind: 'output', text: 'syntax error (line 1 column 2)\n' }
          : v6.respond(command, session),
    };
    const device = await startSimulatedDevice({
      vendor: neither,
      config: sampleConfig('routeros'),
    });
    devices.push(device);
    const error = await collectConfig({
      device: { id: 'v-none', host: device.host, port: device.port, vendor: 'routeros' },
      credentials,
    }).catch((e: unknown) => e);
    if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
    expect(device.commands).toEqual(['/export show-sensitive', '/export']);
    expect(error.kind).toBe('command-failed');
    expect(error.message).toContain('"/export"');
    expect(error.message).toContain('/export show-sensitive');
    expect(error.details).toMatchObject({
      command: '/export',
      rejectedCommand: '/export show-sensitive',
    });
  });
});
