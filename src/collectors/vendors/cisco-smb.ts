import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Cisco Small Business secrets: local user and enable passwords (`encrypted` hashes or clear),
 * SNMP communities and v3 keys, RADIUS/TACACS+ keys (`encrypted …-server key`, per host too),
 * SNTP authentication keys, PEM private keys.
 */
const CISCO_SMB_SECRETS: readonly SecretRule[] = [
  { line: /^username \S+ .*?\bpassword(?: encrypted)? (\S+)/ },
  { line: /^enable password(?: level \d+)?(?: encrypted)? (\S+)/ },
  { line: /^snmp-server community (\S+)/ },
  { line: /^(?:encrypted )?snmp-server user \S+ .*?\bauth-(?:md5|sha) (\S+)/ },
  { line: /^(?:encrypted )?snmp-server user \S+ .*?\bpriv (\S+)/ },
  { line: /^(?:encrypted )?(?:radius|tacacs)-server (?:host \S+ .*?)?key (\S+)/ },
  { line: /^(?:encrypted )?sntp authentication-key \d+ md5 (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Cisco Small Business switches (SG200/SG300/SG350/SG500/SG550X, CBS250/CBS350) over an
 * interactive shell: `terminal datadump` (paging off), `terminal width 0` and `terminal length 0`
 * (where the firmware has them; a refused setup command is ignored), then `show running-config`.
 *
 * The configuration has no end marker: it is complete when it starts with its
 * `config-file-header` block and does not stop inside an indented block. Normalization drops
 * `Current configuration : N bytes` and `ntp clock-period N`; the header's firmware version line
 * is kept, so an upgrade shows as a change.
 */
export const ciscoSmb: ConfigCollector = defineCollector({
  vendor: 'cisco-smb',
  displayName: 'Cisco Small Business',
  mode: 'shell',
  setupCommands: ['terminal datadump', 'terminal width 0', 'terminal length 0'],
  commands: ['show running-config'],
  // switch01#, sg300-28>, cbs350(config-if)#, user@switch#
  promptPattern: /^[\w.@-]+(?:\([\w.-]+\))?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*% (?:Access denied|Bad passwords?|Incorrect password)/m],
  },
  pagerPattern: /^\s*More: <space>, +Quit: q or CTRL\+Z, +One line: <return>\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Unrecognized command/m,
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% (?:missing mandatory parameter|bad parameter value|Incomplete command)/m,
    /^[ \t]*% Ambiguous command/m,
  ],
  isComplete: (text) => {
    if (!text.trimStart().startsWith('config-file-header\n')) return false;
    const lines = text.trimEnd().split('\n');
    return !/^\s/.test(lines[lines.length - 1] ?? '');
  },
  normalization: {
    dropLines: [/^Current configuration ?: \d+ bytes$/, /^ntp clock-period \d+$/],
  },
  secrets: CISCO_SMB_SECRETS,
});
