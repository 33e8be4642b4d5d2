import {
  DEFAULT_BANNER,
  caretLine,
  ciscoStyleCli,
  ciscoTelnetLogin,
  configReply,
  ctime,
  isEnableCommand,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = '--MORE--';

/**
 * A10 ACOS 4.1 (vThunder): prompt `vThunder#` (`vThunder>` before `enable`); pager `--MORE--`
 * erased with a carriage return; `terminal length 0` turns it off, `terminal width 0` is accepted.
 * `show running-config` starts with `!Current configuration: N bytes`, `!Configuration last
 * updated at …` (the change time; new on every read under `volatileChangeTimes`), `…last saved
 * at …` and the `(ACOS) version` line, and ends with `end` and the commit-point comment. Errors:
 * `% Unrecognized command.` or `% Incomplete command.` under a caret line.
 */
export function acos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'vThunder';
  const prompt = `${hostname}#`;
  const unrecognized = (at: string, errorAt: number): string =>
    `${caretLine(at, errorAt)}\n% Unrecognized command.\n\n`;
  return {
    vendor: 'acos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.4',
    hostname,
    version: settings.version ?? '4.1.4-GR1-P5',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: { ...ciscoTelnetLogin(), usernamePrompt: `${hostname} login: ` },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Wrong password.\n',
    },
    ...ciscoStyleCli({
      showRunningConfig(session) {
        const time = session.faults.volatileChangeTimes
          ? session.volatileTime()
          : session.configChangedAt;
        const text = configReply(
          [
            `!Current configuration: ${Buffer.byteLength(session.config) + 120} bytes`,
            `!Configuration last updated at ${ctime(time)}`,
            `!Configuration last saved at ${ctime(session.configChangedAt)}`,
            `!64-bit Advanced Core OS (ACOS) version ${session.version}, build 81 (Mar-01-2023,10:00)`,
            '!',
          ],
          session.config,
        ).text!;
        return {
          kind: 'config',
          text: `${text}!Current config commit point for partition 0 is 0 & config mode is classical-mode\n`,
        };
      },
      invalidText: (errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n\n' : unrecognized(prompt, errorAt),
      unprivileged: (id) =>
        id === 'show-run' || id === 'width' || id === 'length'
          ? { kind: 'output', text: unrecognized(`${hostname}>`, 0) }
          : undefined,
    }),
  };
}

/** The `acos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname ${hostname}
!
interface management
  ip address 192.0.2.40 255.255.255.0
  ip default-gateway 192.0.2.1
!
interface ethernet 1
  name "uplink # isp >"
  enable
!
slb server web1 10.0.0.11
  port 80 tcp
!
slb service-group web-sg tcp
  member web1 80
!
slb virtual-server web-vip 198.51.100.10
  port 80 http
    service-group web-sg
!
banner login "#### authorized use only > ####"
!
end
`;
}
