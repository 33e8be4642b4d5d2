import {
  DEFAULT_BANNER,
  ciscoStyleCli,
  backspaceErase,
  configReply,
  ctime,
  type PersonalitySettings,
  type BuiltInPersonality,
  isEnableCommand,
} from './kit.js';

const PAGER = ' --More-- ';

/**
 * Arista EOS: prompt `router1#`, pager ` --More-- ` erased with backspaces, errors `% Invalid input`
 * / `% Incomplete command` without a caret. `show running-config` prints `! Command: show
 * running-config`, `! device: …`, `! Time: …` (changes on every read) and `! Startup-config last
 * modified at … by admin` (the last `setConfig`).
 */
export function aristaEos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'router1';
  const version = settings.version ?? '4.28.3M';
  return {
    vendor: 'arista-eos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_7.8',
    hostname,
    version,
    prompt: `${hostname}#`,
    banner: DEFAULT_BANNER,
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 1,
      wrongSecretText: '',
      deniedText: '% Access denied\n',
    },
    ...ciscoStyleCli({
      showRunningConfig: (session) =>
        configReply(
          [
            '! Command: show running-config',
            `! device: ${session.hostname} (vEOS-lab, EOS-${session.version})`,
            `! Time: ${ctime(session.volatileTime())}`,
            `! Startup-config last modified at ${ctime(session.configChangedAt)} by admin`,
            '!',
          ],
          session.config,
        ),
      invalidText: (_errorAt, incomplete) =>
        incomplete ? '% Incomplete command\n' : '% Invalid input\n',
      unprivileged: (id) =>
        id === 'show-run'
          ? { kind: 'output', text: '% Invalid input (privileged mode required)\n' }
          : undefined,
    }),
  };
}

/** The `arista-eos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `! device: ${hostname} (DCS-7050SX, EOS-4.28.3M)
!
hostname ${hostname}
!
interface Ethernet1
   description spine # 1 >
!
end
`;
}
