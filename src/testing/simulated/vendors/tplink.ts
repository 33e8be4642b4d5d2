import {
  ciscoStyleCli,
  configReply,
  isEnableCommand,
  type BuiltInPersonality,
  type PersonalitySettings,
} from './kit.js';

const PAGER = 'Press any key to continue (Q to quit)';

/**
 * TP-Link JetStream switch: prompt `T2600G-28TS#` (`>` before `enable`), pager `Press any key to
 * continue (Q to quit)` erased with `\r` and blanks; `terminal length 0` turns it off. `show
 * running-config` prints the model as `!T2600G-28TS`, a `#`, then the configuration, which ends
 * in `end`. Errors: `Error: Bad command`.
 */
export function tplink(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'T2600G-28TS';
  return {
    vendor: 'tplink',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_5.2',
    hostname,
    version: settings.version ?? '3.0.0 Build 20200506 Rel.71548',
    prompt: `${hostname}#`,
    banner: '',
    pager: { prompt: PAGER, erase: `\r${' '.repeat(PAGER.length)}\r` },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password:',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: 'Error: Incorrect password\n',
    },
    ...ciscoStyleCli({
      showRunningConfig: (session) => configReply(['!T2600G-28TS', '#'], session.config),
      invalidText: (_errorAt, incomplete) =>
        incomplete ? 'Error: Incomplete command\n' : 'Error: Bad command\n',
      unprivileged: (id) =>
        id === 'show-run' ? { kind: 'output', text: 'Error: Bad command\n' } : undefined,
    }),
  };
}

/** The `tplink` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `vlan 10
 name "servers # rack >"
#
hostname "${hostname}"
location "SanJose"
#
interface gigabitEthernet 1/0/1
  switchport general allowed vlan 10 tagged
#
end
`;
}
