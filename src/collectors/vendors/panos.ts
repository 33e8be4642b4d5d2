import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';
import { bracesCloseAtEnd } from './braces.js';

/** The PAN-OS keywords whose value is a secret, in both output formats. */
const SECRET_WORDS = [
  'phash',
  'password',
  'secret',
  'key',
  'passphrase',
  'pre-shared-key',
  'shared-secret',
  'bind-password',
  'authpwd',
  'privpwd',
  'auth-password',
  'priv-password',
  'community',
  'api-key',
  'snmp-community-string',
].join('|');

/**
 * PAN-OS secrets: administrator hashes (`phash`), RADIUS/TACACS+/LDAP secrets, IKE pre-shared
 * keys, SNMP communities and v3 passwords, in the brace format (`phash $5$…;`, value before the
 * `;`) and in the set format (`set mgt-config users admin phash $5$…`), and PEM private keys.
 * Most are printed as `-AQ==…` ciphers; masked just the same.
 */
const PANOS_SECRETS: readonly SecretRule[] = [
  { line: new RegExp(String.raw`^\s*(?:${SECRET_WORDS}) ("[^"]*"|[^\s;"]+);$`) },
  { line: new RegExp(String.raw`^set .*? (?:${SECRET_WORDS}) ("[^"]*"|\S+)$`) },
  PRIVATE_KEY_BLOCK,
];

/** Brace format: braces balance and the last line is `}`; set format: `set …` lines only. */
function isCompletePanosConfiguration(normalizedText: string): boolean {
  const lines = normalizedText.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > 0 && lines.every((line) => line.startsWith('set '))) return true;
  return bracesCloseAtEnd(normalizedText);
}

/**
 * Palo Alto Networks PAN-OS firewalls and Panorama over an interactive shell: `set cli pager off`
 * (and `set cli config-output-format set` with option `set_format`), then `show config running`.
 *
 * Prompts read `admin@PA-220>` (operational mode; `admin@PA-220(active)>` in an HA pair, `#` in
 * configuration mode). PAN-OS has no privilege step: the administrator's role decides what it may
 * read. The brace format is complete when its braces balance and it ends with `}`; the set format
 * when every line is a `set` command. The running configuration holds no change time: normalization
 * drops nothing.
 */
export const panos: ConfigCollector = defineCollector({
  vendor: 'panos',
  displayName: 'Palo Alto PAN-OS',
  mode: 'shell',
  options: [
    {
      name: 'set_format',
      type: 'boolean',
      default: false,
      doc: 'Back up in the set format (`set cli config-output-format set`) instead of the brace format.',
    },
  ],
  setupCommands: ({ options }) =>
    options?.set_format === true
      ? ['set cli pager off', 'set cli config-output-format set']
      : ['set cli pager off'],
  commands: ['show config running'],
  promptPattern: /^[\w.@:-]+(?:\([\w-]+\))?[>#] ?$/,
  pagerPattern: /^\s*--More--\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*Unknown command: /m,
    /^[ \t]*Invalid syntax\./m,
    /^[ \t]*Server error ?: /m,
  ],
  isComplete: isCompletePanosConfiguration,
  secrets: PANOS_SECRETS,
});
