import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';
import { isWholeFastpathConfig } from './fastpath.js';

/**
 * EFOS secrets: `password <value>` of local users and `enable`, SNMP communities, RADIUS and
 * TACACS+ keys, PEM private keys.
 */
const EFOS_SECRETS: readonly SecretRule[] = [
  { line: /\bpassword ("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*snmp-server community ("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*(?:radius-server|tacacs-server) .*\bkey (?:\d+ )?("[^"]*"(?=\s|$)|\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Broadcom EFOS (Enhanced Fabric OS, FASTPATH's successor: NetApp BES/Cluster switches, Edgecore
 * and other white boxes) over an interactive shell: `enable`, `terminal length 0`, then `show
 * running-config`.
 *
 * EFOS prints no end marker. Complete when the `!Current Configuration:` header is there and every
 * block (`configure`, `vlan database`, `line …`, `interface …`, `router …`) is closed by its `exit`. Normalization drops the
 * header's `!System Up Time`, `!Current System Time:` and `!Current SNTP Synchronized Time:`.
 */
export const efos: ConfigCollector = defineCollector({
  vendor: 'efos',
  displayName: 'Broadcom EFOS',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  // (Metro_Switch_A_1) >   (Metro_Switch_A_1) #   (Routing) (Config)#
  promptPattern: /^\([\w .-]+\) ?(?:\([\w ./-]+\) ?)?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*(?:% )?(?:Access denied|Incorrect Password|Bad passwords?)/im],
  },
  pagerPattern: /^\s*--More-- or \(q\)uit\s*$/,
  exitCommand: 'logout',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*Command not found \/ Incomplete command/m,
    /^[ \t]*% (?:Incomplete|Ambiguous) command/m,
    /^[ \t]*(?:Error: )?Command authorization failed/m,
  ],
  isComplete: isWholeFastpathConfig,
  normalization: {
    dropLines: [
      /^!System Up Time\b/,
      /^!Current System Time:/,
      /^!Current SNTP Synchronized Time:/,
    ],
  },
  secrets: EFOS_SECRETS,
});
