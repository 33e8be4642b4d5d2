/**
 * Small pieces the built-in personalities share: Cisco-style abbreviated command matching and the
 * date formats of volatile header lines. Internal.
 * @internal
 */
import type {
  SimulatedPersonality,
  SimulatedReply,
  SimulatedSession,
  SimulatedTelnetLogin,
} from '../types.js';

/** One command a CLI knows: keywords (abbreviable), `<n>` (a whole number) or `<word>` (anything). */
export interface CommandSyntax<Id extends string = string> {
  readonly id: Id;
  readonly words: readonly string[];
}

/** The three ways to leave a Cisco-style CLI, in the order abbreviations are tried. */
export const LEAVE_SYNTAX: readonly CommandSyntax<'exit'>[] = Object.freeze([
  { id: 'exit', words: ['exit'] },
  { id: 'exit', words: ['quit'] },
  { id: 'exit', words: ['logout'] },
]);

/** What {@link matchCommand} found. */
export type CommandMatch<Id extends string> =
  | { readonly ok: true; readonly id: Id; readonly args: readonly string[] }
  | { readonly ok: false; readonly incomplete: boolean; readonly errorAt: number };

interface Word {
  readonly text: string;
  readonly at: number;
}

function splitWords(command: string): Word[] {
  return [...command.matchAll(/\S+/g)].map((match) => ({ text: match[0], at: match.index }));
}

function wordMatches(pattern: string, word: string): boolean {
  if (pattern === '<word>') return true;
  if (pattern === '<n>') return /^\d+$/.test(word);
  return pattern.toLowerCase().startsWith(word.toLowerCase());
}

/**
 * Matches a command line against a CLI's commands the way Cisco-style CLIs do: every keyword may be
 * abbreviated to a prefix (`sh run`), case-insensitively. On failure, `errorAt` is the character
 * index of the first word no command accepts (where the `^` goes), and `incomplete` tells a command
 * that stopped short.
 */
export function matchCommand<Id extends string>(
  command: string,
  syntaxes: readonly CommandSyntax<Id>[],
): CommandMatch<Id> {
  const words = splitWords(command);
  let furthest = -1;
  let incomplete = false;
  for (const syntax of syntaxes) {
    let i = 0;
    while (
      i < syntax.words.length &&
      i < words.length &&
      wordMatches(syntax.words[i]!, words[i]!.text)
    )
      i++;
    if (i === syntax.words.length && i === words.length) {
      const args = syntax.words.flatMap((pattern, index) =>
        pattern.startsWith('<') ? [words[index]!.text] : [],
      );
      return { ok: true, id: syntax.id, args };
    }
    const stoppedShort = i === words.length && i < syntax.words.length;
    if (i > furthest || (i === furthest && stoppedShort)) {
      furthest = i;
      incomplete = stoppedShort;
    }
  }
  const errorAt = words[furthest]?.at ?? command.length;
  return { ok: false, incomplete, errorAt: Math.max(0, errorAt) };
}

/** Whether a command line is `enable`, abbreviated or not (`en`, `ena`), Cisco style. */
export function isEnableCommand(command: string): boolean {
  return matchCommand(command, [{ id: 'enable', words: ['enable'] }]).ok;
}

/** Where the `index`-th word (0-based) of a command line starts, for a caret under it. */
export function wordStart(command: string, index: number): number {
  return splitWords(command)[index]?.at ?? command.length;
}

/** A line with a `^` under character `column` of what follows `prompt`. */
export function caretLine(prompt: string, column: number): string {
  return `${' '.repeat(prompt.length + column)}^`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `10:12:45` (UTC). */
export function clockTime(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** `10:12:45.123` (UTC). */
export function clockTimeMs(date: Date): string {
  return `${clockTime(date)}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/** `Tue Mar 10` (UTC). */
export function dayAndDate(date: Date): string {
  return `${DAYS[date.getUTCDay()]!} ${MONTHS[date.getUTCMonth()]!} ${pad(date.getUTCDate())}`;
}

/** `10:12:45 UTC Tue Mar 10 2026`, as IOS prints change times. */
export function ciscoTime(date: Date): string {
  return `${clockTime(date)} UTC ${dayAndDate(date)} ${date.getUTCFullYear()}`;
}

/** `Tue Mar 10 10:12:45 2026`, C's `ctime` (NX-OS, EOS). */
export function ctime(date: Date): string {
  return `${dayAndDate(date)} ${clockTime(date)} ${date.getUTCFullYear()}`;
}

/** `2026-03-10 10:12:45`. */
export function isoDateTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${clockTime(date)}`;
}

/** `mar/10/2026 10:12:45`, RouterOS v6 style. */
export function routerOsV6DateTime(date: Date): string {
  const month = MONTHS[date.getUTCMonth()]!.toLowerCase();
  return `${month}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${clockTime(date)}`;
}

/** Appends a `\n` unless the text is empty or already ends with one. */
export function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** Backspaces over `text`, blanks it, and backspaces again: how IOS erases its pager. */
export function backspaceErase(text: string): string {
  const back = '\b'.repeat(text.length);
  return `${back}${' '.repeat(text.length)}${back}`;
}

/**
 * The telnet login of Cisco IOS, IOS-XE, IOS XR and ASA (`aaa` or `login local`): `User Access
 * Verification`, `Username: `, `Password: `, then `failureText` on a refusal (IOS: `% Login
 * invalid`; with AAA servers: `% Authentication failed`).
 */
export function ciscoTelnetLogin(failure = '% Login invalid'): SimulatedTelnetLogin {
  return {
    greeting: '\r\n\r\nUser Access Verification\r\n\r\n',
    usernamePrompt: 'Username: ',
    passwordPrompt: 'Password: ',
    failureText: `\r\n${failure}\r\n\r\n`,
    attempts: 3,
  };
}

/** The default shell banner: it contains `#` and `>`, which must never be taken for a prompt. */
export const DEFAULT_BANNER = '#### Authorized access only > violators prosecuted ####';

/** What the built-in factories accept. */
export interface PersonalitySettings {
  /** Host name for prompts and headers; each vendor has a default. */
  readonly hostname?: string;
  /** Software version; each vendor has a default. */
  readonly version?: string;
}

/**
 * `respond` and `invalidCommand` for a CLI that matches commands with {@link matchCommand}: `handle`
 * answers a matched command, `invalidText` words the error for a command that did not match (or
 * for the configuration command itself, under the `commandError` fault: then `errorAt` is 0).
 */
export function abbreviatingCli<Id extends string>(options: {
  readonly syntax: readonly CommandSyntax<Id>[];
  readonly handle: (id: Id, args: readonly string[], session: SimulatedSession) => SimulatedReply;
  readonly invalidText: (errorAt: number, incomplete: boolean) => string;
  /**
   * At the unprivileged level (`session.privileged` false): the refusal of a matched command
   * that needs privileged mode, or `undefined` for one that works there too.
   */
  readonly unprivileged?: (id: Id, command: string) => SimulatedReply | undefined;
}): Pick<SimulatedPersonality, 'respond' | 'invalidCommand'> {
  return {
    respond(command, session) {
      const match = matchCommand(command, options.syntax);
      if (!match.ok) return undefined;
      const refusal = session.privileged ? undefined : options.unprivileged?.(match.id, command);
      return refusal ?? options.handle(match.id, match.args, session);
    },
    invalidCommand(command) {
      const match = matchCommand(command, options.syntax);
      const text = match.ok
        ? options.invalidText(0, false)
        : options.invalidText(match.errorAt, match.incomplete);
      return { kind: 'output', text };
    },
  };
}

/** Sets paging from a `terminal length N`-style command: 0 turns it off, N sets the page size. */
export function setPageLength(
  session: SimulatedSession,
  lines: string | undefined,
): SimulatedReply {
  const count = Number(lines ?? '0');
  session.paging = count > 0;
  if (count > 0) session.pageLines = count;
  return { kind: 'output' };
}

/** The config answer: the header lines, then the configuration as it is. */
export function configReply(header: readonly string[], config: string): SimulatedReply {
  return { kind: 'config', text: header.map((line) => `${line}\n`).join('') + config };
}

/** A built-in personality: one that always has a {@link SimulatedPersonality.sampleConfig}. */
export type BuiltInPersonality = SimulatedPersonality &
  Required<Pick<SimulatedPersonality, 'sampleConfig'>>;

/** The commands every Cisco-style CLI here knows: paging, width, the configuration, leaving. */
type CiscoStyleCommand = 'length' | 'width' | 'show-run' | 'exit';

/**
 * `respond` and `invalidCommand` for a Cisco-style CLI (IOS, NX-OS, IOS XR, EOS): `terminal length
 * N` sets paging, `terminal width N` is accepted, `exit` / `quit` / `logout` leave, and
 * `showRunningConfig` answers `show running-config`. `extra` adds commands of the vendor's own
 * (matched before `show running-config`).
 */
export function ciscoStyleCli<Extra extends string = never>(options: {
  readonly showRunningConfig: (session: SimulatedSession) => SimulatedReply;
  readonly invalidText: (errorAt: number, incomplete: boolean) => string;
  /** At the unprivileged level: the refusal of a command that needs privileged mode (see {@link abbreviatingCli}). */
  readonly unprivileged?: (
    id: CiscoStyleCommand | Extra,
    command: string,
  ) => SimulatedReply | undefined;
  readonly extra?: {
    readonly syntax: readonly CommandSyntax<Extra>[];
    readonly handle: (
      id: Extra,
      args: readonly string[],
      session: SimulatedSession,
    ) => SimulatedReply;
  };
}): Pick<SimulatedPersonality, 'respond' | 'invalidCommand'> {
  const { extra } = options;
  const syntax: readonly CommandSyntax<CiscoStyleCommand | Extra>[] = [
    { id: 'length', words: ['terminal', 'length', '<n>'] },
    { id: 'width', words: ['terminal', 'width', '<n>'] },
    ...(extra?.syntax ?? []),
    { id: 'show-run', words: ['show', 'running-config'] },
    ...LEAVE_SYNTAX,
  ];
  return abbreviatingCli({
    syntax,
    handle(id, args, session) {
      switch (id) {
        case 'length':
          return setPageLength(session, args[0]);
        case 'width':
          return { kind: 'output' };
        case 'exit':
          return { kind: 'exit' };
        case 'show-run':
          return options.showRunningConfig(session);
        default:
          return extra!.handle(id, args, session);
      }
    },
    invalidText: options.invalidText,
    ...(options.unprivileged ? { unprivileged: options.unprivileged } : {}),
  });
}
