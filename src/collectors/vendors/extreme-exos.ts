import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK, type SecretRule } from '../secrets.js';

/** A value as EXOS prints it: `"quoted"` or bare. */
const VALUE = String.raw`(?:encrypted )?(?:"([^"]*)"|(\S+))`;

/**
 * Extreme EXOS secrets: account passwords (`create account … encrypted …`,
 * `configure account … encrypted …`), RADIUS and TACACS+ shared secrets, SNMPv3 community names
 * and user keys, PEM private keys.
 */
const EXOS_SECRETS: readonly SecretRule[] = [
  // `encrypted` required: `configure account admin password-policy …` holds no secret.
  { line: /^create account (?:admin|user) "?[^"\s]+"? encrypted (?:"([^"]*)"|(\S+))/ },
  { line: /^configure account "?[^"\s]+"? encrypted (?:"([^"]*)"|(\S+))/ },
  {
    line: new RegExp(
      String.raw`^configure (?:radius|radius-accounting|tacacs|tacacs-accounting) .*?\bshared-secret ${VALUE}`,
    ),
  },
  {
    line: new RegExp(String.raw`^configure snmpv3 add community ${VALUE} name ${VALUE}`),
  },
  {
    line: new RegExp(
      String.raw`^configure snmpv3 add user .*?\bauthentication (?:md5|sha) ${VALUE}(?: privacy (?:(?:des|3des|aes(?: \d+)?) )?${VALUE})?`,
    ),
  },
  PRIVATE_KEY_BLOCK,
];

/**
 * Extreme EXOS (Summit, X440/X460/X465/X690, ExtremeSwitching; stacks included) over an
 * interactive shell: `disable clipaging session` (paging off for this session only), then
 * `show configuration`.
 *
 * The prompt counts commands (`X440G2-01.5 # `, `* Slot-1 Stack.12 # ` with unsaved changes),
 * so any number in the learned prompt may change (`numberedPrompt`). The configuration has no end
 * marker: it is complete when it holds a `# Module <name> configuration.` section. Normalization
 * drops the `# <model> Configuration generated <time>` line; `# Software Version …` is kept, so an
 * upgrade shows as a change.
 */
export const extremeExos: ConfigCollector = defineCollector({
  vendor: 'extreme-exos',
  displayName: 'Extreme EXOS',
  mode: 'shell',
  numberedPrompt: true,
  setupCommands: ['disable clipaging session'],
  commands: ['show configuration'],
  promptPattern: /^(?:\* )?(?:Slot-\d+ )?(?:VPEX )?\(?[\w.~-]+\)?(?:[.:]\d+)? [#>] ?$/,
  pagerPattern: /^\s*Press <SPACE> to continue or <Q> to quit:\s*$/,
  exitCommand: 'exit',
  errorPatterns: [
    /^[ \t]*%% (?:Invalid input detected at '\^' marker|Incomplete command|Ambiguous command|Unrecognized command)/m,
    /^[ \t]*Error: (?:Access denied|Permission denied)/m,
  ],
  isComplete: (text) => /^# Module \S+ configuration\.$/m.test(text),
  normalization: {
    dropLines: [/^# [\w -]+ Configuration generated /],
  },
  secrets: EXOS_SECRETS,
});
