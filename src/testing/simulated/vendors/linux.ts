import type { SimulatedReply } from '../types.js';
import type { PersonalitySettings, BuiltInPersonality } from './kit.js';

/** Where a simulated `linux` device keeps its `config` unless the `files` option says otherwise. */
export const SIMULATED_LINUX_CONFIG_PATH = '/etc/network/interfaces';

/**
 * Splits a command line into words the way a POSIX shell does for simple commands: white space
 * separates, single quotes keep everything, double quotes keep all but `\"` and `\\`, a backslash
 * escapes the next character. Returns undefined for an unterminated quote.
 */
export function shellWords(command: string): string[] | undefined {
  const result: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < command.length) {
    const ch = command[i]!;
    if (/\s/.test(ch)) {
      if (word !== undefined) result.push(word);
      word = undefined;
      i++;
    } else if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let text = '';
      i++;
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) i++;
        text += command[i];
        i++;
      }
      if (i >= command.length) return undefined;
      word = (word ?? '') + text;
      i++;
    } else if (ch === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[i + 1]!;
      i += 2;
    } else {
      word = (word ?? '') + ch;
      i++;
    }
  }
  if (word !== undefined) result.push(word);
  return result;
}

/** The operands of a `cat` command line (after `--`, or every word not starting with `-`). */
export function catOperands(command: string): string[] | undefined {
  const words = shellWords(command);
  if (!words || words[0] !== 'cat') return undefined;
  const operands: string[] = [];
  let afterDashDash = false;
  for (const word of words.slice(1)) {
    if (!afterDashDash && word === '--') afterDashDash = true;
    else if (afterDashDash || !word.startsWith('-')) operands.push(word);
  }
  return operands;
}

/**
 * A Linux host (exec, `\n` line ends): `cat [--] <path>…` prints the files of the `files` option —
 * the `config` is {@link SIMULATED_LINUX_CONFIG_PATH} by default — one after the other. A missing
 * file: `cat: <path>: No such file or directory` on stderr and exit status 1 (the other files are
 * still printed). Other commands: `bash: foo: command not found` on stderr, exit status 127. Under
 * the `commandError` fault, `cat` answers `cat: <path>: Permission denied`, exit status 1.
 */
export function linux(settings: PersonalitySettings = {}): BuiltInPersonality {
  return {
    vendor: 'linux',
    mode: 'exec',
    sampleConfig,
    ident: 'OpenSSH_9.2p1 Debian-2+deb12u3',
    hostname: settings.hostname ?? 'host1',
    version: settings.version ?? '6.1.0',
    respond(command, session): SimulatedReply | undefined {
      const operands = catOperands(command);
      if (!operands) return undefined;
      let text = '';
      let stderr = '';
      for (const path of operands) {
        const content = session.files[path];
        if (content === undefined) stderr += `cat: ${path}: No such file or directory\n`;
        else text += content;
      }
      if (stderr) return { kind: 'output', text, stderr, exitStatus: 1 };
      return { kind: 'config', text };
    },
    invalidCommand(command): SimulatedReply {
      const operands = catOperands(command);
      if (operands) {
        const stderr = operands.map((path) => `cat: ${path}: Permission denied\n`).join('');
        return { kind: 'output', stderr, exitStatus: 1 };
      }
      const name = shellWords(command)?.[0] ?? command.split(/\s+/)[0] ?? '';
      return { kind: 'output', stderr: `bash: ${name}: command not found\n`, exitStatus: 127 };
    },
  };
}

/** The `linux` sample configuration of a device named `hostname` (`SimulatedPersonality.sampleConfig`). */
function sampleConfig(hostname: string): string {
  return `# /etc/network/interfaces of ${hostname} # managed >
auto eth0
iface eth0 inet static
    address 192.0.2.7/24
`;
}
