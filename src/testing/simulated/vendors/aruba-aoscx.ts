import type { SimulatedReply, SimulatedSession } from '../types.js';
import {
  DEFAULT_BANNER,
  configReply,
  isEnableCommand,
  LEAVE_SYNTAX,
  matchCommand,
  wordStart,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type AoscxCommand = 'no-page' | 'page' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<AoscxCommand>[] = [
  { id: 'no-page', words: ['no', 'page'] },
  { id: 'page', words: ['page'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '-- MORE --, next page: Space, next line: Enter, quit: q';

/** AOS-CX names the first word it does not know. */
const invalid = (command: string, errorAt = 0): string =>
  `Invalid input: ${command.slice(errorAt).split(/\s+/)[0] ?? ''}\n`;

function handle(id: AoscxCommand, session: SimulatedSession): SimulatedReply {
  switch (id) {
    case 'no-page':
      session.paging = false;
      return { kind: 'output' };
    case 'page':
      session.paging = true;
      return { kind: 'output' };
    case 'exit':
      return { kind: 'exit' };
    case 'show-run':
      return configReply(
        [
          'Current configuration:',
          '!',
          `!Version ArubaOS-CX ${session.version}`,
          '!export-password: default',
        ],
        session.config,
      );
  }
}

/**
 * Aruba AOS-CX: prompt `switch# ` (`switch> ` before `enable`), pager `-- MORE --, next page:
 * Space, next line: Enter, quit: q` erased with a carriage return and an erase-line escape;
 * `no page` turns it off. `show running-config` starts with `Current configuration:`, `!` and
 * `!Version ArubaOS-CX <version>`. Errors: `Invalid input: <word>`, `Command incomplete.`.
 */
export function arubaAoscx(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'switch';
  return {
    vendor: 'aruba-aoscx',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.4',
    hostname,
    version: settings.version ?? 'FL.10.13.1101',
    prompt: `${hostname}# `,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'Username: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: '\r\x1b[K' },
    privilege: {
      userPrompt: `${hostname}> `,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: 'Invalid password\n',
      deniedText: 'Invalid password\n',
    },
    respond(command, session) {
      const match = matchCommand(command, SYNTAX);
      if (!match.ok) return undefined;
      // At `>`, `show` knows no `running-config`.
      if (match.id === 'show-run' && !session.privileged)
        return { kind: 'output', text: invalid(command, wordStart(command, 1)) };
      return handle(match.id, session);
    },
    invalidCommand(command) {
      const match = matchCommand(command, SYNTAX);
      if (!match.ok && match.incomplete) return { kind: 'output', text: 'Command incomplete.\n' };
      return { kind: 'output', text: invalid(command, match.ok ? 0 : match.errorAt) };
    },
  };
}

/** The `aruba-aoscx` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname ${hostname}
user admin group administrators password ciphertext **********
clock timezone europe/zurich
!
vlan 1
vlan 42
    name users#floor2>
interface 1/1/1
    description desk # 1>
    no shutdown
    vlan access 42
interface vlan 42
    ip address 192.0.2.2/24
ip route 0.0.0.0/0 192.0.2.1
`;
}
