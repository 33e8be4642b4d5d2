import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { CISCO_STYLE_SECRETS } from './cisco-secrets.js';

/**
 * Cisco IOS and IOS-XE over an interactive shell: paging and line wrapping off, then
 * `show running-config`.
 *
 * Complete only when the last line is `end`. Normalization drops what changes without a
 * configuration change (SPEC §4): `Building configuration...`, `Current configuration : N bytes`,
 * `! Last configuration change at …`, `! NVRAM config last updated at …`,
 * `! No configuration change since last restart` and `ntp clock-period N` (the clock's drift
 * correction, rewritten by NTP).
 */
export const ciscoIos: ConfigCollector = defineCollector({
  vendor: 'cisco-ios',
  displayName: 'Cisco IOS',
  mode: 'shell',
  setupCommands: ['terminal length 0', 'terminal width 0'],
  commands: ['show running-config'],
  promptPattern: /^[\w.:/-]+(?:\([\w.:/-]+\))?[>#] ?$/,
  // `router1>`: `enable`, then `Password:`; a wrong secret asks again, three wrong ones end in
  // `% Bad secrets`; AAA (TACACS+, RADIUS) says `% Access denied`.
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [
      /^[ \t]*% Access denied/m,
      /^[ \t]*% Bad secrets/m,
      /^[ \t]*% No password set/m,
      /^[ \t]*% Error in authentication/m,
    ],
  },
  pagerPattern: /^\s*--More-- ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
    /^[ \t]*% Ambiguous command:/m,
    /^[ \t]*% Unknown command or computer name/m,
    /^[ \t]*(?:% )?Command authorization failed\./m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [
      /^Building configuration\.\.\.$/,
      /^Current configuration ?: \d+ bytes$/,
      /^! Last configuration change at /,
      /^! NVRAM config last updated at /,
      /^! No configuration change since last restart$/,
      /^ntp clock-period \d+$/,
    ],
  },
  secrets: CISCO_STYLE_SECRETS,
});
