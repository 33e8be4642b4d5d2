import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';

/**
 * VyOS and Ubiquiti EdgeOS over an interactive shell: `show configuration commands | no-more`,
 * which prints the configuration as `set …` commands without paging.
 *
 * Complete when every non-blank line is a `set` command and the last one closes its quotes (an
 * output cut inside a value leaves a quote open).
 */
export const vyos: ConfigCollector = defineCollector({
  vendor: 'vyos',
  displayName: 'VyOS',
  mode: 'shell',
  commands: ['show configuration commands | no-more'],
  // vyos@edge-01:~$   vyos@edge-01#
  promptPattern: /^[\w.-]+@[\w.-]+(?::\S*)?[$#] ?$/,
  exitCommand: 'exit',
  errorPatterns: [/^[ \t]*Invalid command: /m, /^-?v?bash: .*: command not found/m],
  isComplete: (text) => {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return (
      lines.length > 0 &&
      lines.every((line) => line.startsWith('set ')) &&
      (lastNonBlankLine(text).split("'").length - 1) % 2 === 0
    );
  },
});
