import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Onyx / MLNX-OS secrets: local user password hashes (`username … password 7 <hash>`), SNMP
 * communities and SNMPv3 user keys, RADIUS/TACACS+ keys when the switch prints them (it usually
 * prints `********` in a comment), NTP keys, PEM private keys.
 */
const ONYX_SECRETS: readonly SecretRule[] = [
  { line: /^\s*username \S+ password (?:\d+ )?(\S+)/ },
  { line: /^\s*snmp-server community (\S+)/ },
  { line: /^\s*snmp-server user \S+ v3 (?:encrypted )?auth \S+ (\S+)(?: priv \S+ (\S+))?/ },
  { line: /^\s*#?\s*(?:radius|tacacs)-server (?:host \S+ )?key (\S+)/ },
  { line: /^\s*ntp (?:authentication-key|trusted-key) \d+ \S+ (?:\d+ )?(\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * NVIDIA (Mellanox) Onyx and MLNX-OS switches over an interactive shell: `enable`, then `no cli
 * session paging enable` (this session only), then `show running-config`.
 *
 * Complete when the `## Running database` header is there and the output ends with the
 * persistent `cli default prefix-modes enable` setting (Onyx 3.6+, which opens with the temporary
 * one), or, on older releases, does not stop on a section banner (`##`). Normalization drops
 * `## Generated at …`, the time of the read.
 */
export const mlnxos: ConfigCollector = defineCollector({
  vendor: 'mlnxos',
  displayName: 'NVIDIA Onyx',
  mode: 'shell',
  setupCommands: ['no cli session paging enable'],
  commands: ['show running-config'],
  // switch-1 [standalone: master] >   switch-1 [mlag-domain: standby] (config) #
  promptPattern: /^\s*[\w.-]* ?\[[\w.-]+: [\w-]+\] (?:\([\w -]+\) )?[#>]$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*% (?:Access denied|Authentication failed)/m],
  },
  // `lines 1-23`, the last page `lines 256-269/269 (END)`
  pagerPattern: /^\s*lines \d+-\d+(?:\/\d+ \(END\))?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Unrecognized (?:command|keyword)/m,
    /^[ \t]*% Incomplete command/m,
    /^[ \t]*% Ambiguous command/m,
    /^[ \t]*% Command authorization failed/m,
  ],
  isComplete: (text) => {
    if (!/^## Running database /m.test(text)) return false;
    const last = lastNonBlankLine(text);
    // Onyx 3.6+ opens with a temporary prefix-mode setting and closes with the persistent one.
    if (/^## Running-config temporary prefix mode setting$/m.test(text)) {
      return /^(?:no )?cli default prefix-modes enable$/.test(last);
    }
    return !/^#+$/.test(last);
  },
  normalization: {
    dropLines: [/^## Generated at /],
    // The pager prompt ends in a blank the shell reader cannot see, so `lines 1-2` of a prompt
    // `lines 1-23 ` split across packets already matches, and its rest (`3 `) comes before the
    // next page. No Onyx configuration line starts with a digit or `/`: such a rest is dropped.
    replaceInLines: [[/^(?:\d+(?:\/\d+ \(END\))?|\/\d+ \(END\)) /, '']],
  },
  secrets: ONYX_SECRETS,
});
