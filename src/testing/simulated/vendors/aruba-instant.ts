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

type InstantCommand = 'show-run' | 'show-run-no-encrypt' | 'exit';

const SYNTAX: readonly CommandSyntax<InstantCommand>[] = [
  { id: 'show-run-no-encrypt', words: ['show', 'running-config', 'no-encrypt'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

/**
 * Aruba Instant (an IAP acting as virtual controller): prompt `IAP515# ` (`IAP515> ` before
 * `enable`), a login hint about `show tech-support` before it, no pager. `show running-config
 * [no-encrypt]` starts with `version <version>`. Errors: `Invalid input detected at '^' marker.`
 * under a caret line.
 */
export function arubaInstant(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'IAP515';
  const prompt = `${hostname}# `;
  const invalid = (at: string, errorAt: number): string =>
    `${caretLine(at, errorAt)}\n% Invalid input detected at '^' marker.\n`;
  return {
    vendor: 'aruba-instant',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.4',
    hostname,
    version: settings.version ?? '8.10.0.0-8.10.0',
    prompt,
    banner: `${DEFAULT_BANNER}\n\nshow tech-support and show tech-support supplemental are the two most useful outputs to collect for any kind of troubleshooting session.\n`,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'User: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    privilege: {
      userPrompt: `${hostname}> `,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '',
      deniedText: 'Invalid password\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'exit':
            return { kind: 'exit' };
          case 'show-run':
          case 'show-run-no-encrypt':
            return configReply([`version ${session.version}`], session.config);
        }
      },
      unprivileged: (id, command) =>
        id === 'exit'
          ? undefined
          : { kind: 'output', text: invalid(`${hostname}> `, wordStart(command, 1)) },
      invalidText: (errorAt) => invalid(prompt, errorAt),
    }),
  };
}

/** The `aruba-instant` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `virtual-controller-country DE
name ${hostname}
syslocation rack#4>row2
terminal-access
clock timezone Berlin 01 00

wlan ssid-profile CORP
 enable
 index 0
 essid CORP#5G>
 opmode wpa2-aes
 vlan 123
`;
}
