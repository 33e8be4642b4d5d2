import type { SimulatedReply } from '../types.js';
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

type ProcurveCommand = 'no-page' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<ProcurveCommand>[] = [
  { id: 'no-page', words: ['no', 'page'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '-- MORE --, next page: Space, next line: Enter, quit: Control-C';
/** What the switch writes before each prompt: scroll region, cursor to the last row, clear it. */
const BEFORE_PROMPT = '\x1b[1;24r\x1b[24;1H\x1b[2K\x1b[24;1H\x1b[?25h\x1b[24;1H';

/**
 * ArubaOS-Switch / ProCurve: prompt `HP-2920#` wrapped in VT100 cursor moves (as the real switch
 * draws it on row 24), a banner ending in `Press any key to continue`, pager
 * `-- MORE --, next page: Space, next line: Enter, quit: Control-C` erased with a cursor move and
 * `ESC[2K`; `no page` turns it off. `show running-config` prints `Running configuration:`, the
 * `; J9727A Configuration Editor; Created on release #WB.16.10.0009` and `; Ver #…` header, then
 * the configuration, its first line led by a bare `\r`. Errors: `Invalid input: <word>`. The
 * operator level is `HP-2920>`; `enable` asks `Password:`.
 */
export function arubaosSwitch(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'HP-2920';
  const cli = abbreviatingCli({
    syntax: SYNTAX,
    handle(id, _args, session): SimulatedReply {
      switch (id) {
        case 'no-page':
          session.paging = false;
          return { kind: 'output' };
        case 'exit':
          return { kind: 'exit' };
        case 'show-run':
          return configReply(
            [
              '\x1b[?25h',
              'Running configuration:',
              '',
              `; J9727A Configuration Editor; Created on release #${session.version}`,
              '; Ver #14:41.44.00.04.19.02.13.98.82.34.61.18.28.f3.84.9c.63.ff.37.27:05',
              '',
            ],
            `\r${session.config}`,
          );
      }
    },
    invalidText: () => '',
    // At the operator level, `show running-config` is not a command.
    unprivileged: (id) =>
      id === 'show-run' ? { kind: 'output', text: 'Invalid input: running-config\n' } : undefined,
  });
  return {
    vendor: 'arubaos-switch',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_5.2',
    hostname,
    version: settings.version ?? 'WB.16.10.0009',
    prompt: `${BEFORE_PROMPT}${hostname}# `,
    banner: [
      'HP J9727A 2920-24G-PoE+ Switch',
      'Software revision WB.16.10.0009',
      '',
      '(C) Copyright 2020 Hewlett Packard Enterprise Development LP',
      '',
      'Press any key to continue',
    ].join('\n'),
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'Username: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nInvalid password\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: '\x1b[24;1H\x1b[2K' },
    privilege: {
      userPrompt: `${BEFORE_PROMPT}${hostname}> `,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: 'Invalid password\n',
      deniedText: 'Invalid password\n',
    },
    respond: cli.respond,
    invalidCommand(command) {
      const match = matchCommand(command, SYNTAX);
      const at = match.ok ? 0 : match.errorAt;
      const word = command.slice(at).split(/\s+/)[0] ?? '';
      return {
        kind: 'output',
        text: match.ok || !match.incomplete ? `Invalid input: ${word}\n` : 'Incomplete input: \n',
      };
    },
  };
}

/** The `arubaos-switch` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname "${hostname}"
module 1 type j9727a
banner motd "# Authorized access only > violators prosecuted #"
ip default-gateway 192.0.2.1
snmp-server contact "noc # ops >"
vlan 1
   name "DEFAULT_VLAN"
   untagged 1-24
   ip address 192.0.2.10 255.255.255.0
   exit
password manager
`;
}
