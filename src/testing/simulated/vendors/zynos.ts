import {
  abbreviatingCli,
  caretLine,
  configReply,
  isEnableCommand,
  LEAVE_SYNTAX,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type ZynosCommand = 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<ZynosCommand>[] = [
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '-- more --, next page: Space, continue: c, quit: ESC';

/**
 * Zyxel GS2210 (ZyNOS 4.80): prompt `GS2210#` (`GS2210>` before `enable`); pager `-- more --,
 * next page: Space, continue: c, quit: ESC`. `show running-config` starts with `Building
 * configuration...` and `Current configuration:`. Errors: `% Invalid command` under a caret.
 */
export function zynos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'GS2210';
  const prompt = `${hostname}#`;
  const invalid = (at: string, errorAt: number): string =>
    `${caretLine(at, errorAt)}\n% Invalid command\n`;
  return {
    vendor: 'zynos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.5',
    hostname,
    version: settings.version ?? 'V4.80(AAZJ.10)',
    prompt,
    banner: 'Copyright (c) 1994 - 2023 Zyxel Communications Corp. # all > rights reserved',
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'User name: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nInvalid user name or password\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: 'Invalid password\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle: (id, _args, session) =>
        id === 'exit'
          ? { kind: 'exit' }
          : configReply(
              ['Building configuration...', '', 'Current configuration:', ''],
              session.config,
            ),
      unprivileged: (id) =>
        id === 'show-run' ? { kind: 'output', text: invalid(`${hostname}>`, 5) } : undefined,
      invalidText: (errorAt) => invalid(prompt, errorAt),
    }),
  };
}

/** The `zynos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `vlan 1
  name 1
  normal ""
  fixed 1-28
  forbidden ""
  untagged 1-28
  ip address default-management 192.0.2.60 255.255.255.0
  ip address default-gateway 192.0.2.1
exit
interface port-channel 1
  name "uplink # core >"
exit
hostname ${hostname}
timesync server 192.0.2.123
timesync ntp
`;
}
