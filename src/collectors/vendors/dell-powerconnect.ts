import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Dell PowerConnect secrets: local user and enable passwords (hashes with `encrypted`), SNMP
 * communities and v3 keys, RADIUS and TACACS+ keys (global, per host, or a `key` line inside a
 * server block), PEM private keys. Values may be quoted.
 */
const POWERCONNECT_SECRETS: readonly SecretRule[] = [
  { line: /^username "?[^"\s]+"? password (?:"([^"]*)"|(\S+))/ },
  { line: /^enable password(?: level \d+)? (?:"([^"]*)"|(\S+))/ },
  { line: /^snmp-server community (?:"([^"]*)"|(\S+))/ },
  { line: /^snmp-server user \S+ .*?\bauth-(?:md5|sha)(?:-key)? (\S+)/ },
  { line: /^snmp-server user \S+ .*?\bpriv-des(?:-key)? (\S+)/ },
  { line: /^(?:radius|tacacs)-server (?:host \S+ .*?)?key (?:"([^"]*)"|(\S+))/ },
  {
    line: /^\s*key (?:"([^"]*)"|(\S+))$/,
    within: { from: /^(?:radius-server host|tacacs-server host) /, until: /^exit$/ },
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Dell PowerConnect (5500, 6200, 7000, 8000 and the M-series blade switches) over an interactive
 * shell: `terminal datadump` (paging off on the 5500 and 6200) and `terminal length 0` (the
 * others; a command one series lacks is refused and ignored), then `show running-config`.
 *
 * Complete when the `!Current Configuration:` header is there and the last line is the `exit`
 * that closes the `configure` block. An active sFlow receiver's `timeout N` counts down on every
 * read: its value is replaced with `<timeout>`. The `!System Description` and
 * `!System Software Version` header lines are kept, so an upgrade shows as a change.
 */
export const dellPowerconnect: ConfigCollector = defineCollector({
  vendor: 'dell-powerconnect',
  displayName: 'Dell PowerConnect',
  mode: 'shell',
  setupCommands: ['terminal datadump', 'terminal length 0'],
  commands: ['show running-config'],
  // console#, SW-6248-01>, console(config-if-1/g1)#; Dell allows spaces in host names.
  promptPattern: /^[\w.@-](?:[\w.@ -]*[\w.@-])?(?:\([\w./-]+\))?[#>] ?$/,
  privilege: { command: 'enable', privilegedPrompt: /#$/ },
  // 6200/M-series: `--More-- or (q)uit`; 5500: `More: <space>,  Quit: q or CTRL+Z, One line: <return>`.
  pagerPattern: /^\s*(?:--More--\s+or \(q\)uit|More: <space>, +Quit: q\b.*)\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
    /^[ \t]*% Unrecognized command/m,
    /^[ \t]*% Ambiguous command/m,
  ],
  isComplete: (text) =>
    /^!Current Configuration:$/m.test(text) && lastNonBlankLine(text) === 'exit',
  normalization: {
    replaceInLines: [[/^(sflow \S+ destination owner \S+ timeout )\d+$/, '$1<timeout>']],
  },
  secrets: POWERCONNECT_SECRETS,
});
