/**
 * What pfSense and OPNsense share: both keep their whole configuration in one `config.xml`, one
 * element per line, and both rewrite a `<revision>` element (time, user, what page saved it) on
 * every save. Internal.
 * @internal
 */
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Elements whose text is a secret: password hashes (`bcrypt-hash`, `sha512-hash`, OPNsense's
 * `password`), every `…password`/`…passwd`/`…secret` element (RADIUS, LDAP bind, proxy, SNMP
 * passwords, API secrets), IPsec and WireGuard keys (`pre-shared-key`, `presharedkey`,
 * `privatekey`), OpenVPN static keys (`shared_key`, `tls`), CARP passwords, SNMP communities
 * and certificate private keys (`prv`, base64 PEM).
 */
const SECRET_ELEMENTS = [
  '[\\w-]*password',
  '[\\w-]*passwd',
  '[\\w-]*secret',
  'bcrypt-hash',
  'sha512-hash',
  'md5-hash',
  'nt-hash',
  'prv',
  'privatekey',
  'private-key',
  'pre-shared-key',
  'presharedkey',
  'ipsecpsk',
  'psk',
  'shared_key',
  'tls',
  'ldap_bindpw',
  'rocommunity',
  'rwcommunity',
  'community',
  'authkey',
].join('|');

/** The secret rules of a `config.xml`: the text of each secret element, CDATA or not. */
export const CONFIG_XML_SECRETS: readonly SecretRule[] = [
  {
    line: new RegExp(`<(?:${SECRET_ELEMENTS})(?:\\s[^>]*)?>(<!\\[CDATA\\[.*?\\]\\]>|[^<]+)</`),
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Drops every `<revision>` … `</revision>` block that holds a `<time>`: when and by whom the
 * configuration was last saved, rewritten by a save without a change.
 */
export function dropRevisionBlocks(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*<revision>\s*$/.test(lines[i]!)) {
      let end = i + 1;
      while (end < lines.length && !/^\s*<\/?revision>\s*$/.test(lines[end]!)) end++;
      const block = lines.slice(i + 1, end);
      if (
        end < lines.length &&
        /<\/revision>/.test(lines[end]!) &&
        block.some((line) => /^\s*<time>/.test(line))
      ) {
        i = end;
        continue;
      }
    }
    out.push(lines[i]!);
  }
  return out;
}

/** `<last_rule_upd_time>`: when the filter rules were last reloaded, not a configuration change. */
export const LAST_RULE_UPDATE = /^\s*<last_rule_upd_time>\d*<\/last_rule_upd_time>$/;

/** Errors of `cat` on the config file, and of an account without shell access. */
export const CONFIG_XML_ERRORS: readonly RegExp[] = [
  /^cat: .*(?:No such file or directory|Permission denied)/m,
  /^This account is currently not available\./m,
];
