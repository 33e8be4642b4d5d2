import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Dell OS10 secrets: local user and enable passwords (`$6$` hashes or `0 <clear>`), SNMP
 * communities and v3 keys, RADIUS and TACACS+ keys (`key 9 <encrypted>`), routing-protocol
 * passwords and keys inside blocks, PEM private keys.
 */
const OS10_SECRETS: readonly SecretRule[] = [
  { line: /^username \S+ password (\S+)/ },
  { line: /^enable password(?: \d)? (\S+)/ },
  { line: /^snmp-server community (\S+)/ },
  {
    line: /^snmp-server host \S+ (?:traps |informs )?version (?:1|2c|3 (?:noauth|auth|priv)) (\S+)/,
  },
  { line: /^snmp-server user \S+ .*?\bauth (?:md5|sha) (?:localized )?(\S+)/ },
  { line: /^snmp-server user \S+ .*?\bpriv (?:des|aes) (\S+)/ },
  { line: /^(?:radius|tacacs)-server (?:host \S+ .*?)?key(?: \d)? (\S+)/ },
  { line: /^\s+(?:password|authentication-key|message-digest-key \d+ md5)(?: \d)? (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Dell OS10 (Dell EMC SmartFabric OS10: S41xx, S52xx, Z9xxx) over an interactive shell:
 * `terminal length 0`, then `show running-configuration`.
 *
 * The configuration has no end marker: it is complete when it starts with `! Version …` and does
 * not stop inside a block (an indented last line). Normalization drops
 * `! Last configuration change at …`; `! Version` is kept, so an upgrade shows as a change.
 * Accounts land privileged (`OS10#`); where a lower privilege level lands at `OS10>`, `enable`
 * with the enable password steps up.
 */
export const dellOs10: ConfigCollector = defineCollector({
  vendor: 'dell-os10',
  displayName: 'Dell OS10',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-configuration'],
  // OS10#, leaf1(config)#, leaf1(conf-if-eth1/1/1)#
  promptPattern: /^[\w.-]+(?:\([\w./-]+\))?[#>] ?$/,
  privilege: { command: 'enable', privilegedPrompt: /#$/ },
  pagerPattern: /^\s*--more--\s*$/i,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Error: (?:Unrecognized|Incomplete|Ambiguous) (?:command|input)/m,
    /^[ \t]*% Error: Permission denied/m,
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
  ],
  isComplete: (text) => {
    if (!/^! Version \S/.test(text.trimStart())) return false;
    const lines = text.trimEnd().split('\n');
    return !/^\s/.test(lines[lines.length - 1] ?? '');
  },
  normalization: {
    dropLines: [/^! Last configuration change at /],
  },
  secrets: OS10_SECRETS,
});
