import type { SimulatedPersonality } from '../types.js';
import {
  DEFAULT_BANNER,
  abbreviatingCli,
  backspaceErase,
  configReply,
  ctime,
  setPageLength,
  type CommandSyntax,
  type PersonalitySettings,
  LEAVE_SYNTAX,
  isEnableCommand,
} from './kit.js';

const SYNTAX: readonly CommandSyntax<'length' | 'width' | 'show-run' | 'exit'>[] = [
  { id: 'length', words: ['terminal', 'length', '<n>'] },
  { id: 'width', words: ['terminal', 'width', '<n>'] },
  { id: 'show-run', words: ['show', 'running-config'] },
  ...LEAVE_SYNTAX,
];

const PAGER = ' --More-- ';

/**
 * Arista EOS: prompt `router1#`, pager ` --More-- ` erased with backspaces, errors `% Invalid input`
 * / `% Incomplete command` without a caret. `show running-config` prints `! Command: show
 * running-config`, `! device: …`, `! Time: …` (changes on every read) and `! Startup-config last
 * modified at … by admin` (the last `setConfig`).
 */
export function aristaEos(settings: PersonalitySettings = {}): SimulatedPersonality {
  const hostname = settings.hostname ?? 'router1';
  const version = settings.version ?? '4.28.3M';
  return {
    vendor: 'arista-eos',
    mode: 'shell',
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
          case 'show-run':
            return configReply(
              [
                '! Command: show running-config',
                `! device: ${session.hostname} (vEOS-lab, EOS-${session.version})`,
                `! Time: ${ctime(session.volatileTime())}`,
                `! Startup-config last modified at ${ctime(session.configChangedAt)} by admin`,
                '!',
              ],
              session.config,
            );
        }
      },
      invalidText: (_errorAt, incomplete) =>
        incomplete ? '% Incomplete command\n' : '% Invalid input\n',
      unprivileged: (id) =>
        id === 'show-run'
          ? { kind: 'output', text: '% Invalid input (privileged mode required)\n' }
          : undefined,
    }),
  };
}
