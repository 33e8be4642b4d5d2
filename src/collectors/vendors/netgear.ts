import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';
import { isWholeFastpathConfig } from './fastpath.js';

/**
 * Netgear secrets: every `encrypted <value>` (user secrets, SNMPv3 keys), `password <value>`,
 * SNMP communities in both CLI dialects (`snmp-server community <name>`, `snmp community
 * "<name>"`), RADIUS/TACACS+ keys, PEM private keys.
 */
const NETGEAR_SECRETS: readonly SecretRule[] = [
  { line: /\bencrypted ("[^"]*"(?=\s|$)|\S+)/g },
  { line: /\bpassword (?!encrypted\b)("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*snmp-server community (?:(?:ro|rw) )?("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*snmp community ("[^"]*"(?=\s|$)|\S+)/ },
  {
    line: /^\s*(?:radius-server|tacacs-server) (?:host \S+ )?key (?!encrypted\b)("[^"]*"(?=\s|$)|\S+)/,
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Netgear managed and smart managed switches (FASTPATH `(M4300-52G) #` and the `19sw011#` CLI of
 * the smart pro series) over an interactive shell: `enable` where the account lands at `>`,
 * `terminal length 0`, then `show running-config`.
 *
 * Complete: on the smart managed pro CLI, `SYSTEM CONFIG FILE ::= BEGIN` and a last line `!`; on
 * FASTPATH, the `!Current Configuration:` header and every block closed by its `exit` (the output
 * has no end marker).
 * Normalization drops `! System Up Time …` and `Current SNTP Synchronized Time: …`.
 */
export const netgear: ConfigCollector = defineCollector({
  vendor: 'netgear',
  displayName: 'Netgear',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  // (M4300-52G) #   (GS752TPP) >   19sw011#
  promptPattern: /^(?:\([\w .-]+\) ?|[\w.-]+)[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*% (?:Access denied|Bad passwords?|Incorrect password)/im],
  },
  // Only the whole prompt: a bare `--More--` would also match the start of one split in two.
  pagerPattern: /^\s*--More-- or \(q\)uit\s*$/,
  exitCommand: 'quit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% (?:Incomplete|Unrecognized|Ambiguous|Invalid) command/m,
    /^[ \t]*Command not found/m,
  ],
  isComplete: (text) =>
    /^SYSTEM CONFIG FILE ::= BEGIN$/m.test(text)
      ? lastNonBlankLine(text) === '!'
      : isWholeFastpathConfig(text),
  normalization: {
    dropLines: [/^!\s*System Up Time\b/, /^!?\s*Current SNTP Synchronized Time:/],
  },
  secrets: NETGEAR_SECRETS,
});
