import {
  DEFAULT_BANNER,
  ciscoTelnetLogin,
  abbreviatingCli,
  caretLine,
  clockTimeMs,
  configReply,
  dayAndDate,
  setPageLength,
  type CommandSyntax,
  type PersonalitySettings,
  LEAVE_SYNTAX,
  type BuiltInPersonality,
  isEnableCommand,
  wordStart,
} from './kit.js';

type AsaCommand = 'pager' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<AsaCommand>[] = [
  { id: 'pager', words: ['terminal', 'pager', '<n>'] },
  { id: 'pager', words: ['terminal', 'pager', 'lines', '<n>'] },
  { id: 'show-run', words: ['more', 'system:running-config'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '<--- More --->';

/**
 * Cisco ASA: prompt `asa1#`, pager `<--- More --->` erased with `\r`, spaces, `\r`;
 * `terminal pager 0` turns it off. `more system:running-config` (and `show running-config`) print
 * `: Saved`, `: Serial Number: …`, `: Hardware: …` and `: Written by enable_15 at …` (changes on
 * every read) before the configuration. Errors start with `ERROR: % Invalid input detected`.
 */
export function ciscoAsa(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'asa1';
  const prompt = `${hostname}#`;
  return {
    vendor: 'cisco-asa',
    mode: 'shell',
    sampleConfig,
    ident: 'Cisco-1.25',
    hostname,
    version: settings.version ?? '9.12(4)',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: ciscoTelnetLogin('% Authentication failed'),
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'asterisks',
      attempts: 3,
      wrongSecretText: 'Invalid password\n',
      deniedText: 'Access denied.\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, args, session) {
        switch (id) {
          case 'pager':
            return setPageLength(session, args[0]);
          case 'exit':
            return { kind: 'exit' };
          case 'show-run': {
            const now = session.volatileTime();
            const written = `${clockTimeMs(now)} UTC ${dayAndDate(now)} ${now.getUTCFullYear()}`;
            return configReply(
              [
                ': Saved',
                ':',
                ': Serial Number: JAD2101000A',
                ': Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)',
                `: Written by enable_15 at ${written}`,
                '!',
              ],
              session.config,
            );
          }
        }
      },
      invalidText: (errorAt, incomplete) =>
        incomplete
          ? `ERROR: % Incomplete command\n`
          : `${caretLine(prompt, errorAt)}\nERROR: % Invalid input detected at '^' marker.\n`,
      // At `asa1>` there is no `terminal` and no `more`; `show` knows no `running-config`.
      unprivileged: (id, command) =>
        id === 'exit'
          ? undefined
          : {
              kind: 'output',
              text: `${caretLine(`${hostname}>`, command.toLowerCase().startsWith('sh') ? wordStart(command, 1) : 0)}\nERROR: % Invalid input detected at '^' marker.\n`,
            },
    }),
  };
}

/** The `cisco-asa` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `: Hardware:   ASA5516
ASA Version 9.8(4)
!
hostname ${hostname}
banner motd #### Authorized access only > violators prosecuted ####
interface GigabitEthernet1/1
 nameif outside
 security-level 0
!
access-list OUT extended permit tcp any host 192.0.2.10 eq https
: end
`;
}
