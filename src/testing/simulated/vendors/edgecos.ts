import {
  backspaceErase,
  caretLine,
  ciscoStyleCli,
  ciscoTelnetLogin,
  configReply,
  DEFAULT_BANNER,
  isEnableCommand,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = '---More---';

/**
 * Edgecore ECS4120: prompt `Console#` (`Console>` before `enable`); pager `---More---` erased with
 * backspaces; `terminal length 0` turns it off. `show running-config` starts with `building
 * running-config, please wait.....` and the `!<stackingDB>` lines. Errors: `% Invalid input
 * detected at '^' marker.` under a caret line.
 */
export function edgecos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'Console';
  const prompt = `${hostname}#`;
  const invalid = (at: string, errorAt: number): string =>
    `${caretLine(at, errorAt)}\n% Invalid input detected at '^' marker.\n`;
  return {
    vendor: 'edgecos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_6.6',
    hostname,
    version: settings.version ?? '1.2.3.4',
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: ciscoTelnetLogin('Login invalid'),
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '',
      deniedText: '% Bad password\n',
    },
    ...ciscoStyleCli({
      showRunningConfig: (session) =>
        configReply(
          [
            'building running-config, please wait.....',
            '!<stackingDB>00</stackingDB>',
            '!<stackingMac>01_70-72-cf-00-00-01_01</stackingMac>',
            '!',
          ],
          session.config,
        ),
      invalidText: (errorAt, incomplete) =>
        incomplete ? '% Incomplete command.\n' : invalid(prompt, errorAt),
      unprivileged: (id, command) =>
        id === 'show-run'
          ? { kind: 'output', text: invalid(`${hostname}>`, command.indexOf(' ') + 1) }
          : undefined,
    }),
  };
}

/** The `edgecos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname ${hostname}
!
vlan database
 VLAN 1 name DefaultVlan media ethernet
 VLAN 20 name users media ethernet
!
interface ethernet 1/1
 description uplink # core >
 switchport allowed vlan add 20 tagged
!
interface vlan 1
 ip address 192.0.2.90 255.255.255.0
!
line console
!
end
!
`;
}
