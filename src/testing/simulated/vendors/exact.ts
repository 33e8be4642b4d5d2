/**
 * A CLI that takes its commands only as typed in full (no Cisco-style abbreviations), for the
 * personalities of vendors whose CLIs do not complete a prefix on Enter. Internal.
 * @internal
 */
import type { SimulatedPersonality, SimulatedReply, SimulatedSession } from '../types.js';

/**
 * `respond` and `invalidCommand` from a table of whole command lines (white space runs count as
 * one blank, case as typed): `handle` answers a known one, `invalidText` words the error for any
 * other (or for the configuration command under the `commandError` fault).
 */
export function exactCli<Id extends string>(options: {
  readonly commands: Readonly<Record<string, Id>>;
  readonly handle: (id: Id, session: SimulatedSession) => SimulatedReply;
  readonly invalidText: (command: string) => string;
}): Pick<SimulatedPersonality, 'respond' | 'invalidCommand'> {
  const lookup = (command: string): Id | undefined => {
    const key = command.trim().replace(/\s+/g, ' ');
    return Object.hasOwn(options.commands, key) ? options.commands[key] : undefined;
  };
  return {
    respond(command, session) {
      const id = lookup(command);
      return id === undefined ? undefined : options.handle(id, session);
    },
    invalidCommand: (command) => ({ kind: 'output', text: options.invalidText(command) }),
  };
}
