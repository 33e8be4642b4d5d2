import type { SimulatedReply, SimulatedSession } from '../types.js';
import {
  isoDateTime,
  routerOsV6DateTime,
  type PersonalitySettings,
  type BuiltInPersonality,
} from './kit.js';

/** `/export` arguments each major version accepts. */
const EXPORT_ARGUMENTS: Readonly<Record<'6' | '7', readonly string[]>> = {
  '6': ['hide-sensitive', 'compact', 'verbose', 'terse'],
  '7': ['show-sensitive', 'hide-sensitive', 'compact', 'verbose', 'terse'],
};

function majorVersion(version: string): '6' | '7' {
  return version.startsWith('6') ? '6' : '7';
}

/** `# 2026-03-07 12:00:00 by RouterOS 7.16.2` (v7) or `# jan/02/1970 00:22:56 by RouterOS 6.48.6` (v6). */
function exportHeader(session: SimulatedSession): string {
  const now = session.volatileTime();
  const time = majorVersion(session.version) === '6' ? routerOsV6DateTime(now) : isoDateTime(now);
  return `# ${time} by RouterOS ${session.version}\n`;
}

function error(text: string): SimulatedReply {
  return { kind: 'output', text: `${text}\n` };
}

/** The command's words with the 1-based column each starts at. */
function words(command: string): { text: string; column: number }[] {
  return [...command.matchAll(/\S+/g)].map((match) => ({
    text: match[0],
    column: match.index + 1,
  }));
}

/**
 * A RouterOS `print` of a menu with one item: `key: value` lines, keys right-aligned, then an empty
 * line, e.g. `            channel: stable` / `  installed-version: 7.16.2`.
 */
function itemPrint(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return `${fields.map(([key, value]) => `${key.padStart(width + 2)}: ${value}`).join('\n')}\n\n`;
}

/** What the simulated board is: an RB5009 on v7; on v6, which the RB5009 never ran, an RB3011. */
function board(session: SimulatedSession) {
  return majorVersion(session.version) === '6'
    ? { name: 'RB3011UiAS', cpu: 'ARMv7', cpus: '2', mhz: '1400MHz', arch: 'arm', hdd: '128.0MiB' }
    : {
        name: 'RB5009UG+S+',
        cpu: 'ARM64',
        cpus: '4',
        mhz: '350MHz',
        arch: 'arm64',
        hdd: '1024.0MiB',
      };
}

/** The channel a version comes from: 6.49 is long-term, everything else stable. */
function channel(session: SimulatedSession): string {
  return majorVersion(session.version) === '6' ? 'long-term' : 'stable';
}

/** The read-only `print` commands other tools send (Oxidized, monitoring), by menu. */
const PRINTS: Readonly<Record<string, (session: SimulatedSession) => string>> = {
  'system resource': (session) => {
    const v6 = majorVersion(session.version) === '6';
    const hw = board(session);
    const buildTime = new Date(Date.UTC(2024, 10, 26, 12, 36, 14));
    return itemPrint([
      ['uptime', '1w2d3h4m5s'],
      ['version', `${session.version} (${channel(session)})`],
      ['build-time', v6 ? routerOsV6DateTime(buildTime) : isoDateTime(buildTime)],
      ['factory-software', v6 ? '6.44.6' : '7.0.4'],
      ['free-memory', '850.9MiB'],
      ['total-memory', '1024.0MiB'],
      ['cpu', hw.cpu],
      ['cpu-count', hw.cpus],
      ['cpu-frequency', hw.mhz],
      ['cpu-load', '1%'],
      ['free-hdd-space', v6 ? '101.2MiB' : '916.8MiB'],
      ['total-hdd-space', hw.hdd],
      ['write-sect-since-reboot', '8470'],
      ['write-sect-total', '233797'],
      ['bad-blocks', '0%'],
      ['architecture-name', hw.arch],
      ['board-name', hw.name],
      ['platform', 'MikroTik'],
    ]);
  },
  // Without a `check-for-updates` first, only what the device knows itself.
  'system package update': (session) =>
    itemPrint([
      ['channel', channel(session)],
      ['installed-version', session.version],
    ]),
  'system routerboard': (session) => {
    const hw = board(session);
    return itemPrint([
      ['routerboard', 'yes'],
      ['board-name', hw.name],
      ['model', hw.name],
      ['serial-number', 'HD10A1B2C3D'],
      ['firmware-type', hw.arch === 'arm' ? 'ipq8060' : '70x0'],
      ['factory-firmware', majorVersion(session.version) === '6' ? '6.44.6' : '7.0.4'],
      ['current-firmware', session.version],
      ['upgrade-firmware', session.version],
    ]);
  },
  'system identity': (session) => itemPrint([['name', session.hostname]]),
  // The history since boot; here one entry, at the last change, so it stays put between reads.
  'system history': (session) => {
    if (majorVersion(session.version) === '6') {
      return [
        'Flags: U - undoable, R - redoable, F - floating-undo ',
        '  ACTION                                   BY                 POLICY                ',
        'U system identity changed                  admin              write                 ',
        '',
      ].join('\n');
    }
    return [
      'Flags: U - UNDOABLE',
      'Columns: ACTION, BY, POLICY, TIME',
      '  ACTION                   BY     POLICY  TIME               ',
      `U system identity changed  admin  write   ${isoDateTime(session.configChangedAt)}`,
      '',
    ].join('\n');
  },
};

/** Arguments a simulated `print` accepts; real RouterOS takes more (`detail`, `where`, …). */
const PRINT_ARGUMENTS = new Set(['without-paging']);

/**
 * The reply to `[/]menu … print [without-paging]` (`/system/resource/print` too) for the menus in
 * {@link PRINTS}, an `expected end of command` error for another argument, or undefined.
 */
function printReply(command: string, session: SimulatedSession): SimulatedReply | undefined {
  // `/system/resource/print` is `/system resource print`: split the first word at its slashes.
  const tokens = words(command).flatMap((word, i) =>
    i === 0
      ? word.text
          .replace(/^\//, '')
          .split('/')
          .map((text) => ({ text, column: word.column }))
      : [word],
  );
  const at = tokens.findIndex((token) => token.text === 'print');
  if (at < 1) return undefined;
  const print =
    PRINTS[
      tokens
        .slice(0, at)
        .map((token) => token.text)
        .join(' ')
    ];
  if (!print) return undefined;
  const extra = tokens.slice(at + 1).find((token) => !PRINT_ARGUMENTS.has(token.text));
  if (extra) return error(`expected end of command (line 1 column ${extra.column})`);
  return { kind: 'output', text: print(session) };
}

/**
 * MikroTik RouterOS (exec, `\r\n` line ends). `/export` (also `export`, with `show-sensitive`,
 * `hide-sensitive`, `compact`, `verbose`, `terse`) prints the export header — current time, v7
 * `# 2026-03-07 12:00:00 by RouterOS 7.16.2`, v6 `# jan/02/1970 00:22:56 by RouterOS 6.48.6` —
 * then the configuration. v6 (`version` starting with `6`) answers `/export show-sensitive` with
 * `expected end of command (line 1 column 9)`, like real v6. The read-only commands other tools
 * send answer as real RouterOS does (keys right-aligned, values of the simulated board):
 * `/system resource print`, `/system package update print`, `/system routerboard print`,
 * `/system identity print`, `/system history print` (each also with `without-paging`, and as
 * `/system/resource/print`), and `:put [/system resource get version]`. Unknown commands:
 * `bad command name foo (line 1 column 2)`. Errors go to stdout with exit status 0, as RouterOS
 * does: only their text tells them apart.
 */
export function routeros(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'router1';
  return {
    vendor: 'routeros',
    mode: 'exec',
    sampleConfig,
    ident: 'ROSSSH',
    hostname,
    version: settings.version ?? '7.16.2',
    newline: '\r\n',
    respond(command, session) {
      const [first, ...rest] = words(command);
      if (!first) return { kind: 'output' };
      const path = first.text.replace(/^\//, '');
      if (path === 'export') {
        const allowed = EXPORT_ARGUMENTS[majorVersion(session.version)];
        const unknown = rest.find(
          (word) => !allowed.includes(word.text) && !word.text.startsWith('file='),
        );
        if (unknown) return error(`expected end of command (line 1 column ${unknown.column})`);
        return { kind: 'config', text: exportHeader(session) + session.config };
      }
      const printed = printReply(command, session);
      if (printed) return printed;
      if (command === ':put [/system resource get version]') {
        return { kind: 'output', text: `${session.version} (${channel(session)})\n` };
      }
      return undefined;
    },
    invalidCommand(command) {
      const first = words(command)[0];
      if (!first) return error('bad command name (line 1 column 1)');
      const slash = first.text.startsWith('/') ? 1 : 0;
      const name = first.text.slice(slash).split('/')[0] ?? '';
      return error(`bad command name ${name} (line 1 column ${first.column + slash})`);
    },
  };
}

/** The `routeros` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `# software id = ABCD-1234
# model = RB5009UG+S+
/interface bridge
add name=bridge1 comment="lan # bridge > all"
/ip address
add address=192.0.2.1/24 interface=bridge1
/system identity
set name=${hostname}
`;
}
