import {
  DEFAULT_BANNER,
  backspaceErase,
  caretLine,
  ciscoStyleCli,
  configReply,
  isEnableCommand,
  wordStart,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = '--More-- or (q)uit';

/**
 * Dell PowerConnect 6200 / M-series (FASTPATH CLI): prompt `console#`, `User:` / `Password:`
 * over telnet, pager `--More-- or (q)uit` erased with backspaces; `terminal datadump` and
 * `terminal length 0` turn it off. `show running-config` prints `!Current Configuration:`, the
 * `!System Description` and `!System Software Version` lines, `configure`, the configuration and
 * a closing `exit`. Errors: `% Invalid input detected at '^' marker.` under a caret. `enable` from
 * `console>` asks `Password:`.
 */
export function dellPowerconnect(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'console';
  const prompt = `${hostname}#`;
  return {
    vendor: 'dell-powerconnect',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_3.5p1',
    hostname,
    version: settings.version ?? '3.3.13.1',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'User:',
      passwordPrompt: 'Password:',
      failureText: '\r\nIncorrect User/Password\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Incorrect Password!\n',
    },
    ...ciscoStyleCli<'datadump'>({
      showRunningConfig: (session) =>
        configReply(
          [
            '!Current Configuration:',
            `!System Description "PowerConnect 6248, ${session.version}, VxWorks 6.5"`,
            `!System Software Version ${session.version}`,
            '!Cut-through mode is configured as disabled',
            '!',
            'configure',
          ],
          `${session.config}exit\n`,
        ),
      invalidText: (errorAt, incomplete) =>
        incomplete
          ? '% Incomplete command.\n'
          : `${caretLine(prompt, errorAt)}\n% Invalid input detected at '^' marker.\n`,
      unprivileged: (id, command) =>
        id === 'show-run'
          ? {
              kind: 'output',
              text: `${caretLine(`${hostname}>`, wordStart(command, 1))}\n% Invalid input detected at '^' marker.\n`,
            }
          : undefined,
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
 * The `dell-powerconnect` sample configuration of a device named `hostname`
 * (`SimulatedPersonality.sampleConfig`): what comes between `configure` and the closing `exit`.
 */
function sampleConfig(hostname: string): string {
  return `vlan database
vlan 10,20
exit
hostname "${hostname}"
ip address 192.0.2.30 255.255.255.0
ip default-gateway 192.0.2.1
!
interface ethernet 1/g1
description "uplink # to core >"
exit
snmp-server location "lab"
`;
}
