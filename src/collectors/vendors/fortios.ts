import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * FortiOS secrets: every `set <name> ENC <value>` (already `ENC <masked>` without masking, see
 * above; with masking `ENC <secret hidden>`, like every other vendor), plain-text passwords and
 * keys (`set password`, `set psksecret`, `set secret`, `set key`, `set passphrase`, …), SNMP
 * community names (`config system snmp community`), and private keys, whose PEM body spans lines
 * inside `set private-key "…"`.
 */
const FORTIOS_SECRETS: readonly SecretRule[] = [
  { line: /^\s*set \S+ ENC (\S.*)$/ },
  {
    line: /^\s*set (?:password|passwd|psksecret|secret|key|passphrase|login-passwd|auth-pwd|priv-pwd|group-password|sso-password|radius-secret|rsso-secret|secondary-secret|tertiary-secret|tacacs-secret|server-key|auth-password|ppk-secret|inter-controller-key|wpa-passphrase)(?: ENC)? (?!ENC )("(?:[^"\\]|\\.)*"|\S+)/,
  },
  {
    line: /^\s*set name "([^"]*)"/,
    within: { from: /^config system snmp community$/, until: /^end$/ },
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Fortinet FortiOS over an interactive shell: `show`, answering `--More--` with a space. It sends
 * no setup command: the only way to turn paging off (`config system console` / `set output
 * standard`) changes the device's saved configuration, which a backup must never do.
 *
 * Complete when `config`/`end` and `edit`/`next` balance (outside quoted strings, which may span
 * lines) and there is at least one `config` block.
 *
 * Normalization:
 * - `set <name> ENC <value>`: FortiOS re-encrypts secrets with a fresh salt on every read, so the
 *   value is replaced by the fixed placeholder `ENC <masked>` (SPEC §3). The hash covers exactly
 *   the published text, so masking in the text is the only way to keep the hash stable; the price
 *   is that the backup does not hold these secrets, and a restore needs them entered again.
 * - `#conf_file_ver=<n>` is dropped: a counter the device bumps on every save, even one that
 *   changes nothing.
 * - `#config-version=<model>-<version>-FW-build…:user=<name>` is kept: it changes on upgrades,
 *   which are worth a snapshot, and names the backup account, which is stable between reads.
 */
export const fortios: ConfigCollector = defineCollector({
  vendor: 'fortios',
  displayName: 'Fortinet FortiOS',
  mode: 'shell',
  commands: ['show'],
  // FGT-01 #, FGT-01 (root) #, FGT-01 (interface) $
  promptPattern: /^[\w.-]+(?: \([\w.-]+\))? [#$] ?$/,
  pagerPattern: /^\s*--More--\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*Unknown action \d+/m,
    /^[ \t]*command parse error before /m,
    /^[ \t]*Command fail\. Return code -?\d+/m,
  ],
  isComplete: isCompleteFortiosConfiguration,
  normalization: {
    dropLines: [/^#conf_file_ver=/],
    replaceInLines: [[/^(\s*set \S+ ENC )\S.*$/, '$1<masked>']],
  },
  secrets: FORTIOS_SECRETS,
});

const BLOCK_KEYWORD = /^[ \t]*(config|end|edit|next)(?:[ \t]|$)/;

function isCompleteFortiosConfiguration(normalizedText: string): boolean {
  let configDepth = 0;
  let editDepth = 0;
  let configBlocks = 0;
  let inString = false;
  for (const line of normalizedText.split('\n')) {
    if (!inString) {
      const keyword = BLOCK_KEYWORD.exec(line)?.[1];
      if (keyword === 'config') {
        configDepth++;
        configBlocks++;
      } else if (keyword === 'end' && --configDepth < 0) return false;
      else if (keyword === 'edit') editDepth++;
      else if (keyword === 'next' && --editDepth < 0) return false;
    }
    // An odd number of unescaped quotes opens or closes a string spanning lines (certificates,
    // replacement messages, scripts), whose lines may well read `end`.
    if (line.includes('"') && (line.replace(/\\./g, '').split('"').length - 1) % 2 === 1) {
      inString = !inString;
    }
  }
  return configBlocks > 0 && configDepth === 0 && editDepth === 0 && !inString;
}
