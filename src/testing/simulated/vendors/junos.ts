import type { SimulatedReply } from '../types.js';
import { isoDateTime, type PersonalitySettings, type BuiltInPersonality } from './kit.js';

const PIPES = new Set(['display omit', 'no-more', 'display inheritance']);

/**
 * Juniper Junos (exec). `show configuration` with any of the pipes `| display omit`, `| no-more`,
 * `| display inheritance` prints `## Last commit: 2026-03-07 12:00:00 UTC by admin` (the time the
 * configuration last changed, as real Junos does; new on every read under the
 * `volatileChangeTimes` fault) and the configuration; `show version` prints `Junos: <version>`. Errors go to stdout
 * with exit status 0: `error: unknown command: foo` for an unknown first word,
 * `error: syntax error, expecting <command>: foo` after `show`.
 */
export function junos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'router1';
  return {
    vendor: 'junos',
    mode: 'exec',
    sampleConfig,
    ident: 'OpenSSH_7.5',
    hostname,
    version: settings.version ?? '21.4R3.15',
    respond(command, session) {
      const [base = '', ...pipes] = command
        .split('|')
        .map((part) => part.trim().replace(/\s+/g, ' '));
      if (!pipes.every((pipe) => PIPES.has(pipe))) return undefined;
      if (base === 'show configuration') {
        const time = isoDateTime(
          session.faults.volatileChangeTimes ? session.volatileTime() : session.configChangedAt,
        );
        return { kind: 'config', text: `## Last commit: ${time} UTC by admin\n${session.config}` };
      }
      if (base === 'show version') {
        return {
          kind: 'output',
          text: `Hostname: ${session.hostname}\nModel: mx204\nJunos: ${session.version}\n`,
        };
      }
      return undefined;
    },
    invalidCommand(command): SimulatedReply {
      const words = command.split('|')[0]!.trim().split(/\s+/);
      if (words[0] !== 'show' || words.length < 2) {
        return { kind: 'output', text: `error: unknown command: ${words[0] ?? ''}\n` };
      }
      const bad = words[1] === 'configuration' ? (command.split('|')[1]?.trim() ?? '') : words[1]!;
      return { kind: 'output', text: `error: syntax error, expecting <command>: ${bad}\n` };
    },
  };
}

/** The `junos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `version 21.4R3;
system {
    host-name ${hostname};
    login {
        message "#### authorized use only > ####";
    }
}
interfaces {
    ge-0/0/0 {
        description "uplink # isp >";
        unit 0 {
            family inet {
                address 192.0.2.4/24;
            }
        }
    }
}
`;
}
