import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { CISCO_STYLE_SECRETS } from './cisco-secrets.js';

/**
 * Cisco Firepower Threat Defense (FTD, FXOS on Firepower 1000/2100/3100) over an interactive
 * shell: the FTD CLI (`> `), `show running-config all`, as Oxidized reads it.
 *
 * Complete only when the last line is `: end`. Normalization drops `: Saved`, `: Written by …`,
 * `Current configuration : N bytes` and `ntp clock-period N` (rewritten by NTP). The `: Serial
 * Number` and `: Hardware` comments and `NGFW Version` are kept: they change with the box.
 */
export const firelinuxos: ConfigCollector = defineCollector({
  vendor: 'firelinuxos',
  displayName: 'Cisco Firepower FTD',
  mode: 'shell',
  commands: ['show running-config all'],
  // `> ` (the FTD CLI); `firepower# ` after `system support diagnostic-cli` and `enable`
  promptPattern: /^(?:[\w.-]+(?:\([\w.-]+\))?)?[>#] ?$/,
  pagerPattern: /^\s*<--- More --->\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*(?:ERROR: )?% Invalid input detected at '\^' marker\./m,
    /^[ \t]*(?:ERROR: )?% Incomplete command/m,
    /^[ \t]*(?:ERROR: )?% Ambiguous command/m,
    /^[ \t]*(?:ERROR: )?Command authorization failed/m,
    /^[ \t]*Syntax error: /m,
  ],
  isComplete: endsWithLine(': end'),
  normalization: {
    dropLines: [
      /^: Written by /,
      /^: Saved$/,
      /^Current configuration ?: \d+ bytes$/,
      /^ntp clock-period \d+$/,
    ],
  },
  secrets: [{ line: /^passwd (\S+)/ }, ...CISCO_STYLE_SECRETS],
});
