import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * A10 ACOS secrets: `password`, `secret`, `key`, `passphrase` and `enable-password` values, encrypted
 * (`password encrypted <cipher>`) or in clear, SNMP communities (`snmp-server community read
 * …`), and PEM private keys. Descriptions, names and banners are left alone.
 */
const ACOS_SECRETS: readonly SecretRule[] = [
  { line: /\b(?:password|secret|key|enable-password|passphrase|key-passphrase) encrypted (\S+)/ },
  {
    line: /^(?!\s*(?:description|banner|name) ).*?\b(?:password|secret|enable-password) (?!encrypted(?: |$))(\S+)/,
  },
  { line: /^snmp-server community (?:read|write) (?:encrypted )?(\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/** The last line that is not a `!` comment is `end` (ACOS 4 prints a commit-point comment after it). */
function endsWithEnd(normalizedText: string): boolean {
  const lines = normalizedText.split('\n').filter((line) => line.trim() !== '');
  const last = lines.findLast((line) => !line.startsWith('!'));
  return last === 'end';
}

/**
 * A10 Networks ACOS (AX, Thunder, vThunder) over an interactive shell: `enable` when the account
 * lands at `>`, `terminal length 0` and `terminal width 0`, then `show running-config`.
 *
 * Prompts read `vThunder#` (`vThunder-Active#` in an HA pair, `vThunder-vMaster[1/1]#` in aVCS,
 * `(config)` in configuration mode). Complete when the last line that is not a comment is `end`.
 * Normalization drops the header lines that change on every save or change: `!Current
 * configuration: N bytes`, `!Configuration last updated at …`, `…last saved at …`, `…last
 * synchronized at …`; the `!… (ACOS) version …` line is kept, so an upgrade shows.
 */
export const acos: ConfigCollector = defineCollector({
  vendor: 'acos',
  displayName: 'A10 ACOS',
  mode: 'shell',
  setupCommands: ['terminal length 0', 'terminal width 0'],
  commands: ['show running-config'],
  promptPattern: /^[\w.:/?[\]()-]+[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [
      /^[ \t]*%? ?(?:Wrong|Invalid|Incorrect) password/im,
      /^[ \t]*% Access denied/m,
    ],
  },
  pagerPattern: /^\s*--MORE--\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*%? ?Unrecognized command\./m,
    /^[ \t]*%? ?Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
  ],
  isComplete: endsWithEnd,
  normalization: {
    dropLines: [
      /^!Current configuration: \d+ bytes$/,
      /^!Configuration last (?:updated|saved|synchronized) at /,
    ],
  },
  secrets: ACOS_SECRETS,
  // `!64-bit Advanced Core OS (ACOS) version 4.1.4-GR1-P5, build 81 (…)`
  detectVersion: (head) => /^!.*\(ACOS\) version (\S+?),/m.exec(head)?.[1],
});
