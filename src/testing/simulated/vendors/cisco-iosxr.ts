import type { SimulatedReply, SimulatedSession } from '../types.js';
import {
  DEFAULT_BANNER,
  abbreviatingCli,
  backspaceErase,
  caretLine,
  clockTimeMs,
  configReply,
  ctime,
  dayAndDate,
  setPageLength,
  type CommandSyntax,
  type PersonalitySettings,
  LEAVE_SYNTAX,
  type BuiltInPersonality,
} from './kit.js';

type XrCommand = 'length' | 'width' | 'no-timestamp' | 'show-run' | 'exit';

const SYNTAX: readonly CommandSyntax<XrCommand>[] = [
  { id: 'length', words: ['terminal', 'length', '<n>'] },
  { id: 'width', words: ['terminal', 'width', '<n>'] },
  { id: 'no-timestamp', words: ['terminal', 'exec', 'prompt', 'no-timestamp'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

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
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, args, session) {
        switch (id) {
          case 'length':
            return setPageLength(session, args[0]);
          case 'width':
            return { kind: 'output' };
          case 'no-timestamp':
            session.flags.add(NO_TIMESTAMP);
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-run':
            return withTimestamp(
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
            );
        }
      },
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
