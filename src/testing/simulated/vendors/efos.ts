import {
  ciscoStyleCli,
  configReply,
  ctime,
  isEnableCommand,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = '--More-- or (q)uit';

/**
 * Broadcom EFOS: prompt `(Switch-1) #` (`(Switch-1) >` before `enable`), pager `--More-- or
 * (q)uit` erased with `\r` and blanks; `terminal length 0` turns it off. `show running-config`
 * prints the `!Current Configuration:` header with `!System Up Time` and `!Current System Time:`
 * (both move on every read). Errors: `% Invalid input detected at '^' marker.` under a caret.
 */
export function efos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'Switch-1';
  const version = settings.version ?? '3.12.0.1';
  return {
    vendor: 'efos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.2',
    hostname,
    version,
    prompt: `(${hostname}) #`,
    banner: '* NetApp Reference Configuration File (RCF) # BES-53248 >',
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
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
      showRunningConfig: (session) => {
        const now = session.volatileTime();
        const uptime = Math.floor(now.getTime() / 1000) % 100_000;
        return configReply(
          [
            '',
            '!Current Configuration:',
            '!',
            `!System Description "EFOS, ${session.version}, Linux 5.4.2-c92ac1fd, 2016.05.00.06"`,
            `!System Software Version "${session.version}"`,
            `!System Up Time          "0 days ${Math.floor(uptime / 3600)} hrs ${Math.floor((uptime % 3600) / 60)} mins ${uptime % 60} secs"`,
            `!Current System Time: ${ctime(now).slice(4)}`,
            '!',
          ],
          session.config,
        );
      },
      invalidText: (_errorAt, incomplete) =>
        incomplete
          ? 'Command not found / Incomplete command. Use ? to list commands.\n'
          : "                     ^\n% Invalid input detected at '^' marker.\n",
      unprivileged: (id) =>
        id === 'show-run'
          ? { kind: 'output', text: "% Invalid input detected at '^' marker.\n" }
          : undefined,
    }),
  };
}

/** The `efos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname "${hostname}"
vlan database
vlan 10
vlan name 10 "storage # cluster >"
exit

configure
ip name server 192.0.2.53
interface 0/1
vlan participation include 10
exit
exit

ip ssh server enable
`;
}
