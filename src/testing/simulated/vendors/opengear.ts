import type { SimulatedReply } from '../types.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';

/**
 * Opengear console server (exec, `/bin/sh`): `config -g config` prints the settings as they are;
 * `cat /etc/version` prints the firmware version. Anything else: `-sh: <word>: not found` on
 * stderr, exit 127.
 */
export function opengear(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'im7200';
  return {
    vendor: 'opengear',
    mode: 'exec',
    sampleConfig,
    ident: 'dropbear_2022.83',
    hostname,
    version: settings.version ?? '4.13.1',
    respond(command, session): SimulatedReply | undefined {
      const line = command.trim().replace(/\s+/g, ' ');
      if (line === 'config -g config') return { kind: 'config', text: session.config };
      if (line === 'cat /etc/version') {
        return { kind: 'output', text: `OpenGear/IM72xx Version ${session.version}\n` };
      }
      return undefined;
    },
    invalidCommand(command): SimulatedReply {
      const word = command.trim().split(/\s+/)[0] ?? '';
      if (word === 'config') {
        return { kind: 'output', stderr: 'config: Invalid option\n', exitStatus: 1 };
      }
      return { kind: 'output', stderr: `-sh: ${word}: not found\n`, exitStatus: 127 };
    },
  };
}

/** The `opengear` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `config.system.name ${hostname}
config.system.location rack # 4 > row 2
config.system.timezone Europe/Berlin
config.interfaces.wan.address 192.0.2.80
config.interfaces.wan.netmask 255.255.255.0
config.ports.port1.label core-sw1 > console
config.ports.port1.speed 9600
`;
}
