import type { SimulatedPersonality } from '../types.js';
import {
  DEFAULT_BANNER,
  abbreviatingCli,
  backspaceErase,
  caretLine,
  ciscoTime,
  configReply,
  setPageLength,
  type CommandSyntax,
  type PersonalitySettings,
  LEAVE_SYNTAX,
  isEnableCommand,
  wordStart,
} from './kit.js';

const SYNTAX: readonly CommandSyntax<'length' | 'width' | 'show-run' | 'exit'>[] = [
  { id: 'length', words: ['terminal', 'length', '<n>'] },
  { id: 'width', words: ['terminal', 'width', '<n>'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = ' --More-- ';

/**
 * Cisco IOS / IOS-XE: prompt `router1#`, pager ` --More-- ` erased with backspaces, keywords
 * abbreviable (`sh run`). `show running-config` prints `Building configuration...`,
 * `Current configuration : N bytes` and `! Last configuration change at …` / `! NVRAM config last
 * updated at …` lines with the time the configuration last changed (start-up or `setConfig`), as
 * real IOS does: two reads of an unchanged configuration are the same. The `volatileChangeTimes`
 * fault makes those times new on every read.
 */
export function ciscoIos(settings: PersonalitySettings = {}): SimulatedPersonality {
  const hostname = settings.hostname ?? 'router1';
  const prompt = `${hostname}#`;
  return {
    vendor: 'cisco-ios',
    mode: 'shell',
    ident: 'Cisco-1.25',
    hostname,
    version: settings.version ?? '15.2',
    prompt,
    banner: DEFAULT_BANNER,
    pager: { prompt: PAGER, erase: backspaceErase(PAGER) },
    privilege: {
      userPrompt: `${hostname}>`,
      isEnable: isEnableCommand,
      passwordPrompt: 'Password: ',
      secretEcho: 'none',
      attempts: 3,
      wrongSecretText: '',
      deniedText: '% Bad secrets\n\n',
    },
    ...abbreviatingCli({
      syntax: SYNTAX,
      handle(id, args, session) {
        switch (id) {
          case 'length':
            return setPageLength(session, args[0]);
          case 'width':
            return { kind: 'output' };
          case 'exit':
            return { kind: 'exit' };
          case 'show-run': {
            const time = ciscoTime(
              session.faults.volatileChangeTimes ? session.volatileTime() : session.configChangedAt,
            );
            return configReply(
              [
                'Building configuration...',
                '',
                `Current configuration : ${Buffer.byteLength(session.config)} bytes`,
                '!',
                `! Last configuration change at ${time} by admin`,
                `! NVRAM config last updated at ${time} by admin`,
              ],
              session.config,
            );
          }
        }
      },
      invalidText: (errorAt, incomplete) =>
        incomplete
          ? '% Incomplete command.\n\n'
          : `${caretLine(prompt, errorAt)}\n% Invalid input detected at '^' marker.\n\n`,
      // At `router1>`, `show` knows no `running-config`: the caret goes under that word.
      unprivileged: (id, command) =>
        id === 'show-run'
          ? {
              kind: 'output',
              text: `${caretLine(`${hostname}>`, wordStart(command, 1))}\n% Invalid input detected at '^' marker.\n\n`,
            }
          : undefined,
    }),
  };
}
