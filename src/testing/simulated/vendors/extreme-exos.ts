import {
  DEFAULT_BANNER,
  abbreviatingCli,
  caretLine,
  configReply,
  ctime,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type ExosCommand = 'clipaging' | 'show-config' | 'exit';

const SYNTAX: readonly CommandSyntax<ExosCommand>[] = [
  { id: 'clipaging', words: ['disable', 'clipaging', 'session'] },
  { id: 'clipaging', words: ['disable', 'clipaging'] },
  { id: 'show-config', words: ['show', 'configuration'] },
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['logout'] },
  { id: 'exit', words: ['quit'] },
];

const PAGER = 'Press <SPACE> to continue or <Q> to quit:';

/**
 * Extreme EXOS: a prompt that counts commands (`X440G2-01.1 # `, then `.2`, …), `login:` /
 * `password:` over telnet, pager `Press <SPACE> to continue or <Q> to quit:` erased with `\r`,
 * spaces, `\r`; `disable clipaging session` turns it off. `show configuration` prints
 * `# <model> Configuration generated <time>` (new on every read) and `# Software Version …`
 * before the `# Module … configuration.` sections. Errors: `%% Invalid input detected at '^'
 * marker.` under a caret.
 */
export function extremeExos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'X440G2-01';
  let count = 1;
  const cli = abbreviatingCli({
    syntax: SYNTAX,
    handle(id, _args, session) {
      switch (id) {
        case 'clipaging':
          session.paging = false;
          return { kind: 'output' };
        case 'exit':
          return { kind: 'exit' };
        case 'show-config':
          return configReply(
            [
              `# Summit X440G2-48p-10GE4 Configuration generated ${ctime(session.volatileTime())}`,
              `# Software Version ${session.version} by release-manager on 05/12/20 15:46:43`,
            ],
            session.config,
          );
      }
    },
    invalidText: (errorAt, incomplete) =>
      incomplete
        ? '%% Incomplete command\n'
        : `${caretLine(`${hostname}.${count} # `, errorAt)}\n%% Invalid input detected at '^' marker.\n`,
  });
  return {
    vendor: 'extreme-exos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.4',
    hostname,
    version: settings.version ?? '30.7.1.1',
    get prompt(): string {
      return `${hostname}.${count} # `;
    },
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n\r\nExtremeXOS\r\n',
      usernamePrompt: 'login: ',
      passwordPrompt: 'password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    respond(command, session) {
      count++;
      return cli.respond(command, session);
    },
    invalidCommand: cli.invalidCommand,
  };
}

/** The `extreme-exos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `#
# Module devmgr configuration.
#
configure snmp sysName "${hostname}"
configure snmp sysContact "noc # ops >"
#
# Module vlan configuration.
#
create vlan "USERS"
configure vlan USERS tag 110
configure vlan Mgmt ipaddress 192.0.2.80 255.255.255.0
`;
}
