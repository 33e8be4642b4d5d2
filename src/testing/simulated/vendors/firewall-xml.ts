/**
 * pfSense and OPNsense over exec: `cat <config.xml>` prints the configuration with a `<revision>`
 * block (the last save: its time, who, from which page) before the closing root element. Internal.
 * @internal
 */
import type { SimulatedReply, SimulatedSession } from '../types.js';
import { shellWords } from './linux.js';

/** What differs between the two. */
export interface FirewallXmlFlavour {
  readonly configPath: string;
  /** The closing root element, e.g. `</pfsense>`. */
  readonly rootEnd: string;
  readonly indent: string;
  /** `cat /etc/version`-style commands and their answers. */
  readonly extra: Readonly<Record<string, (session: SimulatedSession) => string>>;
}

function revision(flavour: FirewallXmlFlavour, session: SimulatedSession): string {
  const at = session.faults.volatileChangeTimes ? session.volatileTime() : session.configChangedAt;
  const i = flavour.indent;
  return [
    `${i}<revision>`,
    `${i}${i}<time>${Math.floor(at.getTime() / 1000)}</time>`,
    `${i}${i}<description><![CDATA[admin@192.0.2.1 (Local Database): settings saved]]></description>`,
    `${i}${i}<username><![CDATA[admin@192.0.2.1 (Local Database)]]></username>`,
    `${i}</revision>`,
    '',
  ].join('\n');
}

/** The `respond` and `invalidCommand` of a config.xml firewall. */
export function firewallXmlCli(flavour: FirewallXmlFlavour): {
  respond(command: string, session: SimulatedSession): SimulatedReply | undefined;
  invalidCommand(command: string): SimulatedReply;
} {
  return {
    respond(command, session) {
      const words = shellWords(command);
      if (words?.length === 2 && words[0] === 'cat' && words[1] === flavour.configPath) {
        const config = session.config;
        const at = config.lastIndexOf(flavour.rootEnd);
        const text =
          at === -1
            ? config
            : `${config.slice(0, at)}${revision(flavour, session)}${config.slice(at)}`;
        return { kind: 'config', text };
      }
      const extra = flavour.extra[command];
      if (extra) return { kind: 'output', text: extra(session) };
      return undefined;
    },
    invalidCommand(command) {
      const words = shellWords(command) ?? [];
      if (words[0] === 'cat') {
        const stderr = words
          .slice(1)
          .map((path) => `cat: ${path}: Permission denied\n`)
          .join('');
        return { kind: 'output', stderr, exitStatus: 1 };
      }
      return { kind: 'output', stderr: `${words[0] ?? ''}: Command not found.\n`, exitStatus: 1 };
    },
  };
}
