import { endsWithLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/** A value, quoted (`"AAAA"`, the quotes kept) or not. */
const VALUE = String.raw`(?:"([^"]*)"|(\S+))`;

/**
 * ArubaOS controller secrets: IKE/IPsec pre-shared keys (`pre-share`, `PRE-SHARE`, `ipsec`,
 * `pre-shared-key`), SNMP communities (also in `snmp-server host`) and v3 keys, management user
 * hashes, RADIUS/TACACS+ keys, AP console and backup passwords, Wi-Fi passphrases, VRRP
 * authentication, `enable secret`, mobility-manager passwords and PEM private keys.
 */
const AOSW_SECRETS: readonly SecretRule[] = [
  { line: new RegExp(String.raw`\bpre-share ${VALUE}`) },
  { line: new RegExp(String.raw`\bPRE-SHARE ${VALUE}`) },
  // `peer-ip-address 10.0.0.3 ipsec KEY`, `masterip 10.0.0.1 ipsec KEY`, `localip 0.0.0.0 ipsec KEY`
  { line: new RegExp(String.raw`^\s*[\w-]+ \S+ ipsec ${VALUE}`) },
  { line: new RegExp(String.raw`^\s*pre-shared-key ${VALUE}`) },
  { line: new RegExp(String.raw`^crypto isakmp key ${VALUE}`) },
  { line: new RegExp(String.raw`^snmp-server community ${VALUE}`) },
  { line: /^snmp-server host \S+ version (?:1|2c) (\S+)/ },
  { line: /^snmp-server user \S+ .*?\b(?:sha|md5) (\S+)/ },
  { line: /^snmp-server user \S+ .*?\b(?:des|aes) (\S+)/ },
  { line: /^mgmt-user \S+ \S+ (\S+)/ },
  { line: new RegExp(String.raw`^enable secret ${VALUE}`) },
  { line: new RegExp(String.raw`^\s*key ${VALUE}\s*$`) },
  {
    line: new RegExp(
      String.raw`^\s*(?:ap-console-password|bkup-passwords|wpa-passphrase) ${VALUE}`,
    ),
  },
  { line: /^\s*authentication (\S+)\s*$/, within: { from: /^vrrp \d+/, until: /^!/ } },
  { line: /^mobility-manager \S+ user \S+ (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * ArubaOS wireless controllers (Mobility Controllers and Conductors, AOS 6 and 8; also Alcatel
 * OmniAccess and Dell W-series) over an interactive shell: `enable` when the account lands at
 * `>`, `no paging`, `encrypt disable` (option `encrypt_disable`), then `show running-config`.
 *
 * Prompts read `(Aruba7210) #`, `(Aruba7210) [mynode] #` on AOS 8. Complete only when the last
 * line is `end`. Normalization drops `Building Configuration...` and `controller config N` (a
 * counter of saves).
 */
export const arubaAosw: ConfigCollector = defineCollector({
  vendor: 'aruba-aosw',
  displayName: 'ArubaOS wireless controller',
  mode: 'shell',
  options: [
    {
      name: 'encrypt_disable',
      type: 'boolean',
      default: true,
      doc: "Send `encrypt disable` first, so keys show as configured rather than in the controller's encrypted form; mask_secrets then masks them.",
    },
  ],
  setupCommands: ({ options }) =>
    options?.encrypt_disable === false ? ['no paging'] : ['no paging', 'encrypt disable'],
  commands: ['show running-config'],
  promptPattern: /^\([\w.:@-]+\)(?: \[[\w/.:-]+\])?(?: \([\w./ -]+\))? ?[*^]?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*Error: /m, /^[ \t]*% Authentication failed/m],
  },
  pagerPattern: /^\s*--More-- \(q\) quit \(u\) pageup \(\/\) search \(n\) repeat\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
    /^[ \t]*Parse error\b/m,
  ],
  isComplete: endsWithLine('end'),
  normalization: {
    dropLines: [/^Building Configuration\.\.\.$/, /^controller config \d+$/],
  },
  secrets: AOSW_SECRETS,
  // `version 8.10` after `Building Configuration...`
  detectVersion: (head) => /^version (\S+)/m.exec(head)?.[1],
});
