import {
  DEFAULT_BANNER,
  abbreviatingCli,
  caretLine,
  configReply,
  isEnableCommand,
  LEAVE_SYNTAX,
  wordStart,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type AoswCommand = 'no-paging' | 'paging' | 'encrypt-disable' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<AoswCommand>[] = [
  { id: 'no-paging', words: ['no', 'paging'] },
  { id: 'paging', words: ['paging'] },
  { id: 'encrypt-disable', words: ['encrypt', 'disable'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '--More-- (q) quit (u) pageup (/) search (n) repeat';

/**
 * ArubaOS 8 controller: prompt `(Aruba7210) [mynode] #` (`(Aruba7210) >` before `enable`), every
 * prompt after a carriage return as the controller prints it; pager `--More-- (q) quit (u) pageup
 * (/) search (n) repeat`; `no paging` turns it off, `encrypt disable` is accepted. `show
 * running-config` starts with `Building Configuration...` and `version 8.10`. Errors: `% Invalid
 * input detected at '^' marker.` under a caret line.
 */
export function arubaAosw(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'Aruba7210';
  const prompt = `(${hostname}) [mynode] #`;
  const invalid = (at: string, errorAt: number): string =>
    `${caretLine(at, errorAt)}\n% Invalid input detected at '^' marker.\n\n`;
  return {
    vendor: 'aruba-aosw',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.4',
    hostname,
    version: settings.version ?? '8.10',
    prompt: `\r${prompt}`,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'User: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `(${hostname}) >`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '',
      deniedText: 'Error: Authentication failed\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'no-paging':
            session.paging = false;
            return { kind: 'output' };
          case 'paging':
            session.paging = true;
            return { kind: 'output' };
          case 'encrypt-disable':
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-run':
            return configReply(
              ['Building Configuration...', ' ', `version ${session.version}`],
              session.config,
            );
        }
      },
      // At `>`, only a few show commands exist.
      unprivileged: (id, command) =>
        id === 'show-run' || id === 'encrypt-disable'
          ? { kind: 'output', text: invalid(`(${hostname}) >`, wordStart(command, 1)) }
          : undefined,
      invalidText: (errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n\n' : invalid(prompt, errorAt),
    }),
  };
}

/** The `aruba-aosw` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname "${hostname}"
clock timezone Europe/Berlin +02 0
!
syslocation "rack # 4 > row 2"
!
ap system-profile "AP-PROFILE"
   lms-ip 192.0.2.52
!
wlan ssid-profile "CORP"
   essid "CORP#5G>"
   opmode wpa2-aes
!
vlan 42
!
end
`;
}
