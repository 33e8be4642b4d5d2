import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * TP-Link JetStream, Omada and DeltaStream secrets: `secret <type> <hash>` and `password [<type>]
 * <value>` of local users and `enable`, SNMP communities, RADIUS/TACACS+ keys, PEM private keys.
 */
const TPLINK_SECRETS: readonly SecretRule[] = [
  { line: /\b(?:secret|password) (?:\d+ )?(?!\d+$)("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*snmp-server community ("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*(?:radius-server|tacacs-server) .*\bkey (?:\d+ )?("[^"]*"(?=\s|$)|\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * TP-Link managed switches and OLTs (JetStream, Omada, DeltaStream) over an interactive shell:
 * `enable` where the account lands at `>`, `terminal length 0`, then `show running-config`.
 *
 * Complete only when the last line is `end`. The running configuration holds no volatile line
 * (the clock and uptime are only in `show system-info`, which is not backed up).
 */
export const tplink: ConfigCollector = defineCollector({
  vendor: 'tplink',
  displayName: 'TP-Link',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  // RT_02-TPLink_OLT#   T2600G-28TS>   SG3428(config)#
  promptPattern: /^[\w.@-]+(?:\([\w.-]+\))?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*(?:Error: )?(?:Access denied|Incorrect password|Bad password)/im],
  },
  // Some firmware leaves out the blanks.
  pagerPattern: /^\s*Press\s?any\s?key\s?to\s?continue\s?\(Q\s?to\s?quit\)\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*(?:Error: |% ?)?(?:Bad command|Invalid (?:command|input|parameter)|Incomplete command|Ambiguous command)/im,
  ],
  isComplete: endsWithLine('end'),
  secrets: TPLINK_SECRETS,
});
