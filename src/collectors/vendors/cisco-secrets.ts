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
  {
    line: /^\s+key(?: \d)? (?:"([^"]*)"|(\S+))$/,
    within: {
      from: /^(?:(?:tacacs|radius) server|(?:tacacs|radius)-server host|aaa-server) \S/,
      until: /^\S/,
    },
  },
  { line: /^crypto isakmp key(?: \d)? (\S+) / },
  { line: /^\s+(?:ikev1 )?pre-shared-key(?: (?:local|remote))?(?: \d)? (\S+)/ },
  { line: /^\s+(?:ikev[12] )?(?:local|remote)-authentication pre-shared-key (\S+)/ },
  { line: /^\s+ip ospf message-digest-key \d+ md5(?: \d)? (\S+)/ },
  { line: /^\s+ip ospf authentication-key(?: \d)? (\S+)/ },
  { line: /^\s+neighbor \S+ password(?: \d)? (\S+)/ },
  { line: /^\s+standby (?:\d+ )?authentication (?:text )?(?!md5 )(\S+)$/ },
  { line: /^\s+vrrp \d+ authentication text (\S+)/ },
  { line: /^\s+key-string(?: \d)? (.+)$/ },
  { line: /^\s+standby (?:\d+ )?authentication md5 key-string(?: \d)? (\S+)/ },
  { line: /^\s+ppp (?:chap|pap) (?:sent-username \S+ )?password(?: \d)? (\S+)/ },
  { line: /wpa-psk ascii(?: \d)? (\S+)/ },
  { line: /^ntp authentication-key \d+ md5 (\S+)/ },
  PRIVATE_KEY_BLOCK,
]);
