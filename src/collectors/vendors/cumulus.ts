import { parse } from 'yaml';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * NVUE secrets, as YAML values: `hashed-password`, `password`, `secret` (TACACS+, RADIUS),
 * `key`/`md5-key`/`authentication-key` (BGP, OSPF, NTP), `pre-shared-key`, `community-password`,
 * `auth-password`/`encrypt-password` (SNMPv3), PEM private keys.
 */
const NVUE_SECRETS: readonly SecretRule[] = [
  {
    line: /^\s*(?:- )?(?:hashed-password|password|secret|key|md5-key|authentication-key|pre-shared-key|community-password|auth-password|encrypt-password|auth-md5|auth-sha|encrypt-aes|encrypt-des):\s+(\S.*)$/,
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Whether `text` is a whole `nv config show` document: YAML that parses to a list holding a
 * `header` and a `set` mapping (a cut inside a quoted value or a flow does not parse; a cut right
 * after `- set:` leaves it empty).
 */
function isWholeNvueDocument(text: string): boolean {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return false;
  }
  if (!Array.isArray(doc)) return false;
  const items = doc as unknown[];
  const has = (key: string): boolean =>
    items.some(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as Record<string, unknown>)[key] === 'object' &&
        (item as Record<string, unknown>)[key] !== null,
    );
  return has('header') && has('set');
}

/**
 * NVIDIA Cumulus Linux 5 with NVUE over an interactive shell: `nv config show --color off`, the
 * applied configuration as YAML (`- header:` with the model and version, then `- set:`).
 *
 * Complete when the YAML parses to a list with a `header` and a non-empty `set`. NVUE prints no
 * volatile line (the header's `rev-id` moves only with an applied change).
 */
export const cumulus: ConfigCollector = defineCollector({
  vendor: 'cumulus',
  displayName: 'NVIDIA Cumulus Linux',
  mode: 'shell',
  commands: ['nv config show --color off'],
  // cumulus@leaf01:mgmt:~$   root@spine1-nyc2:~#
  promptPattern: /^[\w.-]+@[\w.-]+(?::[\w.-]+)?:\S*[$#] ?$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^-?(?:ba)?sh: (?:line \d+: )?nv: (?:command )?not found/m,
    /^Error: /m,
    /^Usage: nv /m,
  ],
  isComplete: isWholeNvueDocument,
  secrets: NVUE_SECRETS,
});
