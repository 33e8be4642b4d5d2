// A custom collector in about 20 lines (docs/custom-collector.md).
import { defineCollector } from 'confsnap';

/** ACME OS switches: an interactive CLI with the prompt `name> `. */
export const acmeOs = defineCollector({
  vendor: 'acme-os',
  displayName: 'ACME OS',
  mode: 'shell',
  promptPattern: /^[\w.-]+> ?$/,
  setupCommands: ['terminal paging off'],
  commands: ['show config'],
  pagerPattern: /^-- more --\s*$/,
  exitCommand: 'logout',
  errorPatterns: [/^% (?:unknown command|permission denied)/m],
  isComplete: (text) => text.endsWith('\n# end of config\n'),
  normalization: {
    dropLines: [/^# generated at /, /^# uptime /],
    replaceInLines: [[/^(\s*secret \S+ hash )\S+$/, '$1<masked>']],
  },
});
