import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Zyxel ZyNOS secrets: SNMP get/set/trap communities, `admin-password`, the enable `password`,
 * `logins username … password …`, RADIUS/TACACS+ keys and PEM private keys. A `cipher` keyword
 * before the value is kept.
 */
const ZYNOS_SECRETS: readonly SecretRule[] = [
  { line: /^snmp-server (?:get|set|trap)-community (\S+)/ },
  { line: /^admin-password (?:cipher )?(\S+)/ },
  { line: /^password (?:cipher )?(\S+)/ },
  { line: /^logins username \S+ password (?:cipher )?(\S+)/ },
  { line: /^(?:radius|tacacs)-server host .*?\bkey (?:cipher )?(\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Zyxel managed switches running ZyNOS (GS2210, GS2220, XGS2210, XGS3700, XGS4600 and kin;
 * Oxidized's `zynos`) over an interactive shell: `enable` when the account lands at `>`, then
 * `show running-config`. ZyNOS's own GS1900 web-managed line and the USG/ZyWALL firewalls
 * (ZLD) are other CLIs.
 *
 * Prompts read `GS2210#` (`GS2210(config)#`). ZyNOS prints no end marker: a configuration is
 * taken as whole when it is not blank and its last line is not inside a block (not indented),
 * so a cut in the middle of an `interface …` or `vlan …` block is caught, a cut between two
 * top-level lines is not. Normalization drops `Building configuration...` and `Current
 * configuration:`; ZyNOS prints no change time.
 */
export const zynos: ConfigCollector = defineCollector({
  vendor: 'zynos',
  displayName: 'Zyxel ZyNOS',
  mode: 'shell',
  commands: ['show running-config'],
  promptPattern: /^[\w.@-]+(?:\([\w./-]+\))?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*%? ?(?:Invalid|Wrong|Incorrect) password/im],
  },
  // The whole line, so that a pager prompt cut off by a packet boundary is not answered twice.
  pagerPattern: /^\s*-- more --, next page: Space, continue: c, quit: ESC\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*%? ?(?:Invalid (?:command|input)|Unknown command|Incomplete command)/im,
    /^[ \t]*%? ?Permission denied/im,
  ],
  isComplete: (text) => {
    const last = text.trimEnd().split('\n').at(-1) ?? '';
    return lastNonBlankLine(text) !== '' && !/^\s/.test(last);
  },
  normalization: {
    dropLines: [/^Building configuration\.\.\.$/, /^Current configuration:$/],
  },
  secrets: ZYNOS_SECRETS,
});
