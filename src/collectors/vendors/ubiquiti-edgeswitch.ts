import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Ubiquiti EdgeSwitch secrets: local user and enable passwords (hashes with `encrypted`), SNMP
 * communities, RADIUS and TACACS+ keys, PEM private keys. Values may be quoted.
 */
const EDGESWITCH_SECRETS: readonly SecretRule[] = [
  { line: /^username (?:"[^"]*"|\S+) password (?:"([^"]*)"|(\S+))/ },
  { line: /^enable password (?:"([^"]*)"|(\S+))/ },
  { line: /^snmp-server community (?:"([^"]*)"|(\S+))/ },
  { line: /^radius server key (?:auth|acct) \S+ (?:encrypted )?(?:"([^"]*)"|(\S+))/ },
  { line: /^tacacs-server (?:host \S+ .*?)?key (?:encrypted )?(?:"([^"]*)"|(\S+))/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Ubiquiti EdgeSwitch (the FASTPATH-based EdgeSwitch and EdgeSwitch X / XP lines; not the
 * UniFi switches) over an interactive shell: `enable` (the privilege step; the factory enable
 * password is empty, `enableSecret: ''`), `terminal length 0`, then `show running-config`.
 *
 * The configuration has no end marker: it is complete when it starts with the
 * `!Current Configuration:` header. Normalization drops `!System Up Time …` and
 * `!Current SNTP Synchronized Time: …` (as Oxidized does); `!System Description` and
 * `!System Software Version` are kept, so an upgrade shows as a change.
 */
export const ubiquitiEdgeswitch: ConfigCollector = defineCollector({
  vendor: 'ubiquiti-edgeswitch',
  displayName: 'Ubiquiti EdgeSwitch',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  // (UBNT EdgeSwitch) >, (EdgeSwitch-24) #, (ES-48-LITE) (Config)#
  promptPattern: /^\([\w .-]+\) ?(?:\([\w ./-]+\))?[#>] ?$/,
  privilege: { command: 'enable', privilegedPrompt: /#$/ },
  pagerPattern: /^\s*--More-- or \(q\)uit\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*(?:% )?Incomplete command\./m,
    /^[ \t]*(?:% )?Command not found/m,
  ],
  isComplete: (text) => text.trimStart().startsWith('!Current Configuration:\n'),
  normalization: {
    dropLines: [/^!System Up Time\b/, /^!Current SNTP Synchronized Time\b/],
  },
  secrets: EDGESWITCH_SECRETS,
});
