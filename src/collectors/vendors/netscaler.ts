import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Citrix NetScaler (ADC) secrets: every value the CLI marks `-encrypted` (system user hashes,
 * LDAP bind passwords, RADIUS keys, RPC node passwords, certificate passphrases), SNMP communities,
 * and PEM private keys.
 */
const NETSCALER_SECRETS: readonly SecretRule[] = [
  { line: /(?:^| )("[^"]*"|\S+) -encrypted\b/g },
  { line: /^add snmp community (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Citrix NetScaler / ADC over an interactive shell (the NetScaler CLI, not the BSD shell):
 * `set cli mode -page OFF`, then `show ns runningConfig`.
 *
 * Prompts read `> ` (or a prompt set with `set cli prompt`, e.g. `nsroot@ns1-Primary> `).
 * NetScaler has no privilege step. Complete when the output ends with the CLI's `Done`.
 * Normalization drops `# Last modified …` (the save time); the `#NS13.1 Build 49.13` line is kept,
 * so an upgrade shows.
 */
export const netscaler: ConfigCollector = defineCollector({
  vendor: 'netscaler',
  displayName: 'Citrix NetScaler',
  mode: 'shell',
  setupCommands: ['set cli mode -page OFF'],
  commands: ['show ns runningConfig'],
  promptPattern: /^(?:[\w.@:-]+)?> ?$/,
  pagerPattern: /^\s*--More--\s*$/,
  exitCommand: 'exit',
  errorPatterns: [/^[ \t]*ERROR: /m],
  isComplete: endsWithLine('Done'),
  normalization: {
    dropLines: [/^# Last modified /],
  },
  secrets: NETSCALER_SECRETS,
  // `#NS13.1 Build 49.13`, the first line
  detectVersion: (head) => /^#NS(\S+ Build \S+)/m.exec(head)?.[1],
});
