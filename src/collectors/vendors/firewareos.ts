import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/** The XML elements of a Fireware profile whose text is a secret. */
const SECRET_ELEMENTS = [
  'password',
  'passphrase',
  'secret',
  'shared-secret',
  'psk',
  'pre-shared-key',
  'preshared-key',
  'community',
  'read-community',
  'write-community',
  'auth-password',
  'priv-password',
  'bind-password',
  'searching-user-password',
].join('|');

/**
 * WatchGuard Fireware secrets: the text of password, passphrase, shared-secret, pre-shared-key,
 * SNMP community and SNMPv3 key elements of the XML profile, and PEM private keys.
 */
const FIREWARE_SECRETS: readonly SecretRule[] = [
  { line: new RegExp(String.raw`<(?:${SECRET_ELEMENTS})>([^<]+)</`, 'g') },
  PRIVATE_KEY_BLOCK,
];

/**
 * WatchGuard Firebox (Fireware OS) over an interactive shell: `export config to console`, the XML
 * profile. The command prints without a pager; there is no setup command.
 *
 * Prompts read `WG#` (`WG>` for a read-only account, `[FAULT]WG<managed-by-wsm><master>>` with
 * status tags, `WG(config)#`). There is no privilege step. Complete only when the last line is
 * `</profile>`. The profile holds no change time: normalization drops nothing.
 */
export const firewareos: ConfigCollector = defineCollector({
  vendor: 'firewareos',
  displayName: 'WatchGuard Fireware',
  mode: 'shell',
  commands: ['export config to console'],
  promptPattern: /^(?:\[\w+\])?[\w.-]+(?:<[\w-]+>)*(?:\([\w/-]+\))?[#>] ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*%? ?(?:Invalid|Unknown|Incomplete) (?:command|input)/im,
    /^[ \t]*%? ?Error: /m,
  ],
  isComplete: endsWithLine('</profile>'),
  secrets: FIREWARE_SECRETS,
  // `<version>12.10.4</version>`, near the top of the profile
  detectVersion: (head) => /<version>([^<]+)<\/version>/.exec(head)?.[1],
});
