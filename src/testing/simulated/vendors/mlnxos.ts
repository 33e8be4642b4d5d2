import {
  LEAVE_SYNTAX,
  abbreviatingCli,
  configReply,
  isEnableCommand,
  matchCommand,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type OnyxCommand = 'no-paging' | 'show-run' | 'show-version' | 'exit';

const SYNTAX: readonly CommandSyntax<OnyxCommand>[] = [
  { id: 'no-paging', words: ['no', 'cli', 'session', 'paging', 'enable'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  { id: 'show-version', words: ['show', 'version'] },
  ...LEAVE_SYNTAX,
];

const pad = (value: number): string => String(value).padStart(2, '0');

/** `2025/03/31 08:48:03 +0000`, as Onyx dates its running-config. */
function onyxTime(date: Date): string {
  return (
    `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/**
 * NVIDIA Onyx: prompt `switch-1 [standalone: master] # ` (`>` before `enable`), pager `lines 1-23`
 * in reverse video, erased with `\e[m\e[K\r\e[K`; `no cli session paging enable` turns it off.
 * `show running-config` prints the `## Running database "initial"` header with `## Generated at …`
 * (the time of the read, so it changes every time). Errors: `% Unrecognized command "foo".`
 */
export function mlnxos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'switch-1';
  return {
    vendor: 'mlnxos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.4',
    hostname,
    version: settings.version ?? '3.9.2504',
    prompt: `${hostname} [standalone: master] # `,
    banner: '\nMellanox Switch # managed by netops >\n',
    pager: { prompt: '\x1b[7mlines 1-23 ', erase: '\x1b[m\x1b[K\r\x1b[K' },
    privilege: {
      userPrompt: `${hostname} [standalone: master] > `,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Authentication failed\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'no-paging':
            session.paging = false;
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-version':
            return {
              kind: 'output',
              text: `Product name:      Onyx\nProduct release:   ${session.version}\n`,
            };
          case 'show-run':
            return configReply(
              [
                '##',
                '## Running database "initial"',
                `## Generated at ${onyxTime(session.volatileTime())}`,
                `## Hostname: ${session.hostname}`,
                `## Product release: ${session.version}`,
                '##',
                '',
              ],
              session.config,
            );
        }
      },
      invalidText: (_errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n' : '% Unrecognized command.\n',
      unprivileged: (id) =>
        id === 'show-run'
          ? { kind: 'output', text: '% Unrecognized command "running-config".\n' }
          : undefined,
    }),
    invalidCommand(command) {
      const match = matchCommand(command, SYNTAX);
      if (!match.ok && match.incomplete) return { kind: 'output', text: '% Incomplete command.\n' };
      const at = match.ok ? 0 : match.errorAt;
      const word = command.slice(at).split(/\s+/)[0] ?? '';
      return {
        kind: 'output',
        text: `% Unrecognized command "${word}".\nType "?" for help.\n`,
      };
    },
  };
}

/** The `mlnxos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `##
## Interface Ethernet configuration
##
   interface ethernet 1/1 description "uplink # spine >"
   interface ethernet 1/1 mtu 9216 force

##
## Network management configuration
##
   hostname ${hostname}
   ntp server 192.0.2.10

##
## Persistent prefix mode setting
##
cli default prefix-modes enable
`;
}
