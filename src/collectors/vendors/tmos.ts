import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';
import { bracesCloseAtEnd } from './braces.js';

/**
 * F5 TMOS secrets: every property named `…password`, `…passphrase` or `…secret` (with or
 * without `-encrypted`: `encrypted-password $6$…`, `auth-password-encrypted $M$…`, RADIUS/TACACS+
 * `secret $M$…`, SSL profile `passphrase $M$…`), SNMP communities (`community-name`, `community`),
 * `bind-pw`, and PEM private keys.
 */
const TMOS_SECRETS: readonly SecretRule[] = [
  {
    line: /^\s*(?:[\w-]+-)?(?:password|passphrase|secret)(?:-encrypted)? ("[^"]*"|\S+)$/,
  },
  { line: /^\s*(?:community-name|community|bind-pw) ("[^"]*"|\S+)$/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * F5 BIG-IP (TMOS) over exec channels: `tmsh -q list`, which needs an account whose login shell
 * is bash (the advanced shell), as Oxidized's model does.
 *
 * Complete when the braces balance (outside quoted strings) and the last line is `}`.
 * Normalization drops the lines that change without a configuration change: file objects'
 * `checksum`, `revision`, `size`, `create-time`, `last-update-time`, `created-by`, `updated-by`,
 * and status properties (`state up`, `errors 3`, `bandwidth-bps …`). Errors: tmsh's `Syntax
 * Error:` and `01020036:3: …`-style messages, bash's `command not found`, and a non-zero exit.
 */
export const tmos: ConfigCollector = defineCollector({
  vendor: 'tmos',
  displayName: 'F5 BIG-IP TMOS',
  mode: 'exec',
  commands: ['tmsh -q list'],
  errorPatterns: [
    /^[ \t]*Syntax Error: /m,
    /^[ \t]*[0-9a-f]{8}:\d+: /m,
    /^-?(?:ba)?sh: .*command not found/m,
  ],
  isComplete: bracesCloseAtEnd,
  normalization: {
    dropLines: [
      /^\s*(?:checksum SHA1:|revision |size |create-time |last-update-time |updated-by |created-by )/,
      /^\s*(?:state (?:up|down|checking|irule-down)|errors \d+|bandwidth-(?:bps|cps|pps) \d+)$/,
    ],
  },
  secrets: TMOS_SECRETS,
});
