// The test of examples/custom-collector, run by `npm test` against the sources.
import { afterEach, describe, expect, it } from 'vitest';
import { collectConfig, createCollectorRegistry, normalizeConfig, type Device } from 'confsnap';
import { startSimulatedDevice, type SimulatedDevice, type SimulatedFaults } from 'confsnap/testing';
import { acmeOs } from '../../examples/custom-collector/acme-os.js';
import { acmePersonality } from '../../examples/custom-collector/acme-os.personality.js';

const collectors = createCollectorRegistry([acmeOs]);
const credentials = { username: 'admin', password: 'admin' };
const CONFIG =
  Array.from({ length: 30 }, (_, i) => `port ${i + 1}\n  vlan 10\n`).join('') +
  'secret admin hash $6$abc\n';

describe('acme-os normalization (no network)', () => {
  it('drops volatile lines, masks hashes and is idempotent', () => {
    const raw =
      '# generated at 2026-03-07T12:00:00Z\r\nhostname edge1   \r\n\r\n\r\n' +
      'secret admin hash $6$xyz\r\n# end of config\r\n';
    const { text } = normalizeConfig(acmeOs, raw);
    expect(text).toBe('hostname edge1\n\nsecret admin hash <masked>\n# end of config\n');
    expect(normalizeConfig(acmeOs, text).text).toBe(text);
  });
});

describe('acme-os against a simulated device', () => {
  let sim: SimulatedDevice | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function collect(faults: SimulatedFaults = {}) {
    sim = await startSimulatedDevice({ vendor: acmePersonality, config: CONFIG, faults });
    const device: Device = { id: 'edge1', host: sim.host, port: sim.port, vendor: 'acme-os' };
    return collectConfig({ device, credentials, collectors, commandTimeoutMs: 2_000 });
  }

  it('collects the whole configuration with a stable hash', async () => {
    const first = await collect();
    expect(first.vendor).toBe('acme-os');
    expect(first.text).toContain('port 30\n  vlan 10\n');
    expect(first.text).not.toContain('# generated at');
    expect(sim!.commands).toEqual(['terminal paging off', 'show config', 'logout']);

    const again = await collectConfig({
      device: { id: 'edge1', host: sim!.host, port: sim!.port, vendor: 'acme-os' },
      credentials,
      collectors,
    });
    expect(again.sha256).toBe(first.sha256); // the volatile line changed, the hash did not
  });

  it.each([
    [{ commandError: true }, 'command-failed'],
    [{ partialConfig: true }, 'truncated-output'],
    [{ wrongCredentials: true }, 'auth-failed'],
    [{ promptNeverShown: true }, 'command-timeout'],
  ] as const)('reports %o as %s', async (faults, kind) => {
    await expect(collect(faults)).rejects.toMatchObject({ kind });
  });
});
