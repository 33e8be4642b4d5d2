/** Backspaces in a shell's output, replayed once for the error check and again by normalization. */
import { afterEach, describe, expect, it } from 'vitest';
import { collectConfig } from '../../src/ssh/collect.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const credentials = { username: 'admin', password: 'admin' };
const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((device) => device.close()));
});

describe('a shell output with backspaces', () => {
  it('erases a whole non-ASCII character, so the configuration stays UTF-8', async () => {
    const config = sampleConfig('cisco-ios').replace(
      ' description uplink # to core>',
      ' description caf\u00e9\b\u00e8 \u20ac\b$',
    );
    const device = await startSimulatedDevice({ vendor: 'cisco-ios', config });
    open.push(device);
    const result = await collectConfig({
      device: { id: 'sw1', host: device.host, port: device.port, vendor: 'cisco-ios' },
      credentials,
      commandTimeoutMs: 5_000,
    });
    expect(result.encoding).toBeUndefined();
    expect(result.text).toContain(' description caf\u00e8 $\n');
  });
});
