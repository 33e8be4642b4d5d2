import type { SimulatedReply } from '../types.js';
import {
  DEFAULT_BANNER,
  setPageLength,
  type PersonalitySettings,
  type BuiltInPersonality,
} from './kit.js';

/**
 * VyOS: prompt `vyos@vyos:~$ ` (with its trailing space), output paged by `less` with a `:` prompt
 * erased by `\r` + erase-line, unless the command ends in `| no-more` or after `terminal length 0`
 * / `set terminal length 0`. `show configuration commands` prints the configuration as it is (VyOS
 * has no header). Unknown commands: `  Invalid command: [foo]` (`show [foo]` for a bad word after
 * `show`).
 */
export function vyos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'vyos';
  return {
    vendor: 'vyos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.4p1 Debian-5+deb11u3',
    hostname,
    version: settings.version ?? '1.4.0',
    prompt: `vyos@${hostname}:~$ `,
    banner: DEFAULT_BANNER,
    pager: { prompt: ':', erase: '\r\x1b[K' },
    respond(command, session) {
      const [pipeline = '', ...filters] = command.split('|').map((part) => part.trim());
      const noMore = filters.length === 1 && filters[0] === 'no-more';
      if (filters.length > 0 && !noMore) return undefined;
      const words = pipeline.split(/\s+/);
      if (words.length === 1 && (words[0] === 'exit' || words[0] === 'logout')) {
        return { kind: 'exit' };
      }
      if (/^(set )?terminal length \d+$/.test(pipeline)) {
        return setPageLength(session, words[words.length - 1]);
      }
      if (pipeline === 'show configuration commands' || pipeline === 'show configuration') {
        return { kind: 'config', text: session.config, paged: !noMore };
      }
      if (pipeline === 'show version') {
        return {
          kind: 'output',
          text: `Version:          VyOS ${session.version}\n`,
          paged: !noMore,
        };
      }
      return undefined;
    },
    invalidCommand(command): SimulatedReply {
      const words = command.split('|')[0]!.trim().split(/\s+/);
      const shown =
        words[0] === 'show' && words.length > 1
          ? `show [${words.slice(1).join(' ')}]`
          : `[${words.join(' ')}]`;
      return { kind: 'output', text: `\n  Invalid command: ${shown}\n\n` };
    },
  };
}

/** The `vyos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `set interfaces ethernet eth0 address '192.0.2.6/24'
set interfaces ethernet eth0 description 'wan # uplink >'
set system host-name '${hostname}'
set service ssh port '22'
`;
}
