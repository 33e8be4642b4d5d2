import {
  DEFAULT_BANNER,
  ciscoTelnetLogin,
  ciscoStyleCli,
  backspaceErase,
  caretLine,
  ciscoTime,
  configReply,
  type PersonalitySettings,
  type BuiltInPersonality,
  isEnableCommand,
  wordStart,
} from './kit.js';

const PAGER = ' --More-- ';

/**
 * Cisco IOS / IOS-XE: prompt `router1#`, pager ` --More-- ` erased with backspaces, keywords
 * abbreviable (`sh run`). `show running-config` prints `Building configuration...`,
 * `Current configuration : N bytes` and `! Last configuration change at …` / `! NVRAM config last
 * updated at …` lines with the time the configuration last changed (start-up or `setConfig`), as
 * real IOS does: two reads of an unchanged configuration are the same. The `volatileChangeTimes`
 * fault makes those times new on every read.
 */
export function ciscoIos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'router1';
  const prompt = `${hostname}#`;
  return {
    vendor: 'cisco-ios',
    mode: 'shell',
    sampleConfig,
    ident: 'Cisco-1.25',
    hostname,
    version: settings.version ?? '15.2',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: ciscoTelnetLogin(),
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '',
      deniedText: '% Bad secrets\n\n',
    },
    ...ciscoStyleCli({
      showRunningConfig(session) {
        const time = ciscoTime(
          session.faults.volatileChangeTimes ? session.volatileTime() : session.configChangedAt,
        );
        return configReply(
          [
            'Building configuration...',
            '',
            `Current configuration : ${Buffer.byteLength(session.config)} bytes`,
            '!',
            `! Last configuration change at ${time} by admin`,
            `! NVRAM config last updated at ${time} by admin`,
          ],
          session.config,
        );
      },
      invalidText: (errorAt, incomplete) =>
        incomplete
          ? '% Incomplete command.\n\n'
          : `${caretLine(prompt, errorAt)}\n% Invalid input detected at '^' marker.\n\n`,
      // At `router1>`, `show` knows no `running-config`: the caret goes under that word.
      unprivileged: (id, command) =>
        id === 'show-run'
          ? {
              kind: 'output',
              text: `${caretLine(`${hostname}>`, wordStart(command, 1))}\n% Invalid input detected at '^' marker.\n\n`,
            }
          : undefined,
    }),
  };
}

/** The `cisco-ios` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `!
version 15.2
hostname ${hostname}
!
banner motd ^C
#### Authorized access only > violators prosecuted ####
^C
!
interface GigabitEthernet0/1
 description uplink # to core>
 ip address 192.0.2.2 255.255.255.0
!
line vty 0 4
 transport input ssh
!
end
`;
}
