import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * D-Link secrets: SNMP communities, account passwords (`encrypt sha_1 …`, `encrypt plain_text
 * …`), RADIUS/TACACS+ keys, SNMPv3 user keys and PEM private keys.
 */
const DLINK_SECRETS: readonly SecretRule[] = [
  { line: /^create snmp community (\S+)/ },
  { line: /\bencrypt (?:plain_text|sha_1|sha_256|md5) (\S+)/ },
  { line: /^(?:config radius|create authen server_host|config authen server_host) .*?\bkey (\S+)/ },
  { line: /^create snmp user .*?\bauth (?:md5|sha) (\S+)/ },
  { line: /^create snmp user .*?\bpriv (?:des|none|aes) (\S+)/ },
  PRIVATE_KEY_BLOCK,
];

const END_OF_FILE = /^#\s*End of configuration file\s*$/;

/** The `End of configuration file` comment, then comment lines only. */
function endsWithEndOfFile(normalizedText: string): boolean {
  const lines = normalizedText.split('\n').filter((line) => line.trim() !== '');
  const end = lines.findLastIndex((line) => END_OF_FILE.test(line));
  return end !== -1 && lines.slice(end).every((line) => line.startsWith('#'));
}

/**
 * D-Link managed switches (DGS-3000/3100/3120/3400/3600, DES-3200/3500 and kin, Oxidized's
 * `dlink`) over an interactive shell: `disable clipaging`, then `show config current`.
 *
 * Prompts read `DGS-3120-24TC:admin#` (`DES-3028:4#` on older firmware, `:user#` for lower
 * levels). The account's level is fixed at login: there is no privilege step. Complete when the
 * `#  End of configuration file` comment closes the output. Normalization drops the CLI's echo
 * `Command: show config current`; the firmware line of the header is kept, so an upgrade shows.
 */
export const dlink: ConfigCollector = defineCollector({
  vendor: 'dlink',
  displayName: 'D-Link switch',
  mode: 'shell',
  setupCommands: ['disable clipaging'],
  commands: ['show config current'],
  promptPattern: /^\r*[\w.@()/-]+:[\w-]+[#>] ?$/,
  pagerPattern: /^\s*CTRL\+C ESC q Quit SPACE n Next Page ENTER Next Entry a All\s*$/,
  exitCommand: 'logout',
  errorPatterns: [
    /^[ \t]*Available commands:/m,
    /^[ \t]*Next possible completions:/m,
    /^[ \t]*%? ?Invalid (?:command|input)/im,
    /^[ \t]*Fail!/m,
  ],
  isComplete: endsWithEndOfFile,
  normalization: {
    dropLines: [/^Command: show config /],
  },
  secrets: DLINK_SECRETS,
  // `#   Firmware: Build 4.04.B005` in the header
  detectVersion: (head) => /^#\s*Firmware: (?:Build )?(\S+)/m.exec(head)?.[1],
});
