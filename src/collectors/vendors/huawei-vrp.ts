import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Huawei VRP secrets: everything after `cipher`/`irreversible-cipher` (local users, AAA, RADIUS and
 * HWTACACS shared keys, IKE pre-shared keys, OSPF/BGP keys, SNMP communities) and any
 * `%^%#…%^%#` / `%@%@…%@%@` cipher text, SIM PINs (`pin verify`), plain
 * `simple` passwords, `snmp-agent community` names, PEM private keys.
 */
const VRP_SECRETS: readonly SecretRule[] = [
  // VRP's cipher text wherever it stands (`%^%#…%^%#`, irreversible `%@%@…%@%@`), first: it may
  // hold spaces, which the `cipher (\S+)` rule below would cut short.
  { line: /(%\^%#.*?%\^%#|%@%@.*?%@%@)/g },
  // A SIM card's PIN (LTE/5G cellular interfaces), as Oxidized's VRP model hides it.
  { line: /^\s*pin verify (?:auto )?(?!cipher )(\S+)/ },
  { line: /^(?!\s*description ).*? (?:cipher|irreversible-cipher) (\S+)/ },
  { line: /(?:password|key|shared-key|authentication-mode \S+) simple (\S+)/ },
  { line: /^snmp-agent community (?:read|write) (?!cipher )(\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Huawei VRP over an interactive shell: `screen-length 0 temporary` (for this session only), then
 * `display current-configuration`.
 *
 * Complete only when the last line is `return`. Normalization drops
 * `!Last configuration was updated at …` and `!Last configuration was saved at …` (VRP 8 and CE
 * switches): a save without a change rewrites them. `!Software Version …` is kept, so an upgrade
 * shows as a change.
 */
export const huaweiVrp: ConfigCollector = defineCollector({
  vendor: 'huawei-vrp',
  displayName: 'Huawei VRP',
  mode: 'shell',
  setupCommands: ['screen-length 0 temporary'],
  commands: ['display current-configuration'],
  // <AGG-01>, [AGG-01], [~AGG-01-GigabitEthernet0/0/1] (two-stage commit)
  promptPattern: /^(?:<[~*]?[\w.:/-]+>|\[[~*]?[\w.:/-]+\]) ?$/,
  pagerPattern: /^\s*---- More ----\s*$/,
  exitCommand: 'quit',
  errorPatterns: [
    /^[ \t]*Error: (?:Unrecognized|Incomplete|Ambiguous) command found at '\^' position\./m,
    /^[ \t]*Error: (?:Wrong parameter|Too many parameters) found at '\^' position\./m,
    /^[ \t]*Error: You do not have permission to run the command/m,
  ],
  isComplete: endsWithLine('return'),
  normalization: {
    dropLines: [/^!Last configuration was (?:updated|saved) at /],
  },
  secrets: VRP_SECRETS,
});
