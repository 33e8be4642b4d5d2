import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/** A value AOS-CX prints encrypted (`ciphertext AQBap…`) or in plain text (`plaintext …`). */
const VALUE = String.raw`(?:(?:ciphertext|plaintext) )?(\S+)`;

/**
 * Aruba AOS-CX secrets: local user passwords, TACACS+/RADIUS keys (global and per host), SNMP
 * communities (also in `snmp-server host`), SNMPv3 auth and priv passwords, OSPF, BGP and NTP
 * keys, PEM private keys. The `ciphertext`/`plaintext` keyword is kept. SSH public keys
 * (`authorized-key`) are not secrets and stay.
 */
const AOSCX_SECRETS: readonly SecretRule[] = [
  { line: new RegExp(String.raw`^user \S+ .*?\bpassword ${VALUE}`) },
  { line: new RegExp(String.raw`^(?:tacacs|radius)-server (?:host \S+ .*?)?key ${VALUE}`) },
  { line: /^snmp-server community (\S+)/ },
  { line: /^snmp-server host \S+ .*?\bcommunity (\S+)/ },
  { line: new RegExp(String.raw`^snmpv3 user \S+ .*?\bauth-pass ${VALUE}`) },
  { line: new RegExp(String.raw`^snmpv3 user \S+ .*?\bpriv-pass ${VALUE}`) },
  { line: new RegExp(String.raw`^\s+ip ospf authentication-key ${VALUE}`) },
  { line: new RegExp(String.raw`^\s+ip ospf message-digest-key \d+ md5 ${VALUE}`) },
  { line: new RegExp(String.raw`^\s+neighbor \S+ password ${VALUE}`) },
  { line: new RegExp(String.raw`^ntp authentication-key \d+ (?:md5|sha1) ${VALUE}`) },
  PRIVATE_KEY_BLOCK,
];

/**
 * Aruba AOS-CX over an interactive shell: `enable` when the account lands at `>`, `no page`, then
 * `show running-config`.
 *
 * The configuration has no end marker; it is complete when it holds the `!Version …` line AOS-CX
 * prints at its top (an answer without it, e.g. a refusal, is no configuration). The shell waits
 * for the prompt after the output, so a cut-off session never counts as whole. Normalization
 * drops the `Current configuration:` header; `!Version …` is kept, so an upgrade shows.
 */
export const arubaAoscx: ConfigCollector = defineCollector({
  vendor: 'aruba-aoscx',
  displayName: 'Aruba AOS-CX',
  mode: 'shell',
  setupCommands: ['no page'],
  commands: ['show running-config'],
  // `sw1# `, `sw1(config-if)# `, `sw1> ` (operators)
  promptPattern: /^[\w.-]+(?:\([\w./-]+\))?[#>] ?$/,
  privilege: { command: 'enable', privilegedPrompt: /#$/ },
  pagerPattern: /^\s*-- MORE --, next page: Space, next line: Enter, quit: (?:q|Control-C)\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*Invalid input: /m,
    /^[ \t]*Command incomplete\./m,
    /^[ \t]*Ambiguous command\./m,
    /^[ \t]*(?:% )?Insufficient privileges?/im,
  ],
  isComplete: (text) => /^!Version (?:AOS-CX|ArubaOS-CX) \S/m.test(text),
  normalization: {
    dropLines: [/^Current configuration:$/],
  },
  secrets: AOSCX_SECRETS,
  // `!Version ArubaOS-CX FL.10.13.1101`
  detectVersion: (head) => /^!Version (?:AOS-CX|ArubaOS-CX) (\S+)/m.exec(head)?.[1],
});
