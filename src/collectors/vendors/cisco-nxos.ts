import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { CISCO_STYLE_SECRETS } from './cisco-secrets.js';

/**
 * Cisco NX-OS over an interactive shell: paging off, then `show running-config`.
 *
 * NX-OS prints no end marker, so the completeness check can only ask for the beginning: the
 * `!Command: show running-config` header and a `version` line (an output cut at its tail is caught
 * by the channel closing early, not here). Normalization drops `!Time: …` and
 * `!Running configuration last done at: …`.
 */
export const ciscoNxos: ConfigCollector = defineCollector({
  vendor: 'cisco-nxos',
  displayName: 'Cisco NX-OS',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  promptPattern: /^[\w.:/-]+(?:\([\w.:/-]+\))?[>#] ?$/,
  pagerPattern: /^\s*--More-- ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid (?:command|parameter detected|input detected|number) at '\^' marker\./m,
    /^[ \t]*% Incomplete command/m,
    /^[ \t]*% Ambiguous command/m,
    /^[ \t]*% Permission denied/m,
  ],
  isComplete: (text) => /^!Command: show running-config/m.test(text) && /^version \S/m.test(text),
  normalization: {
    dropLines: [/^!Time: /, /^!Running configuration last done at: /],
  },
  secrets: CISCO_STYLE_SECRETS,
});
