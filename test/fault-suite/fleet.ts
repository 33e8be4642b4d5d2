/**
 * The fleet of the fault suite (test/fault-suite.test.ts): 240 clean devices of mixed vendors and
 * 60 devices with a fault of the simulator each, every device with its own configuration (a marker
 * `dev<NNN>` in it) and the outcome it must come to.
 */
import { createServer } from 'node:net';
import type { BackupErrorKind } from '../../src/core/errors.js';
import {
  generateHostKey,
  SIMULATED_VENDOR_IDS,
  type SimulatedDeviceOptions,
  type SimulatedFaults,
  type SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

/** Deadlines and limits of the run: short, so that every fault ends quickly. */
export const LIMITS = {
  connectTimeoutMs: 2_000,
  commandTimeoutMs: 3_000,
  timeLimitMs: 8_000,
  maxOutputBytes: 4 * 1024 * 1024,
} as const;

/** How long the `outputDelayMs` devices wait before answering: slow, but within the deadlines. */
export const OUTPUT_DELAY_MS = 1_500;

/** What one device of the plan is, and what its backup must come to. */
export interface PlannedDevice {
  readonly id: string;
  readonly vendor: SimulatedVendorId;
  /** The fault, e.g. `stallMidOutput`, or `clean`. */
  readonly label: string;
  readonly options: SimulatedDeviceOptions;
  /** `success`, or the error kind its attempt must fail with. */
  readonly expected: 'success' | BackupErrorKind;
  /** Pinned in the host-key store before the run: `own` (its key), `other` (another key), none. */
  readonly pin?: 'own' | 'other';
  /** The marker in its configuration, also in the published text. */
  readonly marker: string;
}

interface FaultGroup {
  readonly label: string;
  readonly expected: 'success' | BackupErrorKind;
  readonly faults?: SimulatedFaults;
  readonly pin?: 'own' | 'other';
  /** Host key and algorithms the device offers (negotiation and RSA cases). */
  readonly rsaOnly?: readonly string[];
  readonly vendors: readonly SimulatedVendorId[];
}

/**
 * Every fault of the simulator, on exec and shell vendors, with the error kind collectConfig reports
 * for it (as test/ssh/collect.faults.test.ts shows for single devices). 53 devices must fail, 7
 * misbehave within the deadlines and must succeed.
 *
 * Left out, because the device then cannot be told apart from a healthy one: `partialConfig` on
 * RouterOS (an export has no end marker, so half of it that ends cleanly, exit status 0, is a
 * complete-looking shorter export) and `promptNeverShown` on exec vendors (no prompt is waited for).
 */
const FAULT_GROUPS: readonly FaultGroup[] = [
  {
    label: 'wrongCredentials',
    expected: 'auth-failed',
    faults: { wrongCredentials: true },
    vendors: ['routeros', 'routeros', 'routeros', 'cisco-ios', 'cisco-ios', 'junos'],
  },
  {
    label: 'hostKeyMismatch',
    expected: 'host-key-mismatch',
    pin: 'other',
    vendors: ['routeros', 'routeros', 'cisco-ios', 'junos'],
  },
  {
    label: 'stallAfterAccept',
    expected: 'connect-timeout',
    faults: { stallAfterAccept: true },
    vendors: ['routeros', 'routeros', 'cisco-ios'],
  },
  {
    label: 'stallMidHandshake',
    expected: 'connect-timeout',
    faults: { stallMidHandshake: true },
    vendors: ['routeros', 'cisco-ios', 'cisco-ios'],
  },
  {
    label: 'stallMidOutput',
    expected: 'command-timeout',
    faults: { stallMidOutput: true },
    vendors: ['routeros', 'routeros', 'cisco-ios', 'arista-eos', 'junos'],
  },
  {
    label: 'promptNeverShown',
    expected: 'command-timeout',
    faults: { promptNeverShown: true },
    vendors: ['cisco-ios', 'cisco-ios', 'huawei-vrp'],
  },
  {
    label: 'endlessOutput',
    expected: 'output-too-large',
    faults: { endlessOutput: true },
    vendors: ['routeros', 'routeros', 'cisco-ios', 'junos', 'fortios'],
  },
  {
    label: 'binaryOutput',
    expected: 'invalid-output',
    faults: { binaryOutput: true },
    vendors: ['routeros', 'routeros', 'cisco-ios', 'cisco-nxos', 'cisco-asa'],
  },
  {
    label: 'disconnectMidOutput(connection)',
    expected: 'truncated-output',
    faults: { disconnectMidOutput: 'connection' },
    vendors: ['routeros', 'cisco-ios'],
  },
  {
    label: 'disconnectMidOutput(channel)',
    expected: 'truncated-output',
    faults: { disconnectMidOutput: 'channel' },
    vendors: ['routeros', 'vyos'],
  },
  {
    label: 'connectionRefused',
    expected: 'connection-refused',
    faults: { connectionRefused: true },
    vendors: ['routeros', 'routeros', 'cisco-ios'],
  },
  {
    label: 'partialConfig',
    expected: 'truncated-output',
    faults: { partialConfig: true },
    vendors: ['cisco-ios', 'cisco-ios', 'cisco-asa', 'huawei-vrp'],
  },
  {
    label: 'commandError',
    expected: 'command-failed',
    faults: { commandError: true },
    vendors: ['routeros', 'routeros', 'cisco-ios', 'fortios', 'vyos'],
  },
  {
    // The client refuses SHA-1 RSA (`ssh-rsa`) for every device; these offer nothing else.
    label: 'hostKeyAlgorithms(ssh-rsa only)',
    expected: 'negotiation-failed',
    rsaOnly: ['ssh-rsa'],
    vendors: ['routeros', 'routeros', 'cisco-ios'],
  },
  // Misbehaving within the deadlines: these must succeed.
  {
    label: 'slowDrip',
    expected: 'success',
    faults: { slowDrip: { bytes: 32, intervalMs: 10 } },
    vendors: ['routeros', 'cisco-ios', 'junos'],
  },
  {
    label: 'rekeyDuringOutput',
    expected: 'success',
    faults: { rekeyDuringOutput: true },
    pin: 'own',
    vendors: ['routeros', 'cisco-ios'],
  },
  {
    label: 'outputDelayMs',
    expected: 'success',
    faults: { outputDelayMs: OUTPUT_DELAY_MS },
    vendors: ['routeros', 'cisco-ios'],
  },
];

/** How many of the 240 clean devices play each vendor: mostly RouterOS and IOS, some of every other. */
const CLEAN_VENDORS: readonly [SimulatedVendorId, number][] = spread(240, {
  routeros: 110,
  'cisco-ios': 79,
});

/** `fixed` as it is, and what is left of `total` shared as evenly as can be by the other vendors. */
function spread(
  total: number,
  fixed: Partial<Record<SimulatedVendorId, number>>,
): [SimulatedVendorId, number][] {
  const others = SIMULATED_VENDOR_IDS.filter((vendor) => fixed[vendor] === undefined);
  const left = total - Object.values(fixed).reduce((sum, count) => sum + count, 0);
  return SIMULATED_VENDOR_IDS.map((vendor) => {
    const at = others.indexOf(vendor);
    const count =
      fixed[vendor] ?? Math.floor(left / others.length) + (at < left % others.length ? 1 : 0);
    return [vendor, count];
  });
}

/** The files the built-in `linux` collector reads by default. */
function linuxFiles(marker: string): Record<string, string> {
  return {
    '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
    '/etc/hostname': `${marker}\n`,
    '/etc/hosts': `127.0.0.1 localhost\n192.0.2.7 ${marker}\n`,
  };
}

/** The vendor's sample configuration for a device named `marker`. */
export function configFor(vendor: SimulatedVendorId, marker: string): string {
  const config = sampleConfig(vendor, marker);
  if (!config.includes(marker)) throw new Error(`the ${vendor} sample does not name its device`);
  return config;
}

/**
 * A loopback address of its own for the `connectionRefused` devices. The simulator frees their port
 * again, and on a busy machine another process's server (a simulated fleet of another test file or a
 * benchmark, on 127.0.0.1) can take it and answer — seen here under load, as a "success" of a refused
 * device. Nothing else listens on this address. Falls back to 127.0.0.1 where only that one exists.
 */
export async function refusedHost(): Promise<string> {
  const candidate = '127.83.0.1';
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: candidate, port: 0 }, resolve);
    });
    return candidate;
  } catch {
    return '127.0.0.1';
  } finally {
    await new Promise<void>((resolve) =>
      server.listening ? server.close(() => resolve()) : resolve(),
    );
  }
}

/** A seeded PRNG (mulberry32): the same plan and jitter on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The 300 devices, shuffled (seeded) so that faulty ones are spread over the run. Ids `dev000` …
 * `dev299` are in shuffled order; the markers equal the ids. The `connectionRefused` devices listen
 * (and stop listening) on `refusedOn`, see {@link refusedHost}.
 */
export function planFleet(random: () => number, refusedOn = '127.0.0.1'): PlannedDevice[] {
  type Draft = Omit<PlannedDevice, 'id' | 'marker' | 'options'> & {
    vendor: SimulatedVendorId;
    faults?: SimulatedFaults;
    rsaOnly?: readonly string[];
  };
  const drafts: Draft[] = [];
  for (const group of FAULT_GROUPS) {
    for (const vendor of group.vendors) {
      drafts.push({
        label: group.label,
        expected: group.expected,
        vendor,
        ...(group.faults ? { faults: group.faults } : {}),
        ...(group.pin ? { pin: group.pin } : {}),
        ...(group.rsaOnly ? { rsaOnly: group.rsaOnly } : {}),
      });
    }
  }
  for (const [vendor, count] of CLEAN_VENDORS) {
    for (let i = 0; i < count; i++) {
      drafts.push({
        label: 'clean',
        expected: 'success',
        vendor,
        // Half of the clean devices are pinned already (pinned and equal), half trust on first use.
        ...(i % 2 === 0 ? { pin: 'own' as const } : {}),
      });
    }
  }
  // Two clean devices with an RSA key that offer rsa-sha2-512: the ssh-rsa restriction spares them.
  for (const draft of drafts
    .filter((d) => d.label === 'clean' && d.vendor === 'routeros')
    .slice(0, 2))
    draft.rsaOnly = ['rsa-sha2-512'];

  for (let i = drafts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!];
  }
  return drafts.map((draft, index) => {
    const id = `dev${String(index).padStart(3, '0')}`;
    const options: SimulatedDeviceOptions = {
      vendor: draft.vendor,
      config: configFor(draft.vendor, id),
      ...(draft.vendor === 'linux' ? { files: linuxFiles(id) } : {}),
      ...(draft.faults ? { faults: draft.faults } : {}),
      ...(draft.faults?.connectionRefused ? { host: refusedOn } : {}),
      ...(draft.rsaOnly
        ? { hostKey: generateHostKey('rsa'), hostKeyAlgorithms: draft.rsaOnly }
        : {}),
    };
    return {
      id,
      vendor: draft.vendor,
      label: draft.label,
      options,
      expected: draft.expected,
      marker: id,
      ...(draft.pin ? { pin: draft.pin } : {}),
    };
  });
}

/**
 * How long one device's attempt (from `backup:start` to its outcome, publishing included) may take
 * by the deadlines: the deadline its fault runs into, or the time a healthy exchange needs.
 */
export function attemptBudgetMs(device: PlannedDevice): number {
  switch (device.expected) {
    case 'connect-timeout':
      return LIMITS.connectTimeoutMs;
    case 'command-timeout':
      return LIMITS.commandTimeoutMs;
    case 'success':
      return device.label === 'outputDelayMs' ? OUTPUT_DELAY_MS + 1_000 : 1_000;
    default:
      // Refused, rejected or cut short: no deadline is involved.
      return 1_000;
  }
}
