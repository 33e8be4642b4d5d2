import {
  abbreviatingCli,
  ctime,
  LEAVE_SYNTAX,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type NetscalerCommand = 'page-off' | 'page-on' | 'show-running' | 'exit';

// The NetScaler CLI takes keywords abbreviated and in any case.
const SYNTAX: readonly CommandSyntax<NetscalerCommand>[] = [
  { id: 'page-off', words: ['set', 'cli', 'mode', '-page', 'OFF'] },
  { id: 'page-on', words: ['set', 'cli', 'mode', '-page', 'ON'] },
  { id: 'show-running', words: ['show', 'ns', 'runningConfig'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '--More--';

/**
 * Citrix NetScaler ADC 13.1: prompt `> `; pager `--More--` that `set cli mode -page OFF` turns
 * off; every command answers ` Done` when it worked. `show ns runningConfig` starts with
 * `#NS13.1 Build 49.13` and `# Last modified by \`save config\`, …` (the change time; new on every
 * read under `volatileChangeTimes`) and ends with ` Done`. Errors: `ERROR: No such command`.
 */
export function netscaler(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'ns1';
  return {
    vendor: 'netscaler',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.8',
    hostname,
    version: settings.version ?? '13.1 Build 49.13',
    prompt: '> ',
    banner:
      '###############################################################################\n#  WARNING: Access to this system is for authorized users only > #\n###############################################################################\n',
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'login: ',
      passwordPrompt: 'Password:',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'page-off':
            session.paging = false;
            return { kind: 'output', text: ' Done\n' };
          case 'page-on':
            session.paging = true;
            return { kind: 'output', text: ' Done\n' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-running': {
            const time = session.faults.volatileChangeTimes
              ? session.volatileTime()
              : session.configChangedAt;
            const done = /(?:^|\n) ?Done\n?$/.test(session.config) ? '' : ' Done\n';
            return {
              kind: 'config',
              text: `#NS${session.version}\n# Last modified by \`save config\`, ${ctime(time)}\n${session.config}${done}`,
            };
          }
        }
      },
      invalidText: () => 'ERROR: No such command\n',
    }),
  };
}

/** The `netscaler` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `set ns config -IPAddress 192.0.2.50 -netmask 255.255.255.0
set ns hostName ${hostname}
enable ns feature LB SSL
add ns ip 10.0.0.5 255.255.255.0 -vServer DISABLED
add server web1 10.0.0.11 -comment "web # 1 > dmz"
add serviceGroup web-sg HTTP
add lb vserver web-vs HTTP 198.51.100.10 80
bind lb vserver web-vs web-sg
bind serviceGroup web-sg web1 80
set ns param -timezone "GMT+01:00-CET-Europe/Berlin"
`;
}
