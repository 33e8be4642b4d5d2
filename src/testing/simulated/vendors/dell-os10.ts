import {
  DEFAULT_BANNER,
  LEAVE_SYNTAX,
  abbreviatingCli,
  caretLine,
  configReply,
  ctime,
  isEnableCommand,
  setPageLength,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type Os10Command = 'length' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<Os10Command>[] = [
  { id: 'length', words: ['terminal', 'length', '<n>'] },
  { id: 'show-run', words: ['show', 'running-configuration'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '--more--';

/**
 * Dell OS10: prompt `OS10# `, pager `--more--` erased with `\r`, spaces, `\r`; `terminal length 0`
 * turns it off. `show running-configuration` prints `! Version …` and
 * `! Last configuration change at …` (the last `setConfig`; every read under the
 * `volatileChangeTimes` fault). Errors: `% Error: Unrecognized command.` under a caret. A lower
 * privilege level lands at `OS10>`; `enable` asks `Password:`.
 */
export function dellOs10(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'OS10';
  const prompt = `${hostname}# `;
  return {
    vendor: 'dell-os10',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.9p1 Debian-10+deb10u2',
    hostname,
    version: settings.version ?? '10.5.2.3',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: `${hostname} login: `,
      passwordPrompt: 'Password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}> `,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '% Error: Authentication failed.\n',
      deniedText: '% Error: Authentication failed.\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, args, session) {
        switch (id) {
          case 'length':
            return setPageLength(session, args[0]);
          case 'exit':
            return { kind: 'exit' };
          case 'show-run': {
            const changed = session.faults.volatileChangeTimes
              ? session.volatileTime()
              : session.configChangedAt;
            return configReply(
              [`! Version ${session.version}`, `! Last configuration change at ${ctime(changed)}`],
              session.config,
            );
          }
        }
      },
      invalidText: (errorAt, incomplete) =>
        `${caretLine(prompt, errorAt)}\n% Error: ${incomplete ? 'Incomplete' : 'Unrecognized'} command.\n`,
    }),
  };
}

/** The `dell-os10` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `!
ip vrf default
!
hostname ${hostname}
!
interface ethernet1/1/1
 description "uplink # to spine >"
 no shutdown
 no switchport
 ip address 192.0.2.41/31
!
interface mgmt1/1/1
 no shutdown
 ip address 198.51.100.41/24
!
ntp server 192.0.2.123
`;
}
