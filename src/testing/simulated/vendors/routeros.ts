import type { SimulatedPersonality, SimulatedReply, SimulatedSession } from '../types.js';
import { isoDateTime, routerOsV6DateTime, type PersonalitySettings } from './kit.js';

/** `/export` arguments each major version accepts. */
const EXPORT_ARGUMENTS: Readonly<Record<'6' | '7', readonly string[]>> = {
  '6': ['hide-sensitive', 'compact', 'verbose', 'terse'],
  '7': ['show-sensitive', 'hide-sensitive', 'compact', 'verbose', 'terse'],
};

function majorVersion(version: string): '6' | '7' {
  return version.startsWith('6') ? '6' : '7';
}

/** `# 2026-03-07 12:00:00 by RouterOS 7.16.2` (v7) or `# jan/02/1970 00:22:56 by RouterOS 6.48.6` (v6). */
function exportHeader(session: SimulatedSession): string {
  const now = session.volatileTime();
  const time = majorVersion(session.version) === '6' ? routerOsV6DateTime(now) : isoDateTime(now);
  return `# ${time} by RouterOS ${session.version}\n`;
}

function error(text: string): SimulatedReply {
  return { kind: 'output', text: `${text}\n` };
}

/** The command's words with the 1-based column each starts at. */
function words(command: string): { text: string; column: number }[] {
  return [...command.matchAll(/\S+/g)].map((match) => ({
    text: match[0],
    column: match.index + 1,
  }));
}

/**
 * MikroTik RouterOS (exec, `\r\n` line ends). `/export` (also `export`, with `show-sensitive`,
 * `hide-sensitive`, `compact`, `verbose`, `terse`) prints the export header — current time, v7
 * `# 2026-03-07 12:00:00 by RouterOS 7.16.2`, v6 `# jan/02/1970 00:22:56 by RouterOS 6.48.6` —
 * then the configuration. v6 (`version` starting with `6`) answers `/export show-sensitive` with
 * `expected end of command (line 1 column 9)`, like real v6. Also `/system resource print`,
 * `/system identity print` and `:put [/system resource get version]`. Unknown commands:
 * `bad command name foo (line 1 column 2)`. Errors go to stdout with exit status 0, as RouterOS
 * does: only their text tells them apart.
 */
export function routeros(settings: PersonalitySettings = {}): SimulatedPersonality {
  const hostname = settings.hostname ?? 'router1';
  return {
    vendor: 'routeros',
    mode: 'exec',
    ident: 'ROSSSH',
    hostname,
    version: settings.version ?? '7.16.2',
    newline: '\r\n',
    respond(command, session) {
      const [first, ...rest] = words(command);
      if (!first) return { kind: 'output' };
      const path = first.text.replace(/^\//, '');
      if (path === 'export') {
        const allowed = EXPORT_ARGUMENTS[majorVersion(session.version)];
        const unknown = rest.find(
          (word) => !allowed.includes(word.text) && !word.text.startsWith('file='),
        );
        if (unknown) return error(`expected end of command (line 1 column ${unknown.column})`);
        return { kind: 'config', text: exportHeader(session) + session.config };
      }
      const line = [path, ...rest.map((word) => word.text)].join(' ');
      if (line === 'system resource print') {
        return {
          kind: 'output',
          text: `                   uptime: 1w2d3h4m5s\n                  version: ${session.version} (stable)\n               board-name: RB5009UG+S+\n`,
        };
      }
      if (line === 'system identity print')
        return { kind: 'output', text: `  name: ${session.hostname}\n` };
      if (command === ':put [/system resource get version]') {
        return { kind: 'output', text: `${session.version} (stable)\n` };
      }
      return undefined;
    },
    invalidCommand(command) {
      const first = words(command)[0];
      if (!first) return error('bad command name (line 1 column 1)');
      const slash = first.text.startsWith('/') ? 1 : 0;
      const name = first.text.slice(slash).split('/')[0] ?? '';
      return error(`bad command name ${name} (line 1 column ${first.column + slash})`);
    },
  };
}
