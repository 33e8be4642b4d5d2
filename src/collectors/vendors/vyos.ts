import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * VyOS/EdgeOS secrets in the `set` command form: `encrypted-password`, `plaintext-password`,
 * `password`, `secret`, `pre-shared-secret`, `key` (RADIUS/TACACS+, BGP, OSPF md5, WireGuard
 * private keys), WireGuard peers' `preshared-key`, SNMP communities, PEM private keys.
 */
const VYOS_SECRETS: readonly SecretRule[] = [
  {
    line: /^set .* (?:encrypted-password|plaintext-password|password|secret|pre-shared-secret|private-key|preshared-key|key|md5-key|passphrase|shared-secret) (?:'([^']*)'|(\S+))$/,
  },
  { line: /^set service snmp community (?:'([^']*)'|(\S+))/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * VyOS and Ubiquiti EdgeOS over an interactive shell: `show configuration commands | no-more`,
 * which prints the configuration as `set …` commands without paging.
 *
 * Complete when every non-blank line is a `set` command and the last one closes its quotes (an
 * output cut inside a value leaves a quote open).
 */
export const vyos: ConfigCollector = defineCollector({
  vendor: 'vyos',
  displayName: 'VyOS',
  mode: 'shell',
  commands: ['show configuration commands | no-more'],
  // vyos@edge-01:~$   vyos@edge-01#
  promptPattern: /^[\w.-]+@[\w.-]+(?::\S*)?[$#] ?$/,
  exitCommand: 'exit',
  errorPatterns: [/^[ \t]*Invalid command: /m, /^-?v?bash: .*: command not found/m],
  isComplete: (text) => {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return (
      lines.length > 0 &&
      lines.every((line) => line.startsWith('set ')) &&
      (lastNonBlankLine(text).split("'").length - 1) % 2 === 0
    );
  },
  secrets: VYOS_SECRETS,
});
