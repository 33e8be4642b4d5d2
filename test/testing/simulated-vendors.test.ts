/** What every built-in simulated personality promises, driven by the one list of built-in vendors. */
import { describe, expect, it } from 'vitest';
import { createCollectorRegistry } from '../../src/collectors/index.js';
import { SIMULATED_VENDOR_IDS, simulatedPersonality } from '../../src/testing/simulated/index.js';

const collectors = createCollectorRegistry();

describe.each(SIMULATED_VENDOR_IDS)('the %s personality', (vendor) => {
  const personality = simulatedPersonality(vendor);

  it('pairs with the built-in collector of the same vendor and mode', () => {
    expect(personality.vendor).toBe(vendor);
    expect(collectors.get(vendor)?.mode).toBe(personality.mode);
  });

  it('has a sample configuration that names its device', () => {
    expect(personality.sampleConfig('lab-dev-17')).toContain('lab-dev-17');
    expect(personality.sampleConfig('other')).not.toContain('lab-dev-17');
  });

  // That the device's answer to it (headers included) is whole by the built-in collector is
  // test/ssh/collect.vendors.test.ts: collectConfig would fail with truncated-output.
  it('has a sample configuration with `\\n` line ends, ending in one', () => {
    const config = personality.sampleConfig('lab-dev-17');
    expect(config).not.toContain('\r');
    expect(config).toMatch(/[^\n]\n$/);
  });

  it('has a sample configuration with `#` and `>` in it, which a careless reader takes for a prompt', () => {
    const config = personality.sampleConfig('lab-dev-17');
    expect(config).toMatch(/#.*>/);
  });
});
