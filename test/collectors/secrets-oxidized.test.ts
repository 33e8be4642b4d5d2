/**
 * Secrets Oxidized's `remove_secret` hides (its IOS, NX-OS, ASA, VRP, Vyatta and FortiOS models)
 * that the built-in rules must hide too: each line masked, its secret gone, the rest kept, and a
 * second pass changing nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  ciscoAsa,
  ciscoIos,
  ciscoNxos,
  fortios,
  huaweiVrp,
  maskSecretsInText,
  vyos,
  type ConfigCollector,
} from '../../src/collectors/index.js';

interface Case {
  readonly raw: string;
  readonly masked: string;
  /** What must not survive masking. */
  readonly secret: string;
}

const CASES: readonly (readonly [ConfigCollector, readonly Case[]])[] = [
  [
    ciscoIos,
    [
      {
        // Every type 7 key and encrypted password of a line, not only the first.
        raw: ' key 7 0822AB key 7 1511CD password 7 AAA1 password 5 BBB2',
        masked:
          ' key 7 <secret hidden> key 7 <secret hidden> password 7 <secret hidden> password 5 <secret hidden>',
        secret: '1511CD',
      },
      {
        raw: ' pre-shared-key address 192.0.2.1 key Kr1ngK3y',
        masked: ' pre-shared-key address 192.0.2.1 key <secret hidden>',
        secret: 'Kr1ngK3y',
      },
      {
        raw: ' pre-shared-key address 192.0.2.0 255.255.255.0 key 6 Kr1ng+Mask',
        masked: ' pre-shared-key address 192.0.2.0 255.255.255.0 key 6 <secret hidden>',
        secret: 'Kr1ng+Mask',
      },
      {
        raw: ' pre-shared-key hostname peer.example.net key Kr1ngH0st',
        masked: ' pre-shared-key hostname peer.example.net key <secret hidden>',
        secret: 'Kr1ngH0st',
      },
      {
        raw: ' server-private 192.0.2.9 auth-port 1645 acct-port 1646 key 7 0822455D0A16',
        masked: ' server-private 192.0.2.9 auth-port 1645 acct-port 1646 key 7 <secret hidden>',
        secret: '0822455D0A16',
      },
      {
        raw: ' server-private 192.0.2.10 key Pl41nTac',
        masked: ' server-private 192.0.2.10 key <secret hidden>',
        secret: 'Pl41nTac',
      },
      {
        raw: ' isis password 7 104D000A0618 level-2',
        masked: ' isis password 7 <secret hidden> level-2',
        secret: '104D000A0618',
      },
      {
        raw: ' pac key 7 13061E010803',
        masked: ' pac key 7 <secret hidden>',
        secret: '13061E010803',
      },
    ],
  ],
  [
    ciscoNxos,
    [
      {
        raw: 'snmp-server mib community-map vrfComm99 context ctx1',
        masked: 'snmp-server mib community-map <secret hidden> context ctx1',
        secret: 'vrfComm99',
      },
      {
        raw: 'ldap-server host 192.0.2.7 rootDN "cn=svc,dc=example" password 7 Ld4pBind port 389',
        masked:
          'ldap-server host 192.0.2.7 rootDN "cn=svc,dc=example" password 7 <secret hidden> port 389',
        secret: 'Ld4pBind',
      },
      {
        raw: '    authentication text hsrpT3xt',
        masked: '    authentication text <secret hidden>',
        secret: 'hsrpT3xt',
      },
      {
        raw: '    authentication md5 key-string hsrpMd5K',
        masked: '    authentication md5 key-string <secret hidden>',
        secret: 'hsrpMd5K',
      },
    ],
  ],
  [
    ciscoAsa,
    [
      {
        raw: ' ldap-login-password Bind!Pw9',
        masked: ' ldap-login-password <secret hidden>',
        secret: 'Bind!Pw9',
      },
      {
        raw: 'failover key F41loverK',
        masked: 'failover key <secret hidden>',
        secret: 'F41loverK',
      },
    ],
  ],
  [
    huaweiVrp,
    [
      {
        raw: ' pre-shared-key cipher %^%#ab cd~ef%^%#',
        masked: ' pre-shared-key cipher <secret hidden>',
        secret: 'cd~ef',
      },
      {
        raw: ' ssh user-password %@%@Zq1 Wx2%@%@',
        masked: ' ssh user-password <secret hidden>',
        secret: 'Wx2',
      },
      { raw: ' pin verify auto 1234', masked: ' pin verify auto <secret hidden>', secret: '1234' },
    ],
  ],
  [
    vyos,
    [
      {
        raw: "set interfaces wireguard wg0 peer site2 preshared-key 'WgPsk/base64='",
        masked: "set interfaces wireguard wg0 peer site2 preshared-key '<secret hidden>'",
        secret: 'WgPsk',
      },
    ],
  ],
  [
    fortios,
    [
      {
        raw: '        set rsso-secret Rss0Sec',
        masked: '        set rsso-secret <secret hidden>',
        secret: 'Rss0Sec',
      },
    ],
  ],
];

describe.each(CASES)('$vendor secrets', (collector, cases) => {
  it.each(cases)('masks $raw', ({ raw, masked, secret }) => {
    const once = maskSecretsInText(`${raw}\n`, collector.secrets ?? []);
    expect(once).toBe(`${masked}\n`);
    expect(once).not.toContain(secret);
    expect(maskSecretsInText(once, collector.secrets ?? [])).toBe(once);
  });
});

describe('lines that look alike but hold no secret', () => {
  it.each([
    [ciscoIos, ' key 7'],
    [ciscoIos, ' standby 10 authentication md5 key-chain HSRP-KEYS'],
    [ciscoNxos, '    authentication md5 key-chain HSRP-KEYS'],
    [ciscoIos, 'security passwords min-length 12'],
    [huaweiVrp, ' description uplink %^% to core'],
  ] as const)('%# keeps its line', (collector, line) => {
    expect(maskSecretsInText(`${line}\n`, collector.secrets ?? [])).toBe(`${line}\n`);
  });
});
