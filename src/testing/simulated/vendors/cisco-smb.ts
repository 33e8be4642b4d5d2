import {
  DEFAULT_BANNER,
  backspaceErase,
  ciscoStyleCli,
  configReply,
  isEnableCommand,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = 'More: <space>,  Quit: q or CTRL+Z, One line: <return> ';

/**
 * Cisco Small Business (SG350 / CBS350): prompt `switch01#`, `User Name:` / `Password:` over
 * telnet, pager `More: <space>,  Quit: q or CTRL+Z, One line: <return> ` erased with backspaces;
 * `terminal datadump` (or `terminal length 0`) turns it off. `show running-config` prints the
 * `config-file-header` block (host name, firmware version, `CLI v1.0`, `@`) before the
 * configuration. Errors: `% Unrecognized command`, `% missing mandatory parameter`. `enable`
 * from `switch01>` asks `Password:`.
 */
export function ciscoSmb(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'switch01';
  return {
    vendor: 'cisco-smb',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.2',
    hostname,
    version: settings.version ?? '3.1.1.7',
    prompt: `${hostname}#`,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'User Name:',
      passwordPrompt: 'Password:',
      failureText: '\r\n% Authentication failed\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'asterisks',
      attempts: 3,
      wrongSecretText: '',
      deniedText: '% Access denied\n',
    },
    ...ciscoStyleCli<'datadump'>({
      showRunningConfig: (session) =>
        configReply(
          [
            'config-file-header',
            session.hostname,
            `v${session.version} / RCBS3.1_930_871_193`,
            'CLI v1.0',
            'file SSD indicator encrypted',
            '@',
          ],
          session.config,
        ),
      invalidText: (_errorAt, incomplete) =>
        incomplete ? '% missing mandatory parameter\n' : '% Unrecognized command\n',
      unprivileged: (id) =>
        id === 'show-run' ? { kind: 'output', text: '% Unrecognized command\n' } : undefined,
      extra: {
        syntax: [{ id: 'datadump', words: ['terminal', 'datadump'] }],
        handle(_id, _args, session) {
          session.paging = false;
          return { kind: 'output' };
        },
      },
    }),
  };
}

/**
 * The `cisco-smb` sample configuration of a device named `hostname`
 * (`SimulatedPersonality.sampleConfig`): what follows the `config-file-header` block.
 */
function sampleConfig(hostname: string): string {
  return `!
vlan database
vlan 10
exit
hostname ${hostname}
banner login ^C #### Authorized access only > violators prosecuted #### ^C
ip ssh server
!
interface GigabitEthernet1
 description "uplink # to core >"
 switchport mode trunk
exit
!
interface vlan 1
 ip address 192.0.2.61 255.255.255.0
exit
`;
}
