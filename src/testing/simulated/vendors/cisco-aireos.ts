import type { SimulatedTelnetLogin } from '../types.js';
import {
  abbreviatingCli,
  type BuiltInPersonality,
  type CommandSyntax,
  type PersonalitySettings,
} from './kit.js';

type AireosCommand = 'paging' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<AireosCommand>[] = [
  { id: 'paging', words: ['config', 'paging', 'disable'] },
  { id: 'show-run', words: ['show', 'run-config', 'commands'] },
  { id: 'exit', words: ['logout'] },
];

const PAGER = '--More-- or (q)uit';

/** The controller's login, inside the SSH shell and over telnet alike. */
const LOGIN: SimulatedTelnetLogin = {
  greeting: '\r\n(Cisco Controller)\r\n',
  usernamePrompt: 'User: ',
  passwordPrompt: 'Password:',
  failureText: '',
  attempts: 3,
};

/**
 * Cisco AireOS WLC: prompt `(Cisco Controller) >`; over SSH a second `User:` / `Password:` login
 * inside the shell; pager `--More-- or (q)uit` erased with `\r`, spaces, `\r`;
 * `config paging disable` turns it off. `show run-config commands` prints the configuration as
 * commands, among them a `rogue client alert <mac>` line and
 * `interface nat-address management set <addr>` that move on every read. Errors:
 * `Incorrect usage. Use the '?' or <TAB> key to list commands.` `logout` leaves.
 */
export function ciscoAireos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'WLC-01';
  const mac = (n: number): string =>
    Array.from({ length: 6 }, (_, i) => ((n >> (i * 4)) & 0xff).toString(16).padStart(2, '0')).join(
      ':',
    );
  let reads = 0;
  return {
    vendor: 'cisco-aireos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.5',
    hostname,
    version: settings.version ?? '8.10.185.0',
    prompt: '(Cisco Controller) >',
    banner: '',
    telnetLogin: LOGIN,
    sshShellLogin: LOGIN,
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, _args, session) {
        switch (id) {
          case 'paging':
            session.paging = false;
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-run': {
            reads++;
            return {
              kind: 'config',
              text: `\n${session.config}rogue client alert ${mac(0x3a1f00 + reads)}\ninterface nat-address management set 203.0.113.${reads % 250}\n`,
            };
          }
        }
      },
      invalidText: () => "\nIncorrect usage. Use the '?' or <TAB> key to list commands.\n",
    }),
  };
}

/** The `cisco-aireos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `802.11a cac voice stream-size 84000 max-streams 2
802.11b cac voice stream-size 84000 max-streams 2
interface address management 192.0.2.70 255.255.255.0 192.0.2.1
interface address virtual 192.0.0.2
sysname ${hostname}
wlan create 1 CORP "Corp # WiFi >"
wlan enable 1
`;
}
