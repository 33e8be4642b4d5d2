import {
  DEFAULT_BANNER,
  abbreviatingCli,
  configReply,
  isEnableCommand,
  LEAVE_SYNTAX,
  setPageLength,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type IcxCommand = 'skip-page' | 'length' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<IcxCommand>[] = [
  { id: 'skip-page', words: ['skip-page-display'] },
  { id: 'length', words: ['terminal', 'length', '<n>'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '--More--, next page: Space, next line: Return key, quit: Control-c';

const invalid = (command: string): string => `Invalid input -> ${command}\nType ? for a list\n`;

const cli = abbreviatingCli({
  syntax: SYNTAX,
  handle(id, args, session) {
    switch (id) {
      case 'skip-page':
        session.paging = false;
        return { kind: 'output', text: '' };
      case 'length':
        return setPageLength(session, args[0]);
      case 'exit':
        return { kind: 'exit' };
      case 'show-run':
        return configReply(
          ['', 'Current configuration:', '!', `ver ${session.version}`],
          session.config,
        );
    }
  },
  unprivileged: (id, command) =>
    id === 'show-run' ? { kind: 'output', text: invalid(command) } : undefined,
  invalidText: () => invalid(''),
});

/**
 * Ruckus ICX / FastIron: prompt `SSH@ICX7150#` (`SSH@ICX7150>` before `enable`), pager
 * `--More--, next page: Space, next line: Return key, quit: Control-c` erased with a carriage
 * return and blanks; `skip-page-display` (or `terminal length 0`) turns it off. `show
 * running-config` starts with `Current configuration:`. Errors: `Invalid input -> <command>` and
 * `Type ? for a list`; at `>` there is no `show running-config`.
 */
export function ruckusIcx(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'ICX7150-48ZP';
  return {
    vendor: 'ruckus-icx',
    mode: 'shell',
    sampleConfig,
    ident: 'RomSShell_5.40',
    hostname,
    version: settings.version ?? '08.0.95jT211',
    prompt: `SSH@${hostname}#`,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'Please Enter Login Name: ',
      passwordPrompt: 'Please Enter Password: ',
      failureText: '\r\nError - Incorrect username or password.\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `SSH@${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: 'Error - Incorrect username or password.\n',
    },
    respond: cli.respond,
    invalidCommand: (command) => ({ kind: 'output', text: invalid(command) }),
  };
}

/** The `ruckus-icx` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `!
stack unit 1
  module 1 icx7150-48zp-poe-port-management-module
  module 2 icx7150-8-sfp-plus-port-80g-module
!
vlan 1 name DEFAULT-VLAN by port
!
vlan 20 name users#floor2> by port
 tagged ethe 1/2/1
 untagged ethe 1/1/1 to 1/1/24
!
hostname ${hostname}
ip address 192.0.2.10 255.255.255.0
ip default-gateway 192.0.2.1
!
interface ethernet 1/1/1
 port-name desk # 1>
!
end
`;
}
