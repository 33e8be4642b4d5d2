import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * ArubaOS-Switch / ProCurve secrets (`include-credentials` shows them): manager and operator
 * passwords (`plaintext`/`sha1`/`sha256` values), SNMP communities (also in `snmp-server host`),
 * SNMPv3 auth and priv keys, RADIUS and TACACS+ keys, PEM private keys. Values may be quoted.
 */
const ARUBAOS_SWITCH_SECRETS: readonly SecretRule[] = [
  {
    line: /^password (?:manager|operator|port-access)\b.*? (?:plaintext|sha1|sha256) (?:"([^"]*)"|(\S+))/,
  },
  { line: /^snmp-server community (?:"([^"]*)"|(\S+))/ },
  { line: /^snmp-server host \S+ (?:community )?"([^"]*)"/ },
  { line: /^snmpv3 user "?[^"\s]+"? .*?\bauth (?:md5|sha) (?:"([^"]*)"|(\S+))/ },
  { line: /^snmpv3 user "?[^"\s]+"? .*?\bpriv (?:des|aes) (?:"([^"]*)"|(\S+))/ },
  { line: /^(?:radius|tacacs)-server (?:host \S+ )?(?:encrypted-)?key (?:"([^"]*)"|(\S+))/ },
  PRIVATE_KEY_BLOCK,
];

/** The header `show running-config` starts with: `; J9727A Configuration Editor; Created on release #WB.16.10.0009`. */
const EDITOR_HEADER = /^; \S+ Configuration Editor; Created on release /m;

/**
 * ArubaOS-Switch (HPE/Aruba 2530, 2930, 3810, 5400R) and the older HP ProCurve switches over an
 * interactive shell: `no page`, then `show running-config`.
 *
 * The CLI wraps every line, prompt and echo in VT100 cursor moves (`ESC[24;1H`, `ESC[2K`,
 * `ESC[?25h`) and may start lines with a bare `\r`; normalization strips them. After login it
 * shows `Press any key to continue`, which the first newline answers. The pager
 * (`-- MORE --, next page: Space, next line: Enter, quit: Control-C`) is answered with a space
 * if `no page` did not take.
 *
 * The configuration has no end marker: it is complete when it has the
 * `; <product> Configuration Editor; Created on release …` header and does not stop inside a
 * context (`vlan 1`, `interface 1`: indented lines closed by `exit`). Normalization drops the
 * `Running configuration:` title; the header (release and `; Ver #…` lines) is kept, so a software
 * upgrade shows as a change.
 */
export const arubaosSwitch: ConfigCollector = defineCollector({
  vendor: 'arubaos-switch',
  displayName: 'ArubaOS-Switch',
  mode: 'shell',
  setupCommands: ['no page'],
  commands: ['show running-config'],
  // HP-2920-24G#, Aruba-2930F-48G(config)# , HP ProCurve Switch 2650> (names may hold spaces)
  promptPattern: /^[\w.-](?:[\w. -]*[\w.-])?(?:\([\w.-]+\))?[#>] ?$/,
  // `HP-2920>` (operator level): `enable`, then `Password:` (and, with a manager user name,
  // `Username:` first — give the account manager rights instead).
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*Invalid password/m, /^[ \t]*Access denied/m],
  },
  pagerPattern: /^\s*-- MORE --, next page: Space, next line: Enter, quit: Control-C\s*$/,
  exitCommand: 'exit',
  // Each may follow the cursor moves the switch writes before it (`ESC[24;1H`).
  errorPatterns: [
    /^(?:[ \t\r]|\x1b\[[0-9;?]*[A-Za-z])*Invalid input: /m,
    /^(?:[ \t\r]|\x1b\[[0-9;?]*[A-Za-z])*Ambiguous input: /m,
    /^(?:[ \t\r]|\x1b\[[0-9;?]*[A-Za-z])*Incomplete input: /m,
  ],
  isComplete: (text) => {
    if (!EDITOR_HEADER.test(text)) return false;
    const lines = text.trimEnd().split('\n');
    const last = lines[lines.length - 1] ?? '';
    // Inside a context, the last line is indented; a closed context ends with `exit`.
    return !/^\s/.test(last) || lastNonBlankLine(text) === 'exit';
  },
  normalization: {
    dropLines: [/^Running configuration:$/],
  },
  secrets: ARUBAOS_SWITCH_SECRETS,
});
