import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * HPE/H3C Comware secrets: whatever follows `cipher`, `hash` or `simple` (local-user and `super`
 * passwords, RADIUS/HWTACACS keys, IKE pre-shared keys, OSPF/BGP keys, Comware 7 SNMP
 * communities), Comware 5 plain `snmp-agent community` names, SNMPv3 user keys, H3C's
 * `%^%#…%^%#` ciphers, SIM `pin verify` codes and PEM private keys. The keyword is kept.
 */
const COMWARE_SECRETS: readonly SecretRule[] = [
  { line: /^(?!\s*description |snmp-agent usm-user ).*? (?:cipher|hash|simple) (\S+)/ },
  { line: /^snmp-agent community (?:read|write) (?!cipher |simple )(\S+)/ },
  { line: /^snmp-agent usm-user .*?\bauthentication-mode \S+ (\S+)/ },
  { line: /^snmp-agent usm-user .*?\bprivacy-mode \S+ (\S+)/ },
  { line: /(%\^%#.*?%\^%#)/g },
  { line: /\bpin verify (?:auto )?(\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * HPE/H3C Comware (HP A-series, H3C, 3Com) over an interactive shell: `screen-length disable`,
 * then `display current-configuration`.
 *
 * Prompts read `<sysname>` (user view; `[sysname]` in system view), sometimes after a NUL or
 * before a bell. Complete only when the last line is `return`. Comware prints no change time in its
 * configuration: normalization drops nothing, and the ` version 7.1.070, Release …` line is kept,
 * so an upgrade shows. Comware's prompt does not change with the user level, so there is no
 * privilege step: give the account a role that may read the configuration.
 */
export const hpeComware: ConfigCollector = defineCollector({
  vendor: 'hpe-comware',
  displayName: 'HPE/H3C Comware',
  mode: 'shell',
  setupCommands: ['screen-length disable'],
  commands: ['display current-configuration'],
  promptPattern: /^\0*(?:<[\w.:/ -]+>|\[[~*]?[\w.:/ -]+\])\x07? ?$/,
  pagerPattern: /^\s*---- More ----\s*$/,
  exitCommand: 'quit',
  errorPatterns: [
    /^[ \t]*% (?:Unrecognized|Incomplete|Ambiguous) command found at '\^' position\./m,
    /^[ \t]*% (?:Wrong parameter|Too many parameters) found at '\^' position\./m,
    /^[ \t]*(?:% )?Permission denied\./m,
  ],
  isComplete: endsWithLine('return'),
  secrets: COMWARE_SECRETS,
  // ` version 7.1.070, Release 3507P18`
  detectVersion: (head) => /^ version (\S+(?: Release \S+)?)/m.exec(head)?.[1],
});
