import {
  DEFAULT_BANNER,
  backspaceErase,
  caretLine,
  ciscoStyleCli,
  configReply,
  ctime,
  isEnableCommand,
  wordStart,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = ' --More-- ';

/**
 * Force10 FTOS / Dell Networking OS 9: prompt `Dell#`, `Login:` / `Password:` over telnet, pager
 * ` --More-- ` erased with backspaces; `terminal length 0` turns it off. `show running-config`
 * prints `Current Configuration ...`, `! Version …`, `! Last configuration change at …` and
 * `! Startup-config last updated at …` (the last `setConfig`; every read under the
 * `volatileChangeTimes` fault). Errors: `% Error: Invalid input at "^" marker.` under a caret.
 * `enable` from `Dell>` asks `Password:`.
 */
export function dellDnos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'Dell';
  const prompt = `${hostname}#`;
  const invalid = (prefix: string, column: number): string =>
    `${caretLine(prefix, column)}\n% Error: Invalid input at "^" marker.\n`;
  return {
    vendor: 'dell-dnos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_5.2 FIPS',
    hostname,
    version: settings.version ?? '9.14(2.4)',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'Login: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\n% Login incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '',
      deniedText: '% Bad passwords\n',
    },
    ...ciscoStyleCli({
      showRunningConfig(session) {
        const time = ctime(
          session.faults.volatileChangeTimes ? session.volatileTime() : session.configChangedAt,
        );
        return configReply(
          [
            'Current Configuration ...',
            `! Version ${session.version}`,
            `! Last configuration change at ${time} by admin`,
            `! Startup-config last updated at ${time} by admin`,
            '!',
          ],
          session.config,
        );
      },
      invalidText: (errorAt, incomplete) =>
        incomplete ? '% Error: Incomplete command.\n' : invalid(prompt, errorAt),
      unprivileged: (id, command) =>
        id === 'show-run'
          ? { kind: 'output', text: invalid(`${hostname}>`, wordStart(command, 1)) }
          : undefined,
    }),
  };
}

/** The `dell-dnos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `boot system stack-unit 1 primary system://A
!
hostname ${hostname}
!
interface TenGigabitEthernet 0/1
 description "uplink # to core >"
 ip address 192.0.2.51/31
 no shutdown
!
interface ManagementEthernet 0/0
 ip address 198.51.100.51/24
 no shutdown
!
end
`;
}
