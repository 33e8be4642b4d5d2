import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/**
 * Opengear secrets: the value of every setting whose last name part is a password, secret, key,
 * passphrase or community (`config.users.user1.password`, `config.auth.radius.password`,
 * `config.system.snmp.community`, `config.interfaces.wlan.wpa_psk` …), and PEM private keys.
 */
const OPENGEAR_SECRETS: readonly SecretRule[] = [
  {
    line: /^config\.\S*?\.(?:\w*password\w*|\w*secret|\w*passphrase|\w*psk|\w*key|\w*community\w*) (.+)$/,
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Opengear console servers (CM, IM, ACM, with the classic Lighthouse-less firmware) over exec
 * channels: `config -g config`, one `config.<path> <value>` setting a line.
 *
 * The output has no end marker: it is complete when it is not blank and every line is a
 * `config.` setting (a cut connection shows as a missing exit status). Errors: `config: …` and
 * the shell's `not found`. The settings hold no change time: normalization drops nothing.
 */
export const opengear: ConfigCollector = defineCollector({
  vendor: 'opengear',
  displayName: 'Opengear',
  mode: 'exec',
  commands: ['config -g config'],
  errorPatterns: [/^config: /m, /^-?(?:ba)?sh: .*not found/m],
  isComplete: (text) => {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return lines.length > 0 && lines.every((line) => /^config\.\S/.test(line));
  },
  secrets: OPENGEAR_SECRETS,
});
