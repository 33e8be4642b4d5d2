import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { CISCO_STYLE_SECRETS } from './cisco-secrets.js';

/**
 * Cisco IOS XR over an interactive shell: paging off, no timestamp before each command's output,
 * then `show running-config`.
 *
 * Complete only when the last line is `end`. Normalization drops `Building configuration...`,
 * `!! Last configuration change at …`, and a command timestamp line (`Tue Mar 10 10:20:01.123 UTC`)
 * in case `terminal exec prompt no-timestamp` is not supported; the `!! IOS XR Configuration
 * <version>` line is kept, so an upgrade shows as a change.
 */
export const ciscoIosxr: ConfigCollector = defineCollector({
  vendor: 'cisco-iosxr',
  displayName: 'Cisco IOS XR',
  mode: 'shell',
  setupCommands: ['terminal length 0', 'terminal exec prompt no-timestamp'],
  commands: ['show running-config'],
  // RP/0/RSP0/CPU0:core-01#
  promptPattern: /^(?:[\w/]+:)?[\w.-]+(?:\([\w.:/-]+\))?# ?$/,
  pagerPattern: /^\s*--More-- ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
    /^[ \t]*% Ambiguous command/m,
    /^[ \t]*% This command is not authorized/m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [
      /^Building configuration\.\.\.$/,
      /^!! Last configuration change at /,
      /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \S+$/,
    ],
  },
  secrets: CISCO_STYLE_SECRETS,
});
