import {
  DEFAULT_BANNER,
  abbreviatingCli,
  caretLine,
  configReply,
  isoDateTime,
  setPageLength,
  type CommandSyntax,
  type PersonalitySettings,
  type BuiltInPersonality,
} from './kit.js';

type VrpCommand = 'screen-length' | 'display-current' | 'exit';

const SYNTAX: readonly CommandSyntax<VrpCommand>[] = [
  { id: 'screen-length', words: ['screen-length', '<n>', 'temporary'] },
  { id: 'display-current', words: ['display', 'current-configuration'] },
  { id: 'exit', words: ['quit'] },
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['logout'] },
];

const PAGER = '  ---- More ----';
const LEFT = `\x1b[${PAGER.length}D`;

/**
 * Huawei VRP: prompt `<HUAWEI>`, pager `  ---- More ----` erased with ANSI cursor-left, spaces,
 * cursor-left; `screen-length 0 temporary` turns it off (and prints an `Info:` line). `display
 * current-configuration` prints `!Software Version …` and `!Last configuration was updated at …`
 * (the last `setConfig`). Errors: `Error: Unrecognized command found at '^' position.` under a
 * caret line.
 */
export function huaweiVrp(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'HUAWEI';
  const prompt = `<${hostname}>`;
  return {
    vendor: 'huawei-vrp',
    mode: 'shell',
    sampleConfig,
    ident: 'HUAWEI-1.5',
    hostname,
    version: settings.version ?? 'V200R019C10SPC800',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      // VRP's telnet login: no space after the prompts' colons.
      greeting: '\r\n\r\nLogin authentication\r\n\r\n\r\n',
      usernamePrompt: 'Username:',
      passwordPrompt: 'Password:',
      failureText: '\r\nError: Failed to pass the authentication.\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `${LEFT}${' '.repeat(PAGER.length)}${LEFT}` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, args, session) {
        switch (id) {
          case 'screen-length':
            setPageLength(session, args[0]);
            return {
              kind: 'output',
              text: 'Info: The configuration takes effect on the current user terminal interface only.\n',
            };
          case 'exit':
            return { kind: 'exit' };
          case 'display-current':
            return configReply(
              [
                `!Software Version ${session.version}`,
                `!Last configuration was updated at ${isoDateTime(session.configChangedAt)}+00:00 by admin`,
              ],
              session.config,
            );
        }
      },
      invalidText: (errorAt, incomplete) =>
        `${caretLine(prompt, errorAt)}\nError: ${incomplete ? 'Incomplete' : 'Unrecognized'} command found at '^' position.\n`,
    }),
  };
}

/** The `huawei-vrp` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `#
 sysname ${hostname}
#
interface GigabitEthernet0/0/1
 description uplink # core >
 ip address 192.0.2.5 255.255.255.0
#
return
`;
}
