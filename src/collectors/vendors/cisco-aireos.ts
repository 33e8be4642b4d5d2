import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Cisco AireOS secrets in `show run-config commands` (most keys already read `****` there): SNMP
 * community names, SNMPv3 keys, RADIUS and TACACS+ shared secrets, management user passwords,
 * WPA pre-shared keys, PEM private keys.
 */
const AIREOS_SECRETS: readonly SecretRule[] = [
  { line: /^snmp community (?:create|delete) (\S+)/ },
  { line: /^snmp community (?:accessmode (?:ro|rw)|mode (?:enable|disable)) (\S+)/ },
  { line: /^snmp community ipaddr \S+ \S+ (\S+)/ },
  { line: /^snmp v3user create \S+ (?:ro|rw) (?:hmacsha|hmacmd5|none) \S+ (\S+)(?: (\S+))?/ },
  { line: /^(?:radius|tacacs) (?:auth|acct|athr) add \d+ \S+ \d+ (?:ascii|hex) (\S+)/ },
  { line: /^mgmtuser add \S+ (\S+)/ },
  { line: /^wlan security wpa akm psk set-key (?:ascii|hex) (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Cisco AireOS wireless LAN controllers (2500, 3504, 5508, 5520, 8540, vWLC) over an interactive
 * shell: `config paging disable`, then `show run-config commands`.
 *
 * Over SSH the controller asks for the username and password a second time inside the shell
 * (`User:`, `Password:`), answered with the device's credentials (`shellLogin`). It logs out with
 * `logout`. The output has no end marker: it is complete when it holds the `sysname` line.
 * Normalization drops the lines that move without a configuration change (as Oxidized does):
 * `rogue adhoc|client alert|Unknown <mac>` (rogues the controller saw) and
 * `interface nat-address management set <addr>`.
 */
export const ciscoAireos: ConfigCollector = defineCollector({
  vendor: 'cisco-aireos',
  displayName: 'Cisco AireOS',
  mode: 'shell',
  shellLogin: true,
  setupCommands: ['config paging disable'],
  commands: ['show run-config commands'],
  // (Cisco Controller) >, (WLC-HQ-01) >, (WLC-HQ-01) config>
  promptPattern: /^\([\w .-]+\) (?:[\w-]+ ?)?> ?$/,
  pagerPattern: /^\s*--More-- or \(q\)uit\s*$/,
  exitCommand: 'logout',
  errorPatterns: [
    /^[ \t]*Incorrect usage\. Use the '\?' or <TAB> key to list commands\./m,
    /^[ \t]*Incorrect input! /m,
    /^[ \t]*Incorrect (?:command|input)\./m,
  ],
  isComplete: (text) => /^sysname \S/m.test(text),
  normalization: {
    dropLines: [
      /^rogue (?:adhoc|client) (?:alert|Unknown) [\da-f]{2}:/,
      /^interface nat-address management set \d+\.\d+\.\d+\.\d+/,
    ],
  },
  secrets: AIREOS_SECRETS,
});
