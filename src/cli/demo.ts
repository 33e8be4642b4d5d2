import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { FileHostKeyStore, type BackupErrorKind } from '../index.js';
import {
  generateHostKey,
  SIMULATED_VENDOR_IDS,
  simulatedPersonality,
  startSimulatedFleet,
  type SimulatedDeviceOptions,
  type SimulatedFleet,
  type SimulatedVendorId,
} from '../testing/index.js';
import { DEFAULT_KNOWN_HOSTS_NAME, DEMO_USAGE, parseDemoArgs } from './args.js';
import { backupCommand } from './backup.js';
import { EXIT, reportCliError } from './exit.js';
import { formatDuration, writeLine, type CliIO } from './io.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './preflight.js';
import type { BackupSummary } from './summary.js';

/** The devices of the demo fleet. */
export const DEMO_FLEET_SIZE = 50;
/** The demo's connect and command deadline: the stalled device fails after this long. */
const DEMO_TIMEOUT_MS = 3_000;
const PASSWORD_VARIABLE = 'CONFSNAP_DEMO_PASSWORD';
const USERNAME = 'backup';

/** Every built-in vendor, RouterOS twice: a mix weighted like a real network, more routers than firewalls. */
const VENDOR_CYCLE: readonly SimulatedVendorId[] = SIMULATED_VENDOR_IDS.flatMap((vendor) =>
  vendor === 'routeros' ? [vendor, vendor] : [vendor],
);

/** The devices that fail on purpose, what is wrong with them, and the failure it must cause. */
interface PlannedFault {
  readonly id: string;
  readonly what: string;
  readonly expectedKind: BackupErrorKind;
}

const FAULTS: readonly PlannedFault[] = [
  { id: 'r13', what: 'wrong password', expectedKind: 'auth-failed' },
  { id: 'r27', what: 'changed host key', expectedKind: 'host-key-mismatch' },
  { id: 'r41', what: 'stalled', expectedKind: 'connect-timeout' },
];

/** Why each fault ends in the failure it does, and what confsnap does about it. */
const FAULT_EXPLANATIONS: Readonly<Record<string, string>> = {
  r13: 'the device refused the login. confsnap run stops trying it until the secret changes, instead of piling up failed logins on the account.',
  r27: 'the device presented another key than the one pinned, so confsnap sent no password at all. After a real swap, forget the old pin with:',
  r41: `one deadline (--timeout-ms ${DEMO_TIMEOUT_MS}) covers TCP connect, key exchange and login, so a stalled device costs ${DEMO_TIMEOUT_MS / 1_000} s instead of holding a slot forever.`,
};

const FAULT_DETAILS: Readonly<Record<string, string>> = {
  r13: 'the device does not accept the demo password',
  r27: 'another key is already pinned for it, as if the device had been swapped',
  r41: 'accepts TCP, then never finishes the SSH handshake',
};

/**
 * `confsnap demo`: backs up a simulated fleet with the same code as `confsnap backup`, explains
 * the failures, then shows an unchanged second run and a change in `git log -p`.
 */
export async function demoCommand(argv: readonly string[], io: CliIO): Promise<number> {
  if (parseDemoArgs(argv) === 'help') {
    io.stdout.write(DEMO_USAGE);
    return EXIT.ok;
  }
  const began = performance.now();
  const say = (line = ''): void => writeLine(io.stdout, line);
  const out = resolve(io.cwd, 'demo-output');
  const shownOut = relative(io.cwd, out) || out;
  const password = randomBytes(18).toString('base64url');
  try {
    await prepareDemoOutput(out);
  } catch (error) {
    if (!(error instanceof DemoOutputInUseError)) throw error;
    writeLine(io.stderr, `confsnap demo: ${error.message}`);
    return EXIT.usage;
  }
  const work = await mkdtemp(join(tmpdir(), 'confsnap-demo-'));
  let fleet: SimulatedFleet | undefined;
  try {
    say('confsnap demo: backing up a simulated fleet. Nothing leaves this machine.');
    say();

    const specs = fleetSpecs(password);
    say(`1. Starting ${specs.length} simulated SSH devices on 127.0.0.1 (${vendorCounts(specs)}).`);
    fleet = await startSimulatedFleet(specs.map(({ options }) => options));
    say(`   ${FAULTS.length} of them are faulty on purpose:`);
    for (const fault of FAULTS) {
      say(`     ${fault.id.padEnd(4)} ${fault.what.padEnd(17)} ${FAULT_DETAILS[fault.id] ?? ''}`);
    }
    const inventory = join(work, 'inventory.yaml');
    await writeFile(inventory, inventoryYaml(specs, fleet));
    // The pin a "changed host key" collides with: what an earlier backup would have left.
    await new FileHostKeyStore(join(out, DEFAULT_KNOWN_HOSTS_NAME)).set(
      'r27',
      generateHostKey().fingerprint,
    );
    say(`   Inventory: ${inventory} (the password comes from $${PASSWORD_VARIABLE})`);
    say();

    const argvOf = [
      '--inventory',
      inventory,
      '--out',
      out,
      '--git',
      '--timeout-ms',
      String(DEMO_TIMEOUT_MS),
      '--concurrency',
      '20',
    ];
    const env = { ...io.env, [PASSWORD_VARIABLE]: password };
    /** Runs `confsnap backup` in-process; its report is printed whole, or only its first line. */
    const backup = async (report: 'whole' | 'first-line'): Promise<BackupSummary | undefined> => {
      let text = '';
      const capture = { write: (chunk: string) => (text += chunk) };
      try {
        const run = await backupCommand(argvOf, { ...io, env, stdout: capture });
        const lines = text.trimEnd().split('\n');
        for (const line of report === 'whole' ? lines : lines.slice(0, 1)) {
          say(`   ${line}`.trimEnd());
        }
        return run.summary;
      } catch (error) {
        reportCliError(error, io);
        return undefined;
      }
    };

    say(
      `2. First backup: confsnap backup --inventory ${inventory} --out ${shownOut} --git --timeout-ms ${DEMO_TIMEOUT_MS} --concurrency 20`,
    );
    const first = await backup('whole');
    if (!first) return EXIT.failed;
    say();
    say('   The failures, explained:');
    let asPlanned = true;
    for (const fault of FAULTS) {
      const result = first.devices.find((device) => device.id === fault.id);
      const kind = result?.kind ?? result?.status ?? 'missing';
      say(`     ${fault.id}: ${fault.what} → ${kind}: ${FAULT_EXPLANATIONS[fault.id] ?? ''}`);
      if (fault.expectedKind === 'host-key-mismatch') {
        say(
          `       confsnap hostkeys reset ${fault.id} --known-hosts ${join(shownOut, DEFAULT_KNOWN_HOSTS_NAME)}`,
        );
      }
      if (kind !== fault.expectedKind) {
        asPlanned = false;
        say(
          `       (unexpected: the demo planned ${fault.expectedKind}; ${result?.message ?? ''})`,
        );
      }
    }
    const unplanned = first.devices.filter(
      (device) => device.status !== 'success' && !FAULTS.some((fault) => fault.id === device.id),
    );
    for (const device of unplanned) {
      asPlanned = false;
      say(
        `     ${device.id}: unexpected → ${device.kind ?? device.status}: ${device.message ?? ''}`,
      );
    }
    const commitsAfterFirst = await commitCount(out);
    say(
      `   ${shownOut}/ now holds ${first.succeeded} .cfg files and ${commitsAfterFirst} commits, one per device.`,
    );
    say();

    say('3. Second backup, with nothing changed on the devices:');
    const second = await backup('first-line');
    if (!second) return EXIT.failed;
    const commitsAfterSecond = await commitCount(out);
    say(
      `   → nothing changed: the volatile lines (timestamps in the headers) are normalized away, so git got ${commitsAfterSecond - commitsAfterFirst} new commits.`,
    );
    if (second.changed !== 0) asPlanned = false;
    say();

    // The device whose configuration the demo changes before its third backup: a healthy RouterOS.
    const index = specs.findIndex(
      (spec) => spec.vendor === 'routeros' && !FAULTS.some((fault) => fault.id === spec.id),
    );
    const changedSpec = specs[index]!;
    const changedId = changedSpec.id;
    say(
      `4. Adding a DNS server to ${changedId}'s configuration (${changedSpec.vendor}), then backing up again:`,
    );
    fleet.devices[index]!.setConfig(changedConfig(changedSpec));
    const third = await backup('first-line');
    if (!third) return EXIT.failed;
    const changedIds = third.devices.filter((device) => device.changed).map((device) => device.id);
    say(
      `   → ${changedIds.join(', ') || 'nothing'} changed, one new commit: git -C ${shownOut} log -p -1 -- ${changedId}.cfg`,
    );
    say();
    for (const line of (await gitLogPatch(out, `${changedId}.cfg`)).split('\n')) {
      say(`     ${line}`.trimEnd());
    }
    say();
    if (third.changed !== 1 || changedIds[0] !== changedId) asPlanned = false;

    say(
      `Done in ${formatDuration(performance.now() - began)}. Look around: ls ${shownOut}; git -C ${shownOut} log --stat`,
    );
    if (!asPlanned) {
      say('Something did not go as the demo planned; see the lines marked "unexpected" above.');
      return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    await fleet?.close();
    await rm(work, { recursive: true, force: true });
    await recordDemoOutput(out);
  }
}

/** The file by which the demo knows a directory as its own, and what it wrote there. */
export const DEMO_OUTPUT_MARKER = '.confsnap-demo.json';

/** The demo's output directory holds something the demo did not write; nothing was deleted. */
export class DemoOutputInUseError extends Error {
  override readonly name = 'DemoOutputInUseError';
}

interface DemoOutputMarker {
  readonly madeBy: 'confsnap demo';
  /** The directory's entries the demo wrote (names, top level only). */
  readonly entries: readonly string[];
}

/**
 * Makes `out` ready for a demo run and marks it as the demo's. A missing or empty directory is
 * used; one the demo made before (it holds the marker) has the demo's own entries removed. Anything
 * else — a file, or a directory with an entry the demo did not write — is refused with a
 * {@link DemoOutputInUseError} before anything is deleted.
 */
export async function prepareDemoOutput(out: string): Promise<void> {
  const stat = await lstat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stat && !stat.isDirectory()) {
    throw new DemoOutputInUseError(
      `${out} exists and is not a directory the demo made; nothing was changed. Move it away, or run the demo in another directory.`,
    );
  }
  const present = stat ? await readdir(out) : [];
  const marker = present.includes(DEMO_OUTPUT_MARKER) ? await readMarker(out) : undefined;
  const ours = new Set([DEMO_OUTPUT_MARKER, ...(marker?.entries ?? [])]);
  const foreign = present.filter((entry) => !ours.has(entry)).sort();
  if (foreign.length > 0) {
    const what = marker
      ? `holds ${foreign.length === 1 ? 'an entry' : `${foreign.length} entries`} an earlier demo did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''})`
      : 'exists and was not made by confsnap demo';
    throw new DemoOutputInUseError(
      `${out} ${what}; the demo deletes only what it made, so nothing was changed. Move it away, or run the demo in another directory.`,
    );
  }
  for (const entry of present) {
    if (entry !== DEMO_OUTPUT_MARKER) await rm(join(out, entry), { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true, mode: PRIVATE_DIR_MODE });
  // An empty directory the user made is the demo's now; the backups in it are private (SPEC §9).
  await chmod(out, PRIVATE_DIR_MODE);
  await writeMarker(out, []);
}

/** Records in the marker every entry of `out` the demo run wrote, so the next run may remove them. */
export async function recordDemoOutput(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => undefined);
  if (entries === undefined) return;
  await writeMarker(
    out,
    entries.filter((entry) => entry !== DEMO_OUTPUT_MARKER),
  );
  // Keep the marker out of `git status` in the demo's repository.
  if (entries.includes('.git')) {
    const exclude = join(out, '.git', 'info', 'exclude');
    const current = await readFile(exclude, 'utf8').catch(() => '');
    if (!current.split('\n').includes(`/${DEMO_OUTPUT_MARKER}`)) {
      await mkdir(dirname(exclude), { recursive: true });
      await writeFile(
        exclude,
        `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}/${DEMO_OUTPUT_MARKER}\n`,
      );
    }
  }
}

async function readMarker(out: string): Promise<DemoOutputMarker | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(out, DEMO_OUTPUT_MARKER), 'utf8')) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as DemoOutputMarker).madeBy === 'confsnap demo' &&
      Array.isArray((parsed as DemoOutputMarker).entries) &&
      (parsed as DemoOutputMarker).entries.every((entry) => typeof entry === 'string')
    ) {
      return parsed as DemoOutputMarker;
    }
  } catch {
    // An unreadable marker claims nothing.
  }
  return undefined;
}

async function writeMarker(out: string, entries: readonly string[]): Promise<void> {
  const marker: DemoOutputMarker = { madeBy: 'confsnap demo', entries: [...entries].sort() };
  const path = join(out, DEMO_OUTPUT_MARKER);
  await writeFile(path, `${JSON.stringify(marker, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  await chmod(path, PRIVATE_FILE_MODE);
}

interface DemoDevice {
  readonly id: string;
  readonly vendor: SimulatedVendorId;
  readonly version: string | undefined;
  readonly options: SimulatedDeviceOptions;
}

function fleetSpecs(password: string): DemoDevice[] {
  return Array.from({ length: DEMO_FLEET_SIZE }, (_, i) => {
    const id = `r${i + 1}`;
    const vendor = VENDOR_CYCLE[i % VENDOR_CYCLE.length]!;
    // Every other RouterOS device runs v6, which needs the other export command.
    const version = vendor === 'routeros' ? (i % 24 < 12 ? '7.16.2' : '6.49.10') : undefined;
    const config = simulatedPersonality(vendor).sampleConfig(id);
    const wrongPassword = id === 'r13';
    const options: SimulatedDeviceOptions = {
      vendor,
      config,
      ...(version === undefined ? {} : { version }),
      credentials: {
        username: USERNAME,
        password: wrongPassword ? randomBytes(18).toString('base64url') : password,
      },
      ...(id === 'r41' ? { faults: { stallMidHandshake: true } } : {}),
      ...(vendor === 'linux' ? { files: linuxFiles(id) } : {}),
    };
    return { id, vendor, version, options };
  });
}

function vendorCounts(specs: readonly DemoDevice[]): string {
  const counts = new Map<string, number>();
  for (const spec of specs) counts.set(spec.vendor, (counts.get(spec.vendor) ?? 0) + 1);
  return [...counts].map(([vendor, count]) => `${vendor} ×${count}`).join(', ');
}

function inventoryYaml(specs: readonly DemoDevice[], fleet: SimulatedFleet): string {
  const document = {
    defaults: { username: USERNAME, password_env: PASSWORD_VARIABLE, tenant: 'demo' },
    devices: specs.map((spec, i) => {
      const device = fleet.devices[i]!;
      return {
        id: spec.id,
        host: device.host,
        port: device.port,
        vendor: spec.vendor,
        ...(spec.version === undefined ? {} : { version: spec.version }),
      };
    }),
  };
  return `# Written by confsnap demo: the simulated fleet on loopback.\n${stringify(document)}`;
}

function linuxFiles(id: string): Record<string, string> {
  return {
    '/etc/os-release':
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    '/etc/hostname': `${id}\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost\n127.0.1.1\t${id}\n`,
  };
}

/** The device's configuration with one more setting (a DNS server for RouterOS). */
function changedConfig(spec: DemoDevice): string {
  const config = spec.options.config;
  return spec.vendor === 'routeros'
    ? `${config}/ip dns\nset servers=192.0.2.53\n`
    : config.replace(/\n$/, '\n! changed by the demo\n');
}

const execFileAsync = promisify(execFile);

async function git(out: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-C', out, ...args], { windowsHide: true });
  return stdout;
}

async function commitCount(out: string): Promise<number> {
  return Number((await git(out, ['rev-list', '--count', 'HEAD']).catch(() => '0')).trim());
}

async function gitLogPatch(out: string, file: string): Promise<string> {
  return (await git(out, ['log', '-p', '-1', '--', file])).trimEnd();
}
