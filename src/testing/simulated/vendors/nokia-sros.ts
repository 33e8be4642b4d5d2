import {
  DEFAULT_BANNER,
  abbreviatingCli,
  caretLine,
  ctime,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type SrosCommand = 'no-more' | 'display-config' | 'exit';

const SYNTAX: readonly CommandSyntax<SrosCommand>[] = [
  { id: 'no-more', words: ['environment', 'no', 'more'] },
  { id: 'display-config', words: ['admin', 'display-config'] },
  { id: 'exit', words: ['logout'] },
];

const PAGER = 'Press any key to continue (Q to quit)';

/**
 * Nokia SR OS (classic CLI): prompt `A:pe1# `, `Login:` / `Password:` over telnet, pager
 * `Press any key to continue (Q to quit)` erased with `\r`, spaces, `\r`; `environment no more`
 * turns it off. `admin display-config` prints the `# TiMOS-…` header and `# Generated <time>`
 * before the configuration and `# Finished <time>` after it (both new on every read). Errors:
 * `Error: Bad command.` under a caret. `logout` leaves.
 */
export function nokiaSros(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'pe1';
  const prompt = `A:${hostname}# `;
  return {
    vendor: 'nokia-sros',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.0',
    hostname,
    version: settings.version ?? '20.10.R3',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'Login: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nLogin incorrect\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'no-more':
            session.paging = false;
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'display-config': {
            const time = ctime(session.volatileTime()).toUpperCase();
            return {
              kind: 'config',
              text: [
                `# TiMOS-C-${session.version} cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2021 Nokia.`,
                '# All rights reserved. All use subject to applicable license agreements.',
                `# Built on Wed Jan 27 13:44:00 PST 2021 by builder in /builds/c/2010B/R3/panos/main/sros`,
                '# Configuration format version 20.10 revision 0',
                '',
                `# Generated ${time} UTC`,
                '',
                `${session.config}`,
                `# Finished ${time} UTC`,
                '',
              ].join('\n'),
            };
          }
        }
      },
      invalidText: (errorAt) => `${caretLine(prompt, errorAt)}\nError: Bad command.\n`,
    }),
  };
}

/** The `nokia-sros` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `exit all
configure
#--------------------------------------------------
echo "System Configuration"
#--------------------------------------------------
    system
        name "${hostname}"
        location "pop # rack 4 >"
    exit
#--------------------------------------------------
echo "Router (Network Side) Configuration"
#--------------------------------------------------
    router Base
        interface "system"
            address 192.0.2.100/32
            no shutdown
        exit
    exit
exit all
`;
}
