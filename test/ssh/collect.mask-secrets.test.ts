/** SPEC §9 end to end: collectConfig and the scheduler against simulated devices, secrets masked. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createCollectorRegistry } from '../../src/collectors/registry.js';
import { SECRET_PLACEHOLDER } from '../../src/collectors/secrets.js';
import { linuxCollector } from '../../src/collectors/vendors/linux.js';
import { toWireJson } from '../../src/publish/snapshot.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import {
  SIMULATED_VENDOR_IDS,
  startSimulatedDevice,
  type SimulatedDevice,
} from '../../src/testing/simulated/index.js';
import { SECRET_VALUES } from '../fixtures/secret-values.js';

const credentials = { username: 'admin', password: 'admin' };
const devices: SimulatedDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((device) => device.close()));
});

const fixture = (vendor: string): { config: string; secrets: readonly string[] } => {
  const name = `${vendor}-secrets.raw`;
  return {
    config: readFileSync(new URL(`../fixtures/vectors/${name}`, import.meta.url), 'latin1'),
    secrets: SECRET_VALUES[name]!,
  };
};

const CONFIG_VENDORS = SIMULATED_VENDOR_IDS.filter((vendor) => vendor !== 'linux');

async function simulate(
  vendor: (typeof SIMULATED_VENDOR_IDS)[number],
  config: string,
): Promise<SimulatedDevice> {
  const device = await startSimulatedDevice({ vendor, config });
  devices.push(device);
  return device;
}

describe('collectConfig with maskSecrets', () => {
  it.each(CONFIG_VENDORS)('publishes no %s secret, and says so', async (vendor) => {
    const { config, secrets } = fixture(vendor);
    const sim = await simulate(vendor, config);
    const device = { id: `sim-${vendor}`, host: sim.host, port: sim.port, vendor };
    const masked = await collectConfig({ device, credentials, maskSecrets: true });
    for (const secret of secrets) expect(masked.text, secret).not.toContain(secret);
    expect(masked.text).toContain(SECRET_PLACEHOLDER);
    expect(masked.secretsMasked).toBe(true);

    const kept = await collectConfig({ device, credentials });
    expect(kept.secretsMasked).toBeUndefined();
    expect(secrets.some((secret) => kept.text.includes(secret))).toBe(true);
  });

  it('masks the key file of a linux host', async () => {
    const { config, secrets } = fixture('linux');
    const sim = await startSimulatedDevice({
      vendor: 'linux',
      config,
      files: { '/etc/ssl/private/host.key': config },
    });
    devices.push(sim);
    const collectors = createCollectorRegistry();
    collectors.register(linuxCollector({ files: ['/etc/ssl/private/host.key'] }), {
      replace: true,
    });
    const result = await collectConfig({
      device: { id: 'sim-linux', host: sim.host, port: sim.port, vendor: 'linux' },
      credentials,
      collectors,
      maskSecrets: true,
    });
    for (const secret of secrets) expect(result.text).not.toContain(secret);
    expect(result.text).toContain('-----BEGIN PRIVATE KEY-----\n<secret hidden>\n-----END');
  });

  it('asks RouterOS for /export hide-sensitive, whatever its version', async () => {
    const { config } = fixture('routeros');
    const v6 = await startSimulatedDevice({ vendor: 'routeros', config, version: '6.48.6' });
    devices.push(v6);
    const result = await collectConfig({
      device: { id: 'v6', host: v6.host, port: v6.port, vendor: 'routeros', version: '6.48.6' },
      credentials,
      maskSecrets: true,
    });
    expect(v6.commands).toEqual(['/export hide-sensitive']);
    expect(result.text).not.toContain('n0c-ro');
  });

  it("lets a device's own maskSecrets win over the option", async () => {
    const { config, secrets } = fixture('cisco-ios');
    const sim = await simulate('cisco-ios', config);
    const base = { id: 'r1', host: sim.host, port: sim.port, vendor: 'cisco-ios' };
    const kept = await collectConfig({
      device: { ...base, maskSecrets: false },
      credentials,
      maskSecrets: true,
    });
    expect(kept.secretsMasked).toBeUndefined();
    expect(kept.text).toContain(secrets[0]);
    const masked = await collectConfig({ device: { ...base, maskSecrets: true }, credentials });
    expect(masked.secretsMasked).toBe(true);
    expect(masked.text).not.toContain(secrets[0]);
  });
});

describe('a scheduler with maskSecrets', () => {
  it('publishes the masked text with secrets_masked true in the wire JSON', async () => {
    const { config, secrets } = fixture('routeros');
    const sim = await simulate('routeros', config);
    const publisher = new MemorySnapshotPublisher();
    const scheduler = new BackupScheduler({
      devices: {
        list: () =>
          Promise.resolve([
            { id: 'r1', host: sim.host, port: sim.port, vendor: 'routeros', tenantId: 't' },
          ]),
      },
      credentials: { get: () => Promise.resolve(credentials) },
      publisher,
      maskSecrets: true,
      initialJitterMs: [3_600_000, 3_600_000],
    });
    await using _stopsScheduler = scheduler;
    await scheduler.start();
    expect(await scheduler.trigger('r1')).toMatchObject({ status: 'success' });
    const wire = JSON.parse(toWireJson(publisher.snapshots[0]!)) as Record<string, unknown>;
    expect(wire.secrets_masked).toBe(true);
    for (const secret of secrets) expect(wire.config_text).not.toContain(secret);
  });

  it('rejects a maskSecrets that is not a boolean, naming it', () => {
    expect(
      () =>
        new BackupScheduler({
          devices: { list: () => Promise.resolve([]) },
          credentials: { get: () => Promise.resolve(credentials) },
          publisher: new MemorySnapshotPublisher(),
          maskSecrets: 'yes' as unknown as boolean,
        }),
    ).toThrow(/maskSecrets must be true or false/);
  });
});
