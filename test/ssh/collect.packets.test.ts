/**
 * Shell output must not depend on how the device packetizes it: the same session split into
 * SSH data packets of 1 to 13 bytes, anywhere (inside a prompt, a pager prompt and its erase, a
 * `\r\n`, an escape sequence), gives the same text and hash as the same session unsplit.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { collectConfig, type CollectResult } from '../../src/ssh/collect.js';
import {
  generateHostKey,
  SIMULATED_VENDOR_IDS,
  simulatedPersonality,
  startSimulatedDevice,
} from '../../src/testing/simulated/index.js';
import type {
  SimulatedDevice,
  SimulatedFaults,
  SimulatedPersonality,
  SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const SHELL_VENDORS = SIMULATED_VENDOR_IDS.filter(
  (vendor) => simulatedPersonality(vendor).mode === 'shell',
);

const credentials = { username: 'admin', password: 'admin' };
// One host key for every device: no key generation per run (and none of the rare ed25519 keys
// ssh2 cannot read back).
const hostKey = generateHostKey();
const open: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((device) => device.close()));
});

/** What each vendor's pager prompt reads: a configuration line may end in it too. */
const PAGER_TEXT: Readonly<Record<string, string>> = {
  'cisco-asa': '<--- More --->',
  'huawei-vrp': '---- More ----',
};

/**
 * The vendor's sample configuration with 40 indented lines more, after its first two lines (so
 * its end marker stays last): enough for several pages, indentation a stray blank would shift, and
 * lines that end in what the vendor's pager prompt reads.
 */
function longConfig(vendor: SimulatedVendorId): string {
  const lines = sampleConfig(vendor).split('\n');
  const extra: string[] = [];
  for (let n = 1; n <= 10; n++) {
    if (vendor === 'fortios') {
      extra.push('config firewall address', `    edit "host-${n} --More--"`);
      extra.push(`        set subnet 192.0.2.${n} 255.255.255.255`, '    next', 'end');
    } else if (vendor === 'cumulus') {
      // YAML: more ports under the sample's `interface:` mapping.
      extra.push(`      swp${n + 10}:`, `        description: 'port ${n} # > --More--'`);
      extra.push(`        mtu: 9216`, `        type: swp`);
    } else if (vendor === 'vyos') {
      extra.push(`set interfaces ethernet eth${n} description 'port ${n} # > --More--'`);
      extra.push(`set interfaces ethernet eth${n} address '198.51.100.${n}/32'`);
      extra.push(`set interfaces ethernet eth${n} mtu '1500'`);
      extra.push(`set interfaces ethernet eth${n} speed 'auto'`);
    } else {
      extra.push(
        `interface Loopback${n}`,
        `  description loop ${n} # > ${PAGER_TEXT[vendor] ?? '--More--'}`,
      );
      extra.push(
        `  ip address 198.51.100.${n} 255.255.255.255`,
        // EFOS closes every interface block with `exit`, and counts them to tell a whole output.
        vendor === 'huawei-vrp' ? '#' : vendor === 'efos' ? 'exit' : '!',
      );
    }
  }
  const at =
    vendor === 'fortios' || vendor === 'vyos'
      ? 0
      : vendor === 'cumulus'
        ? lines.indexOf('    interface:') + 1
        : 2;
  return [...lines.slice(0, at), ...extra, ...lines.slice(at)].join('\n');
}

/** The vendor's device, except that it keeps paging whatever the collector sends to stop it. */
function alwaysPaging(vendor: SimulatedVendorId): SimulatedPersonality {
  const base = simulatedPersonality(vendor);
  return {
    ...base,
    pageLines: 7,
    respond(command, session) {
      const reply = base.respond(command, session);
      session.paging = true;
      return reply;
    },
  };
}

async function collect(
  vendor: SimulatedVendorId,
  personality: SimulatedPersonality | SimulatedVendorId,
  config: string,
  faults: SimulatedFaults = {},
): Promise<CollectResult> {
  const device = await startSimulatedDevice({ vendor: personality, config, hostKey, faults });
  open.push(device);
  try {
    return await collectConfig({
      device: { id: `packets-${vendor}`, host: device.host, port: device.port, vendor },
      credentials,
      commandTimeoutMs: 5_000,
    });
  } finally {
    open.splice(open.indexOf(device), 1);
    await device.close();
  }
}

describe('shell output split into small packets', () => {
  it('keeps FortiOS indentation when the pager erase arrives in pieces', async () => {
    const config = longConfig('fortios');
    const whole = await collect('fortios', 'fortios', config);
    // Pages of 24 lines: the configuration spans several, each ended by `--More--` and its erase.
    expect(whole.text).toContain('\n        set subnet 192.0.2.3 255.255.255.255\n');
    for (const seed of [1, 2, 3]) {
      const split = await collect('fortios', 'fortios', config, {
        packetize: { minBytes: 1, maxBytes: 13, seed },
      });
      expect(split.text).toBe(whole.text);
      expect(split.sha256).toBe(whole.sha256);
    }
  });

  for (const vendor of SHELL_VENDORS) {
    for (const [label, personality] of [
      ['as the collector sets it up', vendor],
      ['on a device that keeps paging', alwaysPaging(vendor)],
    ] as const) {
      it(`gives ${vendor} the same text and hash wherever packets split, ${label}`, async () => {
        const config = longConfig(vendor);
        const whole = await collect(vendor, personality, config);
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            fc.integer({ min: 1, max: 13 }),
            async (seed, maxBytes) => {
              const split = await collect(vendor, personality, config, {
                packetize: { minBytes: 1, maxBytes, seed },
              });
              expect(split.text).toBe(whole.text);
              expect(split.sha256).toBe(whole.sha256);
            },
          ),
          { numRuns: 10 },
        );
      });
    }
  }
});
