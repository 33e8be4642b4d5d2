import type { SimulatedReply } from '../types.js';
import type { BuiltInPersonality, PersonalitySettings } from './kit.js';
import { catOperands, shellWords } from './linux.js';

/**
 * NVIDIA Cumulus Linux with FRR, reached over exec (`\n` line ends): `cat [--] <path>…` prints
 * files as a Cumulus switch holds them — the `config` is `/etc/network/interfaces` (ifupdown2),
 * and `/etc/hostname`, `/etc/frr/daemons`, `/etc/frr/frr.conf` and `/etc/cumulus/ports.conf` have
 * a switch's usual contents unless the `files` option gives them. A missing file: `cat: <path>: No
 * such file or directory` on stderr, exit status 1. Other commands: `-bash: foo: command not
 * found`, exit status 127. Under the `commandError` fault, `cat` is refused with `Permission
 * denied` (an account outside the `frr` group).
 */
export function cumulusFrr(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'leaf01';
  const defaults: Readonly<Record<string, string>> = {
    '/etc/hostname': `${hostname}\n`,
    '/etc/frr/daemons': 'zebra=yes\nbgpd=yes\nospfd=no\nospf6d=no\nisisd=no\nvtysh_enable=yes\n',
    '/etc/frr/frr.conf': `frr version 7.4+cl4.4.0u4\nfrr defaults datacenter\nhostname ${hostname}\nlog syslog informational\nservice integrated-vtysh-config\n!\nrouter bgp 65101\n bgp router-id 10.0.0.11\n neighbor swp51 interface remote-as external\n !\n address-family ipv4 unicast\n  redistribute connected\n exit-address-family\n!\nline vty\n!\n`,
    '/etc/cumulus/ports.conf': '# ports.conf --\n1=100G\n2=100G\n3=4x25G\n',
  };
  return {
    vendor: 'cumulus-frr',
    mode: 'exec',
    sampleConfig,
    ident: 'OpenSSH_7.9p1 Debian-10+deb10u2',
    hostname,
    version: settings.version ?? '4.4.0',
    respond(command, session): SimulatedReply | undefined {
      const operands = catOperands(command);
      if (!operands) return undefined;
      let text = '';
      let stderr = '';
      for (const path of operands) {
        const content = session.files[path] ?? defaults[path];
        if (content === undefined) stderr += `cat: ${path}: No such file or directory\n`;
        else text += content;
      }
      if (stderr) return { kind: 'output', text, stderr, exitStatus: 1 };
      return { kind: 'config', text };
    },
    invalidCommand(command): SimulatedReply {
      const operands = catOperands(command);
      if (operands) {
        const stderr = operands.map((path) => `cat: ${path}: Permission denied\n`).join('');
        return { kind: 'output', stderr, exitStatus: 1 };
      }
      const name = shellWords(command)?.[0] ?? command.split(/\s+/)[0] ?? '';
      return { kind: 'output', stderr: `-bash: ${name}: command not found\n`, exitStatus: 127 };
    },
  };
}

/** The `cumulus-frr` sample configuration: `/etc/network/interfaces` of a switch named `hostname`. */
function sampleConfig(hostname: string): string {
  return `# /etc/network/interfaces of ${hostname} # leaf >
auto lo
iface lo inet loopback
    address 10.0.0.11/32

auto swp51
iface swp51
    alias uplink to spine01
`;
}
