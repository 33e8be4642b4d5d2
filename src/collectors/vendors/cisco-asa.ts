import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { CISCO_STYLE_SECRETS } from './cisco-secrets.js';

/**
 * Cisco ASA over an interactive shell: pager off, then `more system:running-config` (which,
 * unlike `show running-config`, prints keys and passwords).
 *
 * Complete only when the last line is `: end`. Normalization drops `: Written by … at …` and
 * `: Saved` lines, which change when someone saves without changing anything. The other `:`
 * lines (serial number, hardware) and `Cryptochecksum:` are kept: they change only with the
 * hardware or the configuration.
 */
export const ciscoAsa: ConfigCollector = defineCollector({
  vendor: 'cisco-asa',
  displayName: 'Cisco ASA',
  mode: 'shell',
  setupCommands: ['terminal pager 0'],
  commands: ['more system:running-config'],
  // fw-01#, fw-01/admin#, fw-01(config)#
  promptPattern: /^[\w.-]+(?:\/[\w.-]+)*(?:\([\w.:/-]+\))?[>#] ?$/,
  // `asa1>`: `enable`, then `Password:` (typing echoed as `*`); a wrong secret is `Invalid
  // password` and the prompt again, three wrong ones end in `Access denied.`
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*Invalid password/m, /^[ \t]*(?:% )?Access denied/m],
  },
  pagerPattern: /^\s*<--- More --->\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*ERROR: % Invalid input detected at '\^' marker\./m,
    /^[ \t]*ERROR: % Incomplete command/m,
    /^[ \t]*ERROR: % Ambiguous command/m,
    /^[ \t]*ERROR: Command authorization failed/m,
    /^[ \t]*%Error (?:opening|reading) system:/m,
  ],
  isComplete: endsWithLine(': end'),
  normalization: {
    dropLines: [/^: Written by /, /^: Saved$/],
  },
  secrets: [{ line: /^passwd (\S+)/ }, ...CISCO_STYLE_SECRETS],
});
