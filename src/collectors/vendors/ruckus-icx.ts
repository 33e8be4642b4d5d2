import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/** A FastIron encryption type digit before a value (`2 $byFk…`, `8 $1$…`), kept as it is. */
const TYPE = String.raw`(?:\d (?=\S))?`;

/**
 * Ruckus/Brocade FastIron secrets: local user and enable passwords, TACACS+/RADIUS keys, SNMP
 * communities (also in `snmp-server host`) and v3 keys, OSPF/BGP/NTP keys, PEM private keys. The
 * encryption type digit is kept. Without `enable password-display` the device prints `.....`
 * itself, which a rule masks just the same.
 */
const ICX_SECRETS: readonly SecretRule[] = [
  { line: new RegExp(String.raw`^username \S+ (?:privilege \d+ )?password ${TYPE}(\S+)`) },
  {
    line: new RegExp(
      String.raw`^enable (?:super-user|port-config|read-only)-password ${TYPE}(\S+)`,
    ),
  },
  { line: new RegExp(String.raw`^(?:tacacs|radius)-server key ${TYPE}(\S+)`) },
  { line: new RegExp(String.raw`^(?:tacacs|radius)-server host \S+ .*?\bkey ${TYPE}(\S+)`) },
  { line: new RegExp(String.raw`^snmp-server community ${TYPE}(\S+) (?:ro|rw)\b`) },
  { line: new RegExp(String.raw`^snmp-server host \S+ version (?:v1|v2c) ${TYPE}(\S+)`) },
  { line: /^snmp-server user \S+ .*?\bauth (?:md5|sha\S*) (\S+)/ },
  { line: /^snmp-server user \S+ .*?\bpriv (?:encrypted )?(?:des|aes\S*) (\S+)/ },
  { line: new RegExp(String.raw`^\s+ip ospf authentication-key ${TYPE}(\S+)`) },
  { line: new RegExp(String.raw`^\s+ip ospf md5-authentication key-id \d+ key ${TYPE}(\S+)`) },
  { line: new RegExp(String.raw`^\s+neighbor \S+ password ${TYPE}(\S+)`) },
  { line: new RegExp(String.raw`^\s+authentication-key key-id \d+ (?:md5|sha1) ${TYPE}(\S+)`) },
  PRIVATE_KEY_BLOCK,
];

/**
 * Ruckus ICX and Brocade FastIron/IronWare over an interactive shell: `enable` when the account
 * lands at `>`, `skip-page-display`, then `show running-config`.
 *
 * Prompts read `SSH@ICX7150-48ZP#` (`telnet@…` over telnet, `ICX7150 Router#` on a console).
 * Complete only when the last line is `end`. Normalization drops the `Current configuration:`
 * header; FastIron prints no change times in its configuration.
 */
export const ruckusIcx: ConfigCollector = defineCollector({
  vendor: 'ruckus-icx',
  displayName: 'Ruckus ICX / FastIron',
  mode: 'shell',
  setupCommands: ['skip-page-display'],
  commands: ['show running-config'],
  promptPattern: /^(?:(?:ssh|telnet)@\S+?|[\w.:/-]+(?: [\w.:/-]+)?)(?:\([\w.:/-]+\))?[>#] ?$/i,
  // `SSH@icx>`: `enable`, then `Password:` (or `User Name:` first with AAA enable authentication).
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*Error - /m, /^[ \t]*Invalid (?:password|user name)/im],
  },
  // The whole line, so that a `--More--` cut off by a packet boundary is not answered twice.
  pagerPattern: /^\s*--More--, next page: Space, next line: Return key, quit: Control-c\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*Invalid input -> /m,
    /^[ \t]*Incomplete command\./m,
    /^[ \t]*Ambiguous input -> /m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [/^Current configuration:$/],
  },
  secrets: ICX_SECRETS,
  // `ver 08.0.95jT211` near the top of the configuration
  detectVersion: (head) => /^ver (\S+)/m.exec(head)?.[1],
});
