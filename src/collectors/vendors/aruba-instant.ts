import { firstNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Aruba Instant secrets: the virtual controller key, SNMP communities (also in `snmp-server
 * host`), management user hashes (`hash-mgmt-user … password hash …`, `mgmt-user`), RADIUS and
 * TACACS+ keys, Wi-Fi passphrases, IPsec keys, local users' passwords and PEM private keys.
 */
const INSTANT_SECRETS: readonly SecretRule[] = [
  { line: /^virtual-controller-key (\S+)/ },
  { line: /^snmp-server community (\S+)/ },
  { line: /^snmp-server host \S+ version (?:1|2c) (\S+)/ },
  { line: /^snmp-server user \S+ .*?\b(?:sha|md5) (\S+)/ },
  { line: /^snmp-server user \S+ .*?\b(?:des|aes) (\S+)/ },
  { line: /^hash-mgmt-user \S+ password \S+ (\S+)/ },
  { line: /^mgmt-user \S+ (\S+)/ },
  { line: /^\s+key (\S+)$/ },
  { line: /^\s*(?:wpa-passphrase|bkup-passwords) (\S+)/ },
  { line: /\bipsec (\S+)$/ },
  { line: /^user \S+ (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

/**
 * Aruba Instant APs and their virtual controller over an interactive shell: `enable` when the
 * account lands at `>`, then `show running-config no-encrypt` (option `no_encrypt`). Instant
 * does not page over SSH: there is no setup command.
 *
 * Prompts read `IAP515# ` (`IAP515 (config) # ` in configuration mode). The configuration has no
 * end marker; it is complete when its first line is `version …`. Instant prints no volatile line
 * in it: normalization drops nothing, and the version line is kept, so an upgrade shows.
 */
export const arubaInstant: ConfigCollector = defineCollector({
  vendor: 'aruba-instant',
  displayName: 'Aruba Instant',
  mode: 'shell',
  options: [
    {
      name: 'no_encrypt',
      type: 'boolean',
      default: true,
      doc: "Read `show running-config no-encrypt`, so keys show as configured rather than in the AP's encrypted form; mask_secrets then masks them.",
    },
  ],
  commands: ({ options }) => [
    options?.no_encrypt === false ? 'show running-config' : 'show running-config no-encrypt',
  ],
  promptPattern: /^ ?[\w:.@-]+(?: \([\w./ -]+\) ?)?[#>] ?$/,
  privilege: { command: 'enable', privilegedPrompt: /#$/ },
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*%? ?Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
    /^[ \t]*Parse error\b/m,
  ],
  isComplete: (text) => /^version \S/.test(firstNonBlankLine(text)),
  secrets: INSTANT_SECRETS,
  // `version 8.10.0.0-8.10.0`, the first line
  detectVersion: (head) => /^version (\S+)/m.exec(head)?.[1],
});
