import {
  BINARY_OUTPUT,
  configOutputOptions,
  truncateConfig,
  writeEndless,
  writeOutput,
  type OutputEnd,
  type OutputOptions,
} from './output.js';
import type { SessionIO } from './session-io.js';
import { EndOfInput, type TerminalInput } from './terminal.js';
import { withFinalNewline } from './vendors/kit.js';
import type {
  SimulatedFaults,
  SimulatedPersonality,
  SimulatedPrivilegeMode,
  SimulatedReply,
  SimulatedSession,
  SimulatedTelnetLogin,
} from './types.js';

/** What a session needs from its device. Internal. */
export interface SessionContext {
  readonly personality: SimulatedPersonality;
  readonly session: SimulatedSession;
  readonly faults: SimulatedFaults;
  /** Shell mode: the banner printed after login. */
  readonly banner: string;
  /** Records a command line in the device's `commands`. */
  readonly recordCommand: (command: string) => void;
  /** The secret `enable` accepts, when the device has a `privilege` setting. */
  readonly enableSecret?: string | undefined;
}

/** Longest shell line kept; further characters are ignored (and not echoed), as on a real CLI. */
const MAX_LINE_CHARS = 4096;

/** The device's answer to one command line, with the `commandError` fault applied. */
function answer(command: string, context: SessionContext): SimulatedReply {
  const { personality, session, faults } = context;
  const reply =
    personality.respond(command, session) ?? personality.invalidCommand(command, session);
  return reply.kind === 'config' && faults.commandError
    ? personality.invalidCommand(command, session)
    : reply;
}

/** The bytes of a configuration answer after `binaryOutput` / `partialConfig`. */
function configText(reply: SimulatedReply, faults: SimulatedFaults): string | Buffer {
  if (faults.binaryOutput) return BINARY_OUTPUT;
  return faults.partialConfig ? truncateConfig(reply.text ?? '') : (reply.text ?? '');
}

function withNewlines(text: string | Buffer, newline: string): Buffer {
  if (Buffer.isBuffer(text)) return text;
  const normalized = text.replace(/\r\n/g, '\n');
  return Buffer.from(newline === '\n' ? normalized : normalized.replace(/\n/g, newline));
}

/**
 * Sends a reply's stdout; for the configuration, with the output faults. `paging` is for shells.
 * Resolves how the output ended.
 */
async function sendStdout(
  io: SessionIO,
  reply: SimulatedReply,
  context: SessionContext,
  newline: string,
  paging: OutputOptions['paging'],
): Promise<OutputEnd> {
  const { faults } = context;
  if (reply.kind !== 'config')
    return writeOutput(io, withNewlines(reply.text ?? '', newline), { paging });
  if (faults.outputDelayMs !== undefined && faults.outputDelayMs > 0)
    await io.sleep(faults.outputDelayMs);
  const content = withNewlines(configText(reply, faults), newline);
  if (faults.endlessOutput) return writeEndless(io, content, newline);
  return writeOutput(io, content, { ...configOutputOptions(faults), paging });
}

/**
 * Runs one exec channel: the command's answer on stdout and stderr, then the exit status, EOF and
 * close. Never rejects.
 */
export async function runExec(
  io: SessionIO,
  command: string,
  context: SessionContext,
): Promise<void> {
  const newline = context.personality.newline ?? '\n';
  try {
    context.recordCommand(command);
    const reply = answer(command.trim(), context);
    if (reply.kind !== 'exit') {
      if ((await sendStdout(io, reply, context, newline, undefined)) === 'gone') return;
      await io.write(withNewlines(reply.stderr ?? '', newline), 'stderr');
    }
    io.finish(reply.exitStatus ?? 0);
  } catch {
    // Closed channel, connection or device: nothing left to do. Anything else (a personality that
    // threw): end the channel rather than leave the client waiting.
    if (!io.signal.aborted) io.closeChannel();
  } finally {
    io.dispose();
  }
}

/**
 * Reads one line like a terminal: echoes what is typed (or, for a secret, nothing or one `*` per
 * character), handles backspace and Ctrl-C, ends at Enter (echoed as `\r\n`). Escape sequences
 * (arrow keys) are ignored.
 */
export async function readLine(
  io: SessionIO,
  input: TerminalInput,
  echoMode: 'text' | 'none' | 'asterisks' = 'text',
): Promise<string> {
  const shown = (ch: string): string =>
    echoMode === 'text' ? ch : echoMode === 'asterisks' ? '*' : '';
  let line = '';
  for (;;) {
    const typed = (await input.take(io.signal)).replace(/\x1b(\[[0-9;]*[@-~]|O.)?/g, '');
    let echo = '';
    for (let i = 0; i < typed.length; i++) {
      const ch = typed[i]!;
      if (ch === '\r' || ch === '\x03') {
        input.unread(typed.slice(i + 1));
        await io.write(`${echo}${ch === '\x03' ? '^C' : ''}\r\n`);
        return ch === '\r' ? line : '';
      }
      if (ch === '\x7f' || ch === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          if (echoMode !== 'none') echo += '\b \b';
        }
      } else if (ch >= ' ' && line.length < MAX_LINE_CHARS) {
        line += ch;
        echo += shown(ch);
      }
    }
    await io.write(echo);
  }
}

/**
 * The `enable` dialog: no password asked for an empty secret; otherwise up to `attempts` password
 * prompts, the typed secret echoed as the vendor does. Resolves whether privileged mode was
 * reached. The typed secrets are not recorded as commands.
 */
async function enable(
  io: SessionIO,
  input: TerminalInput,
  privilege: SimulatedPrivilegeMode,
  secret: string,
): Promise<boolean> {
  if (secret === '') return true;
  for (let attempt = 1; attempt <= privilege.attempts; attempt++) {
    await io.write(privilege.passwordPrompt);
    const typed = await readLine(io, input, privilege.secretEcho);
    if (typed === secret) return true;
    const text = attempt < privilege.attempts ? privilege.wrongSecretText : privilege.deniedText;
    if (text !== '') await io.write(withNewlines(text, '\r\n'));
  }
  return false;
}

/**
 * Runs an interactive shell: banner, then prompt, echo, command, answer (paged while paging is
 * on) until `exit`, EOF from the client, or the channel closes. Never rejects.
 */
export async function runShell(
  io: SessionIO,
  input: TerminalInput,
  context: SessionContext,
): Promise<void> {
  const { personality, session, faults } = context;
  // Read for every prompt: a personality's prompt may count commands (EXOS `sw1.5 # `).
  const privilegedPrompt = (): string => personality.prompt ?? '> ';
  const userPrompt = (): string => personality.privilege?.userPrompt ?? privilegedPrompt();
  const pager = personality.pager;
  try {
    if (context.banner !== '') await io.write(withNewlines(`\n${context.banner}\n\n`, '\r\n'));
    if (faults.promptNeverShown) await io.stall();
    for (;;) {
      await io.write(session.privileged ? privilegedPrompt() : userPrompt());
      const command = (await readLine(io, input)).trim();
      if (command === '') continue;
      context.recordCommand(command);
      const privilege = personality.privilege;
      if (privilege?.isEnable(command)) {
        // Already privileged: the CLI just shows the prompt again.
        if (!session.privileged) {
          session.privileged = await enable(io, input, privilege, context.enableSecret ?? '');
        }
        continue;
      }
      const reply = answer(command, context);
      if (reply.kind === 'exit') break;
      const paging =
        pager && session.paging && reply.paged !== false
          ? { pager, pageLines: session.pageLines, key: () => input.key(io.signal) }
          : undefined;
      const end = await sendStdout(
        io,
        { ...reply, text: withFinalNewline(reply.text ?? '') },
        context,
        '\r\n',
        paging,
      );
      if (end === 'gone') return;
      if (reply.kind === 'config' && faults.binaryOutput) await io.write('\r\n');
      if (reply.kind === 'config' && faults.partialConfig) break;
    }
    io.finish(0);
  } catch (error) {
    if (error instanceof EndOfInput) io.finish(0);
    else if (!io.signal.aborted) io.closeChannel();
  } finally {
    io.dispose();
  }
}

/**
 * A login dialog inside an SSH shell (Cisco AireOS), then the shell: up to `login.attempts`
 * username and password prompts (the password not echoed), `login.failureText` after each
 * refusal, and the shell once `accept` takes a pair. Never rejects.
 */
export async function runShellAfterLogin(
  io: SessionIO,
  input: TerminalInput,
  context: SessionContext,
  login: SimulatedTelnetLogin,
  accept: (username: string, password: string) => boolean,
): Promise<void> {
  try {
    await io.write(login.greeting);
    for (let attempt = 1; attempt <= login.attempts; attempt++) {
      await io.write(login.usernamePrompt);
      const username = await readLine(io, input);
      await io.write(login.passwordPrompt);
      const password = await readLine(io, input, 'none');
      if (accept(username, password)) return await runShell(io, input, context);
      await io.write(login.failureText);
    }
    io.finish(0);
  } catch (error) {
    if (error instanceof EndOfInput) io.finish(0);
    else if (!io.signal.aborted) io.closeChannel();
  }
  io.dispose();
}
