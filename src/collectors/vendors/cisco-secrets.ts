import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * The secrets of the Cisco-style command lines (IOS, IOS XE, IOS XR, NX-OS, ASA, EOS): enable and
 * user passwords and hashes, line passwords, SNMP communities and v3 keys, RADIUS/TACACS+ keys,
 * IKE pre-shared keys, routing-protocol and HSRP/VRRP keys, key chains, PPP and Wi-Fi keys, PEM
 * private keys. The encryption type digit (`7`, `9`, `sha512`) is kept; the value is masked.
 * @internal Shared by the Cisco-style collectors.
 */
export const CISCO_STYLE_SECRETS: readonly SecretRule[] = Object.freeze([
  { line: /^enable (?:secret|password)(?: level \d+)?(?: (?:\d+|sha512))? (\S+)/ },
  { line: /^username \S+ .*?\b(?:password|secret)(?: (?:\d+|sha512))? (\S+)/ },
  { line: /^\s+(?:password|secret)(?: (?:\d+|sha512|encrypted|clear))? (\S+)/ },
  { line: /^snmp-server community (\S+)/ },
  {
    line: /^snmp-server host (?!\S+ \S+ community )\S+(?: vrf \S+)?(?: (?:informs?|traps))?(?: version (?:1|2c|3 (?:noauth|auth|priv)))? (\S+)/,
  },
  { line: /^snmp-server user \S+ .*?\bauth \S+ (\S+)/ },
  { line: /^snmp-server user \S+ .*?\bpriv (?:(?:des|3des|aes(?: \d+)?|aes-128) )?(\S+)/ },
  { line: /^(?:tacacs-server|radius-server) (?:host \S+ .*?)?key(?: \d)? (?:"([^"]*)"|(\S+))/ },
  { line: /^snmp-server host \S+ \S+ .*?\bcommunity (\S+)/ },
  // NX-OS: a community mapped to an SNMP context is a community too.
  { line: /^snmp-server mib community-map (\S+)/ },
  // IOS `aaa group server tacacs+|radius`: a private server's key, after its ports.
  { line: /^\s+server-private \S+ .*?\bkey(?: [07])? (?:"([^"]*)"|(\S+))/ },
  {
    line: /^\s+key(?: \d)? (?:"([^"]*)"|(\S+))$/,
    within: {
      from: /^(?:(?:tacacs|radius) server|(?:tacacs|radius)-server host|aaa-server) \S/,
      until: /^\S/,
    },
  },
  { line: /^crypto isakmp key(?: \d)? (\S+) / },
  {
    line: /^\s+(?:ikev1 )?pre-shared-key(?: (?:local|remote))?(?: \d)? (?!address |hostname )(\S+)/,
  },
  // IOS `crypto keyring`: `pre-shared-key address 192.0.2.1 [mask] key KEY`, `… hostname H key KEY`.
  { line: /^\s+pre-shared-key (?:address|hostname) \S+(?: \S+)? key(?: \d)? (\S+)/ },
  { line: /^\s+(?:ikev[12] )?(?:local|remote)-authentication pre-shared-key (\S+)/ },
  { line: /^\s+ip ospf message-digest-key \d+ md5(?: \d)? (\S+)/ },
  { line: /^\s+ip ospf authentication-key(?: \d)? (\S+)/ },
  { line: /^\s+neighbor \S+ password(?: \d)? (\S+)/ },
  { line: /^\s+standby (?:\d+ )?authentication (?:text )?(?!md5 )(\S+)$/ },
  { line: /^\s+vrrp \d+ authentication text (\S+)/ },
  // NX-OS (and IOS XR) HSRP/VRRP groups: `authentication text KEY`, `authentication md5 key-string KEY`.
  { line: /^\s+authentication (?:text|md5 key-string(?: \d)?) (\S+)/ },
  { line: /^\s+key-string(?: \d)? (.+)$/ },
  { line: /^\s+standby (?:\d+ )?authentication md5 key-string(?: \d)? (\S+)/ },
  { line: /^\s+ppp (?:chap|pap) (?:sent-username \S+ )?password(?: \d)? (\S+)/ },
  { line: /wpa-psk ascii(?: \d)? (\S+)/ },
  { line: /^ntp authentication-key \d+ md5 (\S+)/ },
  // As Oxidized's IOS model: a type 7 key anywhere (`… key 7 0822455D0A16`), and an encrypted
  // password anywhere (NX-OS `ldap-server host … password 7 …`), whichever command it is in.
  { line: /(?:^|\s)(?:\S+-)?key 7 ([0-9A-Fa-f]{4,})(?=\s|$)/g },
  { line: /(?:^|\s)password \d+ (\S+)/g },
  // ASA: the LDAP bind password of an aaa-server, and the failover link's key.
  { line: /^\s+ldap-login-password (\S+)/ },
  { line: /^failover key(?: [08])? (\S+)/ },
  PRIVATE_KEY_BLOCK,
]);
