import {
  DEFAULT_BANNER,
  abbreviatingCli,
  caretLine,
  configReply,
  setPageLength,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type ComwareCommand = 'screen-disable' | 'screen-length' | 'display-current' | 'exit';

const SYNTAX: readonly CommandSyntax<ComwareCommand>[] = [
  { id: 'screen-disable', words: ['screen-length', 'disable'] },
  { id: 'screen-length', words: ['screen-length', '<n>'] },
  { id: 'display-current', words: ['display', 'current-configuration'] },
  { id: 'exit', words: ['quit'] },
  { id: 'exit', words: ['logout'] },
];

const PAGER = '  ---- More ----';
const LEFT = `\x1b[${PAGER.length}D`;

/**
 * HPE/H3C Comware 7: prompt `<H3C>`, pager `  ---- More ----` erased with ANSI cursor-left, blanks,
 * cursor-left; `screen-length disable` turns it off (silently, as Comware 7 does). `display
 * current-configuration` starts with `#` and ` version <version>`. Errors: `% Unrecognized command
 * found at '^' position.` under a caret line.
 */
export function hpeComware(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'H3C';
  const prompt = `<${hostname}>`;
  return {
    vendor: 'hpe-comware',
    mode: 'shell',
    sampleConfig,
    ident: 'Comware-7.1.070',
    hostname,
    version: settings.version ?? '7.1.070, Release 3507P18',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting:
        '\r\n******************************************************************************\r\n\r\n',
      usernamePrompt: 'Login: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\n%Username or password is invalid.\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `${LEFT}${' '.repeat(PAGER.length)}${LEFT}` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, args, session) {
        switch (id) {
          case 'screen-disable':
            session.paging = false;
            return { kind: 'output' };
          case 'screen-length':
            return setPageLength(session, args[0]);
          case 'exit':
            return { kind: 'exit' };
          case 'display-current':
            return configReply(['#', ` version ${session.version}`], session.config);
        }
      },
      invalidText: (errorAt, incomplete) =>
        `${caretLine(prompt, errorAt)}\n % ${incomplete ? 'Incomplete' : 'Unrecognized'} command found at '^' position.\n`,
    }),
  };
}

/** The `hpe-comware` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `#
 sysname ${hostname}
#
vlan 20
 name users#floor2>
#
interface GigabitEthernet1/0/1
 port link-mode bridge
 description desk # 1 > [TRUNK]
 port access vlan 20
#
return
`;
}
