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
 * Ubiquiti EdgeSwitch: prompt `(UBNT EdgeSwitch) #` (`(UBNT EdgeSwitch) >` before `enable`),
 * `User:` / `Password:` over telnet, pager `--More-- or (q)uit` erased with backspaces;
 * `terminal length 0` turns it off. `show running-config` prints `!Current Configuration:`, the
 * system description and version, `!System Up Time` and `!Current SNTP Synchronized Time` (new on
 * every read). Errors: `% Invalid input detected at '^' marker.` under a caret.
 */
export function ubiquitiEdgeswitch(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'UBNT EdgeSwitch';
  const prompt = `(${hostname}) #`;
  const invalid = (prefix: string, column: number): string =>
    `${caretLine(prefix, column)}\n% Invalid input detected at '^' marker.\n`;
  let seconds = 0;
  return {
    vendor: 'ubiquiti-edgeswitch',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_6.6',
    hostname,
    version: settings.version ?? '1.9.3.5175012',
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
      userPrompt: `(${hostname}) >`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Access denied\n',
    },
    ...ciscoStyleCli({
      showRunningConfig(session) {
        seconds += 7;
        return configReply(
          [
            '!Current Configuration:',
            '!',
            `!System Description "EdgeSwitch 24-Port 250W, ${session.version}, Linux 3.6.5-f4a26ed5"`,
            `!System Software Version "${session.version}"`,
            `!System Up Time          "12 days 3 hrs 22 mins ${seconds} secs"`,
            '!Additional Packages     QOS,IPv6 Management,Routing',
            `!Current SNTP Synchronized Time: ${session.volatileTime().toUTCString()}`,
            '!',
          ],
          session.config,
        );
      },
      invalidText: (errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n' : invalid(prompt, errorAt),
      unprivileged: (id, command) =>
        id === 'show-run'
          ? { kind: 'output', text: invalid(`(${hostname}) >`, wordStart(command, 1)) }
          : undefined,
    }),
  };
}

/** The `ubiquiti-edgeswitch` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `network protocol none
network parms 192.0.2.90 255.255.255.0 192.0.2.1
vlan database
vlan 10
exit
hostname "${hostname}"
interface 0/1
description 'uplink # to core >'
exit
`;
}
