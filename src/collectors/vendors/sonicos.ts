import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * SonicOS secrets: the values SonicOS prints after a key number and a comma (`password 1,<value>`,
 * `secret 1,<value>`, `shared-secret 1,<value>`, `cli ftp password default 1,<value>`), plain
 * `shared-secret`/`password` values, SNMP communities, PEM private keys.
 */
const SONICOS_SECRETS: readonly SecretRule[] = [
  { line: /\b(?:password|secret|shared-secret|passphrase|psk|key)(?: default)? \d+,(\S+)/ },
  { line: /^\s*(?:shared-secret|pre-shared-secret|password) (?!\d+,)("[^"]*"(?=\s|$)|\S+)/ },
  { line: /^\s*community (?:(?:get|trap|public|private) )?("[^"]*"(?=\s|$)|\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * SonicWall SonicOS 6.5 and 7 over an interactive shell: `no cli pager session` (this session
 * only), then `show current-config`.
 *
 * Complete when the last line closes a block (`exit` or `end`). Normalization drops what changes
 * without a configuration change: `system-time "…"`, `system-uptime "…"` and `checksum N`.
 */
export const sonicos: ConfigCollector = defineCollector({
  vendor: 'sonicos',
  displayName: 'SonicWall SonicOS',
  mode: 'shell',
  setupCommands: ['no cli pager session'],
  commands: ['show current-config'],
  // admin@0017C5123456>   config(0017C5123456)#
  promptPattern: /^(?:[\w.-]+@[\w.-]+|config)(?:\([\w.-]+\))?[>#] ?$/,
  pagerPattern: /^\s*--MORE--\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% (?:Error|Unknown|Invalid|Incomplete|Ambiguous|Command not found|Not authorized)/im,
    /^[ \t]*Error: /m,
  ],
  isComplete: (text) => /^(?:exit|end)$/.test(lastNonBlankLine(text)),
  normalization: {
    dropLines: [/^\s*system-time "/, /^\s*system-uptime "/, /^\s*checksum \d+$/],
  },
  secrets: SONICOS_SECRETS,
});
