import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/** A type digit before a value (`7 21232f…`), kept as it is. */
const TYPE = String.raw`(?:\d (?=\S))?`;

/**
 * Edgecore secrets: user and enable passwords (`password 7 …`, `password level 15 7 …`), SNMP
 * communities and v3 keys, RADIUS/TACACS+ keys, and PEM private keys. The type digit is kept.
 */
const EDGECOS_SECRETS: readonly SecretRule[] = [
  { line: new RegExp(String.raw`^(?:username \S+ |enable )password (?:level \d+ )?${TYPE}(\S+)`) },
  { line: /^snmp-server community (\S+)/ },
  { line: /^snmp-server user .*?\bauth (?:md5|sha\S*) (\S+)/ },
  { line: /^snmp-server user .*?\bpriv (?:des\S*|aes\S*|3des) (\S+)/ },
  { line: new RegExp(String.raw`^(?:radius|tacacs)-server .*?\bkey ${TYPE}(\S+)`) },
  PRIVATE_KEY_BLOCK,
];

/** The last line that is not a `!` comment is `end`. */
function endsWithEnd(normalizedText: string): boolean {
  const lines = normalizedText.split('\n').filter((line) => line.trim() !== '');
  return lines.findLast((line) => !line.startsWith('!')) === 'end';
}

/**
 * Edgecore (Accton) switches running their ECS/AS series CLI (Oxidized's `edgecos`) over an
 * interactive shell: `enable` when the account lands at `>`, `terminal length 0`, then `show
 * running-config`.
 *
 * Prompts read `Console#` (or the `prompt` set, e.g. `ECS4120-28F#`; `(config)` in
 * configuration mode). Complete when the last line that is not a `!` comment is `end`.
 * Normalization drops `building running-config, please wait.....`; the `!<stackingDB>` lines are
 * kept.
 */
export const edgecos: ConfigCollector = defineCollector({
  vendor: 'edgecos',
  displayName: 'Edgecore',
  mode: 'shell',
  setupCommands: ['terminal length 0'],
  commands: ['show running-config'],
  promptPattern: /^[\w.:/-]+(?:\([\w./-]+\))?[#>] ?$/,
  privilege: {
    command: 'enable',
    privilegedPrompt: /#$/,
    failurePatterns: [/^[ \t]*%? ?(?:Bad|Invalid|Wrong) (?:password|secret)/im],
  },
  pagerPattern: /^\s*---More---\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*% Invalid input detected at '\^' marker\./m,
    /^[ \t]*% Incomplete command\./m,
    /^[ \t]*% Unknown command\./m,
  ],
  isComplete: endsWithEnd,
  normalization: {
    dropLines: [/^building running-config, please wait\.*$/i],
  },
  secrets: EDGECOS_SECRETS,
});
