import type { SimulatedReply, SimulatedSession } from '../types.js';
import {
  DEFAULT_BANNER,
  ciscoTelnetLogin,
  ciscoStyleCli,
  backspaceErase,
  caretLine,
  clockTimeMs,
  configReply,
  ctime,
  dayAndDate,
  type PersonalitySettings,
  type BuiltInPersonality,
} from './kit.js';

const PAGER = ' --More-- ';
const NO_TIMESTAMP = 'no-timestamp';

/** IOS XR prints the time before a show command's output until `terminal exec prompt no-timestamp`. */
function withTimestamp(session: SimulatedSession, reply: SimulatedReply): SimulatedReply {
  if (session.flags.has(NO_TIMESTAMP)) return reply;
  const now = new Date();
  return { ...reply, text: `${dayAndDate(now)} ${clockTimeMs(now)} UTC\n${reply.text ?? ''}` };
}

/**
 * Cisco IOS XR: prompt `RP/0/RSP0/CPU0:router1#`, pager ` --More-- ` erased with backspaces. Until
 * `terminal exec prompt no-timestamp`, every show command's output starts with a time line
 * (`Tue Mar 10 10:12:45.123 UTC`). `show running-config` prints `Building configuration...`,
 * `!! IOS XR Configuration <version>` and `!! Last configuration change at …` (the last
 * `setConfig`).
 */
export function ciscoIosxr(settings: PersonalitySettings = {}): BuiltInPersonality {
  const hostname = settings.hostname ?? 'router1';
  const version = settings.version ?? '7.3.2';
  const prompt = `RP/0/RSP0/CPU0:${hostname}#`;
  return {
    vendor: 'cisco-iosxr',
    mode: 'shell',
    sampleConfig,
    ident: 'Cisco-2.0',
    hostname,
    version,
    prompt,
    banner: DEFAULT_BANNER,
    telnetLogin: ciscoTelnetLogin(),
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    ...ciscoStyleCli({
      extra: {
        syntax: [{ id: 'no-timestamp', words: ['terminal', 'exec', 'prompt', 'no-timestamp'] }],
        handle(_id, _args, session) {
          session.flags.add(NO_TIMESTAMP);
          return { kind: 'output' };
        },
      },
      showRunningConfig: (session) =>
        withTimestamp(
          session,
          configReply(
            [
              'Building configuration...',
              `!! IOS XR Configuration ${session.version}`,
              `!! Last configuration change at ${ctime(session.configChangedAt)} by admin`,
              '!',
            ],
            session.config,
          ),
        ),
      invalidText: (errorAt, incomplete) =>
        incomplete
          ? '% Incomplete command.\n'
          : `${caretLine(prompt, errorAt)}\n% Invalid input detected at '^' marker.\n`,
    }),
  };
}

/** The `cisco-iosxr` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `hostname ${hostname}
interface GigabitEthernet0/0/0/0
 description peering # ix >
 ipv4 address 192.0.2.3 255.255.255.0
!
end
`;
}
