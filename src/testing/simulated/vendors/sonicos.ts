import {
  abbreviatingCli,
  configReply,
  clockTimeMs,
  LEAVE_SYNTAX,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type SonicCommand = 'no-pager' | 'show-config' | 'show-version' | 'exit';

const SYNTAX: readonly CommandSyntax<SonicCommand>[] = [
  { id: 'no-pager', words: ['no', 'cli', 'pager', 'session'] },
  { id: 'show-config', words: ['show', 'current-config'] },
  { id: 'show-version', words: ['show', 'version'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '--MORE--';

const pad = (value: number): string => String(value).padStart(2, '0');

/** `03/10/2026 10:12:45.123`, as SonicOS prints its clock. */
function sonicTime(date: Date): string {
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${clockTimeMs(date)}`;
}

/**
 * SonicWall SonicOS: prompt `admin@0017C5123456> ` (the serial number), pager `--MORE--`
 * erased with `\r` and blanks; `no cli pager session` turns it off. `show current-config` starts
 * with `system-time "…"` (the time of the read) and ends with `checksum N` (it changes with
 * `setConfig`) after the configuration. Errors: `% Unknown command: foo`.
 */
export function sonicos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? '0017C5123456';
  return {
    vendor: 'sonicos',
    mode: 'shell',
    sampleConfig,
    ident: 'SonicWall',
    hostname,
    version: settings.version ?? '7.0.1-5145',
    prompt: `admin@${hostname}> `,
    banner: 'Hello! # SonicWall >',
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'no-pager':
            session.paging = false;
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-version':
            return { kind: 'output', text: `firmware-version "SonicOS ${session.version}"\n` };
          case 'show-config': {
            const checksum = session.configChangedAt.getTime() % 4_000_000_000;
            return configReply(
              [`system-time "${sonicTime(session.volatileTime())}"`],
              `${session.config}checksum ${checksum}\n`,
            );
          }
        }
      },
      invalidText: (_errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n' : '% Unknown command.\n',
    }),
  };
}

/** The `sonicos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `administration
    firewall-name ${hostname}
    admin name admin
    exit
address-object ipv4 "mgmt # hosts >"
    host 192.0.2.11
    zone LAN
    exit
interface X0
    ip-assignment LAN static
        ip 192.0.2.1 netmask 255.255.255.0
        exit
    management https
    exit
`;
}
