import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Extreme VOSS secrets: SNMP community names, RADIUS and TACACS+ keys, NTP authentication keys,
 * IS-IS and OSPF keys, PEM private keys. (Local CLI passwords are not part of the configuration.)
 */
const VOSS_SECRETS: readonly SecretRule[] = [
  { line: /^snmp-server community (?:"([^"]*)"|(\S+))/ },
  { line: /^(?:radius|tacacs) server host \S+ .*?\bkey (?:"([^"]*)"|(\S+))/ },
  { line: /^ntp authentication-key \d+ (?:md5|sha1) (\S+)/ },
  { line: /^\s*isis hello-auth type (?:simple|hmac-md5|hmac-sha-256) key (\S+)/ },
  { line: /^\s*ip ospf (?:authentication-key|message-digest-key \d+ md5) (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Extreme VOSS (formerly Avaya VSP: VSP 4000, 7200, 7400, 8000) over an interactive shell:
 * `enable` (the privilege step: VOSS asks no password, so give `enableSecret: ''`), then
 * `terminal more disable` and `show running-config`.
 *
 * Complete only when the last line is `end`. Normalization drops
 * `Preparing to Display Configuration...` and the header's time line
 * (`# Tue Mar 10 14:02:11 2026 UTC`); `# box type`, `# software version` are kept, so an upgrade
 * shows as a change.
 */
export const extremeVoss: ConfigCollector = defineCollector({
  vendor: 'extreme-voss',
  displayName: 'Extreme VOSS',
  mode: 'shell',
  setupCommands: ['terminal more disable'],
  commands: ['show running-config'],
  // VSP-4450GSX:1>, VSP-8284XSQ:1#, VSP-8284XSQ:1(config)#
  promptPattern: /^[\w.-]+:\d+(?:\([\w./-]+\))?[#>] ?$/,
  privilege: { command: 'enable', privilegedPrompt: /#$/ },
  pagerPattern: /^\s*--More-- \(q = quit\)\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% (?:Incomplete|Ambiguous) command/m,
    /^[ \t]*% (?:Not allowed|Permission denied|Access denied)/m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [
      /^Preparing to Display Configuration\.\.\.$/,
      /^# (?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) \w{3} +\d+ \d\d:\d\d:\d\d \d{4}(?: \w+)?$/,
    ],
  },
  secrets: VOSS_SECRETS,
});
