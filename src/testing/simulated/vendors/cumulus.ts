import type { SimulatedReply } from '../types.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';

/**
 * NVIDIA Cumulus Linux 5 (NVUE) in bash: prompt `cumulus@leaf01:mgmt:~$ `; `nv config show`
 * (with `--color off`, `-o yaml`) prints the configuration as it is, which starts with its `-
 * header:`; the device has no pager. Unknown `nv` subcommands:
 * `Error: No such command "foo".`; other commands: `-bash: foo: command not found`.
 */
export function cumulus(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'leaf01';
  return {
    vendor: 'cumulus',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.4p1 Debian-5+deb11u3',
    hostname,
    version: settings.version ?? '5.9.2',
    prompt: `cumulus@${hostname}:mgmt:~$ `,
    banner: 'Welcome to NVIDIA Cumulus (R) Linux (R) # NVUE >',
    respond(command, session) {
      const words = command.split(/\s+/);
      if (words.length === 1 && (words[0] === 'exit' || words[0] === 'logout')) {
        return { kind: 'exit' };
      }
      if (words[0] === 'nv' && words[1] === 'config' && words[2] === 'show') {
        const options = words.slice(3).join(' ');
        if (['', '--color off', '-o yaml', '--color off -o yaml'].includes(options)) {
          return { kind: 'config', text: session.config };
        }
      }
      return undefined;
    },
    invalidCommand(command): SimulatedReply {
      const words = command.split(/\s+/);
      if (words[0] === 'nv') {
        return { kind: 'output', text: `Error: No such command "${words[1] ?? ''}".\n` };
      }
      return { kind: 'output', text: `-bash: ${words[0] ?? ''}: command not found\n` };
    },
  };
}

/** The `cumulus` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `- header:
    model: VX
    nvue-api-version: nvue_v1
    rev-id: 1.0
    version: Cumulus Linux 5.9.2
- set:
    interface:
      swp1:
        description: 'uplink # spine >'
        type: swp
    system:
      hostname: ${hostname}
`;
}
