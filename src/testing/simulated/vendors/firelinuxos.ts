import {
  LEAVE_SYNTAX,
  abbreviatingCli,
  caretLine,
  configReply,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type FtdCommand = 'show-run' | 'show-version' | 'exit';

const SYNTAX: readonly CommandSyntax<FtdCommand>[] = [
  { id: 'show-run', words: ['show', 'running-config', 'all'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  { id: 'show-version', words: ['show', 'version', 'system'] },
  ...LEAVE_SYNTAX,
];

const PAGER = '<--- More --->';

/**
 * Cisco Firepower Threat Defense: the FTD CLI's prompt `> ` after the FXOS login banner; it always
 * pages (`<--- More --->`, erased with `\r`, spaces, `\r`: the FTD CLI has no command to turn it
 * off). `show running-config [all]` prints `: Saved`, `: Serial Number: …`, `: Hardware: …` and
 * `NGFW Version …` before the configuration. Errors: `% Invalid input detected at '^' marker.`
 * under a caret.
 */
export function firelinuxos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'firepower';
  const version = settings.version ?? '7.4.2';
  return {
    vendor: 'firelinuxos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.0',
    hostname,
    version,
    prompt: '> ',
    banner:
      'Copyright 2004-2024, Cisco and/or its affiliates. All rights reserved.\n' +
      `Cisco Firepower 1010 Threat Defense v${version} (build 172) # FXOS >\n`,
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'exit':
            return { kind: 'exit' };
          case 'show-version':
            return {
              kind: 'output',
              text: `Model : Cisco Firepower 1010 Threat Defense (78) Version ${session.version}\n`,
            };
          case 'show-run':
            return configReply(
              [
                ': Saved',
                '',
                ': ',
                ': Serial Number: JAD20000AAA',
                ': Hardware:   FPR-1010, 2581 MB RAM, CPU Atom C3000 series 2200 MHz, 1 CPU (4 cores)',
                ':',
                `NGFW Version ${session.version} `,
                '!',
              ],
              session.config,
            );
        }
      },
      invalidText: (errorAt) =>
        `${caretLine('> ', errorAt)}\n% Invalid input detected at '^' marker.\n`,
    }),
  };
}

/** The `firelinuxos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname ${hostname}
names
!
interface Ethernet1/1
 description uplink # internet >
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.252
!
Cryptochecksum:70000cafe00000000000effffaaaacd0
: end
`;
}
