import {
  DEFAULT_BANNER,
  ciscoStyleCli,
  caretLine,
  configReply,
  ctime,
  type PersonalitySettings,
  type BuiltInPersonality,
} from './kit.js';

/**
 * Cisco NX-OS: prompt `router1# ` (with the trailing space NX-OS prints), a reverse-video
 * `--More--` pager erased with `\r` + erase-line (ANSI). `show running-config` prints
 * `!Command: show running-config`, `!Running configuration last done at: …` (the time of the last
 * `setConfig`) and `!Time: …` (changes on every read).
 */
export function ciscoNxos(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'router1';
  const prompt = `${hostname}# `;
  return {
    vendor: 'cisco-nxos',
    mode: 'shell',
    sampleConfig,
    ident: 'OpenSSH_8.3',
    hostname,
    version: settings.version ?? '9.3(8)',
    prompt,
    banner: DEFAULT_BANNER,
    pager: { prompt: '\x1b[7m--More--\x1b[27m', erase: '\r\x1b[K' },
    ...ciscoStyleCli({
      showRunningConfig: (session) =>
        configReply(
          [
            '',
            '!Command: show running-config',
            `!Running configuration last done at: ${ctime(session.configChangedAt)}`,
            `!Time: ${ctime(session.volatileTime())}`,
            '',
          ],
          session.config,
        ),
      invalidText: (errorAt, incomplete) =>
        `${caretLine(prompt, errorAt)}\n% ${incomplete ? 'Incomplete' : 'Invalid'} command at '^' marker.\n`,
    }),
  };
}

/** The `cisco-nxos` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `version 9.3(8) Bios:version 05.45
hostname ${hostname}
feature ssh
interface Ethernet1/1
  description core # link >
  no shutdown
`;
}
