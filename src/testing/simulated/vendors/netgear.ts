import {
  ciscoStyleCli,
  configReply,
  isEnableCommand,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = '--More-- or (q)uit';

function upTime(session: { volatileTime(): Date; configChangedAt: Date }): string {
  const seconds = Math.floor(session.volatileTime().getTime() / 1000) % 10_000_000;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const mins = Math.floor((seconds % 3600) / 60);
  return `${days} days, ${hours} hours, ${mins} mins, ${seconds % 60} secs`;
}

/**
 * Netgear smart managed pro switch: prompt `GS752TPP# ` (`>` before `enable`), pager `--More-- or
 * (q)uit` erased with `\r` and blanks; `terminal length 0` turns it off. `show running-config`
 * prints `SYSTEM CONFIG FILE ::= BEGIN` and `!` comment lines, `! System Up Time: …` among them
 * (it moves on every read). Errors: `% Invalid input detected at '^' marker.` under a caret.
 */
export function netgear(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'GS752TPP';
  const version = settings.version ?? '6.0.10.14';
  return {
    vendor: 'netgear',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.5',
    hostname,
    version,
    prompt: `${hostname}# `,
    banner: '',
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}> `,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Access denied\n',
    },
    ...ciscoStyleCli({
      showRunningConfig: (session) =>
        configReply(
          [
            'SYSTEM CONFIG FILE ::= BEGIN',
            '! Model: GS752TPP',
            `! Firmware Version: ${session.version}`,
            `! System Name: ${session.hostname}`,
            `! System Up Time: ${upTime(session)}`,
            '!',
          ],
          session.config,
        ),
      invalidText: (_errorAt, incomplete) =>
        incomplete
          ? '% Incomplete command.\n'
          : "                 ^\n% Invalid input detected at '^' marker.\n",
      unprivileged: (id) =>
        id === 'show-run'
          ? { kind: 'output', text: "% Invalid input detected at '^' marker.\n" }
          : undefined,
    }),
  };
}

/** The `netgear` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `system name "${hostname}"
system location "Rack 3 # row >"
ip address 192.0.2.12 mask 255.255.255.0
ip default-gateway 192.0.2.1
!
interface g1
 switchport hybrid pvid 10
!
`;
}
