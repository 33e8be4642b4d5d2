/**
 * What collectConfig promises its callers beyond the configuration: the version a collector
 * detects, one owner of the time limit, and which results carry a hash that need not be computed
 * again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError } from '../../src/core/errors.js';
import { createCollectorRegistry, defineCollector } from '../../src/collectors/index.js';
import { collectConfig, hasNormalizedHash } from '../../src/ssh/collect.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

let device: SimulatedDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

const credentials = { username: 'admin', password: 'admin' };
const files = { '/etc/acme.conf': 'acme-os 4.2.1\nhostname acme1\nend\n' };

describe('collectConfig contracts', () => {
  it("takes the device's version from its collector's detectVersion, for any vendor", async () => {
    device = await startSimulatedDevice({ vendor: 'linux', config: '', files });
    const collectors = createCollectorRegistry([
      defineCollector({
        vendor: 'acme-os',
        commands: ['cat /etc/acme.conf'],
        detectVersion: (head) => /^acme-os (\S+)/m.exec(head)?.[1],
      }),
    ]);
    const result = await collectConfig({
      device: { id: 'acme1', host: device.host, port: device.port, vendor: 'acme-os' },
      credentials,
      collectors,
    });
    expect(result.deviceVersion).toBe('4.2.1');
  });

  it('reports no version for a collector that declares no detectVersion', async () => {
    device = await startSimulatedDevice({ vendor: 'linux', config: '', files });
    const collectors = createCollectorRegistry([
      defineCollector({ vendor: 'acme-os', commands: ['cat /etc/acme.conf'] }),
    ]);
    const result = await collectConfig({
      device: { id: 'acme1', host: device.host, port: device.port, vendor: 'acme-os' },
      credentials,
      collectors,
    });
    expect(result.deviceVersion).toBeUndefined();
  });

  it('leaves the time limit to a caller that enforces it through the signal', async () => {
    device = await startSimulatedDevice({
      vendor: 'routeros',
      config:
        sampleConfig('routeros') +
        '/ip firewall filter\nadd chain=input action=accept\n'.repeat(100),
      faults: { slowDrip: { bytes: 16, intervalMs: 50 } },
    });
    const callers = new BackupError({
      kind: 'time-limit',
      deviceId: 'r1',
      message: 'r1: the caller’s own time limit',
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(callers), 1_200);
    const started = Date.now();
    const error = await collectConfig({
      device: { id: 'r1', host: device.host, port: device.port, vendor: 'routeros' },
      credentials,
      timeLimitMs: 300,
      timeLimitEnforcedBySignal: true,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    clearTimeout(timer);
    // Not collectConfig's own timer at 300 ms, with its own message: the caller's, as it is.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    expect(error).toBe(callers);
  });

  it('marks its own results as carrying the hash of their text, and nothing else', async () => {
    device = await startSimulatedDevice({ vendor: 'routeros', config: sampleConfig('routeros') });
    const result = await collectConfig({
      device: { id: 'r1', host: device.host, port: device.port, vendor: 'routeros' },
      credentials,
    });
    expect(hasNormalizedHash(result)).toBe(true);
    expect(hasNormalizedHash({ ...result })).toBe(false);
    const changed = result;
    changed.text += '# appended\n';
    expect(hasNormalizedHash(changed)).toBe(false);
  });
});
