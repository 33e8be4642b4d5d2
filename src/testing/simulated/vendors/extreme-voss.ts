import {
  DEFAULT_BANNER,
  caretLine,
  ciscoStyleCli,
  configReply,
  ctime,
  isEnableCommand,
  wordStart,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = '--More-- (q = quit)';

/**
 * Extreme VOSS: prompt `VSP-4450GSX:1#` (`VSP-4450GSX:1>` before `enable`, which asks no
 * password), `Login:` / `Password:` over telnet, pager `--More-- (q = quit)` erased with `\r`,
 * spaces, `\r`; `terminal more disable` turns it off. `show running-config` prints
 * `Preparing to Display Configuration...` and a header with the time (new on every read), box
 * type and software version, then `config terminal` … `end`. Errors: `% Invalid input detected at
 * '^' marker.` under a caret.
 */
export function extremeVoss(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'VSP-4450GSX';
  const prompt = `${hostname}:1#`;
  const invalid = (prefix: string, column: number): string =>
    `${caretLine(prefix, column)}\n% Invalid input detected at '^' marker.\n`;
  return {
    vendor: 'extreme-voss',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.5',
    hostname,
    version: settings.version ?? '8.4.2.0',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: {
      greeting: '\r\n',
      usernamePrompt: 'Login: ',
      passwordPrompt: 'Password: ',
      failureText: '\r\nIncorrect Credentials\r\n',
      attempts: 3,
    },
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}:1>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Access denied\n',
    },
    ...ciscoStyleCli<'more'>({
      showRunningConfig: (session) =>
        configReply(
          [
            'Preparing to Display Configuration...',
            '#',
            `# ${ctime(session.volatileTime())} UTC`,
            '# box type             : VSP-4450GSX-PWR+',
            `# software version     : ${session.version}`,
            '# cli mode             : ECLI',
            '#',
            '',
            'config terminal',
          ],
          `${session.config}end\n`,
        ),
      invalidText: (errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n' : invalid(prompt, errorAt),
      unprivileged: (id, command) =>
        id === 'show-run'
          ? { kind: 'output', text: invalid(`${hostname}:1>`, wordStart(command, 1)) }
          : undefined,
      extra: {
        syntax: [{ id: 'more', words: ['terminal', 'more', 'disable'] }],
        handle(_id, _args, session) {
          session.paging = false;
          return { kind: 'output' };
        },
      },
    }),
  };
}

/**
 * The `extreme-voss` sample configuration of a device named `hostname`
 * (`SimulatedPersonality.sampleConfig`): what comes between `config terminal` and `end`.
 */
function sampleConfig(hostname: string): string {
  return `#
# SYSTEM CONFIGURATION
#
prompt "${hostname}"
sys name "${hostname}"
snmp-server contact "noc # ops >"
#
# VLAN CONFIGURATION
#
vlan create 200 name "SERVERS" type port-mstprstp 0
vlan members 200 1/1-1/10 portmember
`;
}
