import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Force10 FTOS / Dell Networking OS 9 secrets: enable passwords and secrets, local users, SNMP
 * communities (also in `snmp-server host`), RADIUS/TACACS+ keys, routing-protocol and NTP keys,
 * PEM private keys. The encryption type digit (`7`, `5`) is kept; the value is masked.
 */
const DNOS_SECRETS: readonly SecretRule[] = [
  { line: /^enable (?:password|secret)(?: level \d+)?(?: \d)? (\S+)/ },
  { line: /^username \S+ .*?\b(?:password|secret)(?: \d)? (\S+)/ },
  { line: /^snmp-server community (\S+)/ },
  { line: /^snmp-server host \S+ .*?\bversion (?:1|2c|3 (?:noauth|auth|priv)) (\S+)/ },
  { line: /^(?:radius|tacacs)-server (?:host \S+ .*?)?key(?: \d)? (\S+)/ },
  { line: /^\s+neighbor \S+ password(?: \d)? (\S+)/ },
  { line: /^\s+(?:ip ospf )?(?:authentication-key|message-digest-key \d+ md5)(?: \d)? (\S+)/ },
  { line: /^ntp authentication-key \d+ md5(?: \d)? (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Force10 FTOS and Dell Networking OS 9 (DNOS 9: S4810, S4048, S6000, MXL, FN IOA) over an
 * interactive shell: `terminal length 0`, `terminal width 0`, then `show running-config`.
 *
 * Complete only when the last line is `end`. Normalization drops `Current Configuration ...`,
 * `! Last configuration change at …` and `! Startup-config last updated at …`; `! Version` is
 * kept, so an upgrade shows as a change.
 */
export const dellDnos: ConfigCollector = defineCollector({
  vendor: 'dell-dnos',
  displayName: 'Dell Networking OS 9 (FTOS)',
  mode: 'shell',
  setupCommands: ['terminal length 0', 'terminal width 0'],
  commands: ['show running-config'],
  // Dell#, Force10>, S4810-01(conf-if-te-0/1)#
  promptPattern: /^[\w.-]+(?:\([\w./-]+\))?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [
      /^[ \t]*% (?:Error: )?(?:Access denied|Authentication failed|Bad passwords?)/m,
    ],
  },
  pagerPattern: /^\s*--More-- ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Error: Invalid input at "\^" marker\./m,
    /^[ \t]*% Error: Incomplete command\./m,
    /^[ \t]*% Error: Ambiguous command\./m,
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [
      /^Current Configuration \.\.\.$/,
      /^! Last configuration change at /,
      /^! Startup-config last updated at /,
    ],
  },
  secrets: DNOS_SECRETS,
});
