import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Nokia SR OS secrets (classic CLI): every quoted `password`, `secret`, `authentication-key`,
 * `auth-key`, `privacy-key`, `pre-shared-key` and `message-digest-key` value (users, RADIUS and
 * TACACS+ servers, BGP/OSPF/IS-IS/LDP keys, SNMPv3, IPsec), SNMP community names, PEM private
 * keys. The `hash`/`hash2` marker after a value is kept.
 */
const SROS_SECRETS: readonly SecretRule[] = [
  {
    line: /^(?!\s*description ).*?\b(?:password|secret|authentication-key|auth-key|privacy-key|pre-shared-key|message-digest-key \d+ md5) "([^"]*)"/,
  },
  {
    line: /^(?!\s*description ).*?\b(?:password|secret|authentication-key|auth-key|privacy-key|pre-shared-key) (?!")(\S+) (?:hash2?|crypto)\b/,
  },
  { line: /^\s+community "([^"]*)"/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Nokia SR OS / TiMOS (7750 SR, 7450 ESS, 7950 XRS, 7705 SAR, 7210 SAS; classic CLI) over an
 * interactive shell: `environment no more` (paging off for this session), then
 * `admin display-config`.
 *
 * Complete when it has its `configure` line and the last line is the closing `exit all`.
 * Normalization drops `# Generated <time>` and `# Finished <time>`; the `# TiMOS-…` and
 * `# Configuration format version` header lines are kept, so an upgrade shows as a change.
 */
export const nokiaSros: ConfigCollector = defineCollector({
  vendor: 'nokia-sros',
  displayName: 'Nokia SR OS',
  mode: 'shell',
  setupCommands: ['environment no more'],
  commands: ['admin display-config'],
  // A:pe1#, *A:pe1# (unsaved changes), B:pe1>config>router# (the standby CPM is B)
  promptPattern: /^\*?[AB]:[\w.@-]+(?:>[\w>.-]+)?# ?$/,
  pagerPattern: /^\s*Press any key to continue \(Q to quit\)\s*$/,
  exitCommand: 'logout',
  errorPatterns: [
    /^[ \t]*Error: (?:Bad command|Invalid parameter|Missing parameter|Unknown command)/m,
    /^[ \t]*MINOR: CLI Command not allowed for this user\./m,
  ],
  isComplete: (text) => /^configure$/m.test(text) && lastNonBlankLine(text) === 'exit all',
  normalization: {
    dropLines: [/^# Generated /, /^# Finished /],
  },
  secrets: SROS_SECRETS,
});
