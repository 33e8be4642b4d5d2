import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { CISCO_STYLE_SECRETS } from './cisco-secrets.js';

/**
 * Arista EOS over an interactive shell: paging off, then `show running-config`.
 *
 * Complete only when the last line is `end`. Normalization drops `! Time: …` and
 * `! Startup-config last modified at …`; the `! device: … (EOS-<version>)` line is kept, so an
 * upgrade shows as a change.
 */
export const aristaEos: ConfigCollector = defineCollector({
  vendor: 'arista-eos',
  displayName: 'Arista EOS',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  promptPattern: /^[\w.:/-]+(?:\([\w.:/-]+\))?[>#] ?$/,
  // `switch>`: `enable`, then `Password:` when an enable secret is set (none: straight to `#`);
  // a wrong one is `% Access denied`, an AAA refusal `% Authorization denied`.
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*% Access denied/m, /^[ \t]*% Authorization denied/m],
  },
  pagerPattern: /^\s*--More-- ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input/m,
    /^[ \t]*% Incomplete command/m,
    /^[ \t]*% Ambiguous command/m,
    /^[ \t]*% Authorization denied for command/m,
    /^[ \t]*% Unavailable command/m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [/^! Time: /, /^! Startup-config last modified at /],
  },
  secrets: CISCO_STYLE_SECRETS,
});
