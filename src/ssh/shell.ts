import type { Client, ClientChannel } from 'ssh2';
import type { Credentials } from '../core/device.js';
import { BackupError } from '../core/errors.js';
import {
  applyBackspaces,
  stripTerminalEscapes,
  stripWholeTerminalEscapes,
} from '../core/terminal-text.js';
import type { ConfigCollector, PrivilegeStep } from '../collectors/types.js';
import type { Attempt } from './attempt.js';
import { enableFailed, maskSecret } from './privilege.js';

// What devices send to erase a pager prompt: backspaces, carriage returns, cursor moves, and the
// spaces that blank it out (only between such controls, so indentation survives).
const PAGER_ERASE = /^(?:\x08+|\r(?!\n)|\x1b\[[0-9;]*[A-Za-z]| +(?=[\x08\r\x1b]))+/;
/** The username prompt of a login inside the shell: AireOS's `User:`, `Username:`, `login:`. */
const SHELL_USERNAME_PROMPT = /(?:user(?: ?name)?|login)\s*:$/i;
/** The password prompt of a login inside the shell. */
const SHELL_PASSWORD_PROMPT = /password\s*:$/i;
/** How much of the buffer's end is searched for a prompt or a pager. */
const TAIL_CHARS = 512;
/** How much of the buffer's start is searched for the command echo. */
const HEAD_CHARS = 4096;
const PROMPT_LEARNING_ROUNDS = 6;

/**
 * Where the pager's erase ends in `text` (what arrived after the pager was answered): the length
 * of its leading run of {@link PAGER_ERASE}, or `undefined` while more bytes could still extend
 * that run — the text ends inside blanks, on a `\r` that may be half of a `\r\n`, or inside an
 * escape sequence. Deciding only once the run cannot grow makes the result the same however the
 * device split its output into packets.
 * @internal
 */
export function eraseEnd(text: string): number | undefined {
  const end = PAGER_ERASE.exec(text)?.[0].length ?? 0;
  let next = end;
  while (next < text.length && text.charCodeAt(next) === 0x20) next++;
  if (next === text.length) return undefined;
  const rest = text.slice(next);
  // A `\r` at the very end may be a line end's first half; an ESC, the start of a cursor move.
  if (rest === '\r' || /^\x1b(?:\[[0-9;]*)?$/.test(rest)) return undefined;
  return end;
}

/**
 * The last line of `text` without its whole terminal escapes, carriage returns and trailing
 * blanks. @internal
 */
export function lastLine(text: string): string {
  const tail = text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
  const line = tail.slice(tail.lastIndexOf('\n') + 1);
  return stripWholeTerminalEscapes(line).replace(/\r/g, '').trimEnd();
}

/**
 * The two directions of an interactive shell, whatever carries them: an SSH channel (stdout and
 * stderr alike) or a telnet connection. The shell driver needs nothing else.
 * @internal
 */
export interface ShellStream {
  /** Listens to every byte the device sends. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Listens for the end of the stream (closed by either side, or lost). */
  onClose(listener: () => void): void;
  /** Sends what is typed; a line ends in `\n` (a transport may send it as its own line end). */
  write(text: string): void;
}

/** An SSH shell channel as a {@link ShellStream}. */
function sshShellStream(channel: ClientChannel): ShellStream {
  return {
    onData: (listener) => {
      channel.on('data', listener);
      channel.stderr.on('data', listener);
    },
    onClose: (listener) => channel.on('close', listener),
    write: (text) => channel.write(text),
  };
}

/**
 * Reads an interactive shell into latin1 text (one char per byte, so the bytes survive for decoding
 * later), answering the vendor's pager as it goes. The text is kept as chunks plus a short copy of
 * its start and end, so that waiting for a prompt costs the same on the last page of a 16 MiB
 * configuration as on the first.
 */
class ShellReader {
  #chunks: string[] = [];
  /** Length of the text since the last `take()`. */
  length = 0;
  /** The first HEAD_CHARS chars of the text (where the echo is). */
  head = '';
  /** The last TAIL_CHARS chars of the text (where prompts and pagers are). */
  tail = '';
  closed = false;
  /**
   * After a pager was answered: what arrived since, held back until it is certain where the
   * pager's erase ends (see {@link eraseEnd}). Undefined when no pager is pending.
   */
  #afterPager: string | undefined;
  #notify: (() => void) | undefined;

  constructor(
    private readonly attempt: Attempt,
    private readonly channel: ShellStream,
    private readonly collector: ConfigCollector,
  ) {
    channel.onData((chunk: Buffer): void => {
      if (!attempt.count(chunk.length)) return;
      const text = chunk.toString('latin1');
      attempt.transcript?.({ type: 'received', text });
      this.#append(text);
    });
    channel.onClose(() => {
      this.closed = true;
      this.#notify?.();
    });
  }

  /** Types `text`; `secret` keeps it out of a transcript's stored text. */
  write(text: string, secret = false): void {
    this.attempt.transcript?.(secret ? { type: 'sent', text, secret } : { type: 'sent', text });
    this.channel.write(text);
  }

  /** Returns the text and starts anew. */
  take(): string {
    const text = this.#chunks.join('');
    this.#chunks = [];
    this.length = 0;
    this.head = '';
    this.tail = '';
    return text;
  }

  /** Waits until `done()` holds, bounded by the command deadline. */
  until(done: () => boolean, what: string): Promise<void> {
    return this.attempt.wait<void>(
      this.attempt.commandTimeoutMs,
      () => this.attempt.commandTimeout(what),
      (resolve, reject) => {
        const check = (): void => {
          if (done()) resolve();
          else if (this.closed) {
            // Let the transport's close be seen before deciding what kind of end this was.
            setImmediate(() =>
              reject(
                new BackupError({
                  kind: 'truncated-output',
                  deviceId: this.attempt.deviceId,
                  message: `${this.attempt.deviceId}: the ${this.attempt.connectionLost ? 'connection dropped' : 'device closed the shell'} while waiting for ${what}; nothing was published`,
                }),
              ),
            );
          }
        };
        this.#notify = check;
        check();
        return () => {
          this.#notify = undefined;
        };
      },
    );
  }

  #append(chunk: string): void {
    let text = chunk;
    if (this.#afterPager !== undefined) {
      // The erase may come in any number of packets: strip it once all of it is there.
      const held = this.#afterPager + chunk;
      const end = eraseEnd(held);
      if (end === undefined) {
        this.#afterPager = held;
        return;
      }
      this.#afterPager = undefined;
      text = held.slice(end);
    }
    if (text.length > 0) {
      this.#chunks.push(text);
      this.length += text.length;
      if (this.head.length < HEAD_CHARS) this.head = (this.head + text).slice(0, HEAD_CHARS);
      this.tail = (this.tail + text).slice(-TAIL_CHARS);
    }
    const pager = this.collector.pagerPattern;
    if (pager) {
      const line = lastLine(this.tail);
      if (line !== '' && pager.test(line)) {
        // Cut the pager prompt out of the output and ask for the next page.
        this.#dropEnd(this.tail.length - (this.tail.lastIndexOf('\n') + 1));
        this.#afterPager = '';
        this.write(this.collector.pagerResponse);
      }
    }
    this.#notify?.();
  }

  /** Removes the last `count` chars of the text. */
  #dropEnd(count: number): void {
    let left = count;
    while (left > 0 && this.#chunks.length > 0) {
      const last = this.#chunks[this.#chunks.length - 1]!;
      if (last.length <= left) {
        this.#chunks.pop();
        left -= last.length;
      } else {
        this.#chunks[this.#chunks.length - 1] = last.slice(0, last.length - left);
        left = 0;
      }
    }
    this.length -= count - left;
    this.tail = this.tail.slice(0, Math.max(0, this.tail.length - count));
    if (this.head.length > this.length) this.head = this.head.slice(0, this.length);
  }
}

/**
 * Drives an interactive shell: learns the literal prompt, sends the setup commands, runs the
 * configuration commands and returns each one's output with the echo, pager prompts, backspaces and
 * final prompt removed. Only the tail of the buffer is searched for the prompt.
 * @internal
 */
export class ShellSession {
  #reader!: ShellReader;
  prompt = '';

  private constructor(
    private readonly attempt: Attempt,
    private readonly collector: ConfigCollector,
  ) {}

  /**
   * Opens an interactive shell on an SSH connection, answers the login inside it when the
   * collector says the device asks for one (`shellLogin`), and learns its prompt.
   */
  static async open(
    attempt: Attempt,
    client: Client,
    collector: ConfigCollector,
    credentials?: Credentials,
  ): Promise<ShellSession> {
    const channel = await attempt.wait<ClientChannel>(
      attempt.commandTimeoutMs,
      () => attempt.commandTimeout('opening an interactive shell'),
      (resolve, reject) => {
        client.shell({ term: 'vt100', cols: 512, rows: 24 }, (error, stream) => {
          if (error) {
            reject(
              new BackupError({
                kind: 'command-failed',
                deviceId: attempt.deviceId,
                cause: error,
                message: `${attempt.deviceId}: the device refused an interactive shell (${error.message})`,
              }),
            );
          } else resolve(stream);
        });
      },
    );
    const session = new ShellSession(attempt, collector);
    session.#reader = new ShellReader(attempt, sshShellStream(channel), collector);
    if (collector.shellLogin === true && credentials) await session.#shellLogin(credentials);
    await session.#learnPrompt();
    return session;
  }

  /**
   * Drives a shell that is already logged in (a telnet connection after its login dialog):
   * learns its prompt, then runs commands as over SSH.
   */
  static async start(
    attempt: Attempt,
    stream: ShellStream,
    collector: ConfigCollector,
  ): Promise<ShellSession> {
    const session = new ShellSession(attempt, collector);
    session.#reader = new ShellReader(attempt, stream, collector);
    await session.#learnPrompt();
    return session;
  }

  /**
   * Whether `line` is the prompt `prompt`: the same text, or — for a collector whose prompt
   * counts commands (`numberedPrompt`, EXOS `sw1.7 # `) — the same text with other numbers.
   */
  #samePrompt(prompt: string, line: string): boolean {
    if (line === prompt) return true;
    if (this.collector.numberedPrompt !== true || line === '') return false;
    const shape = prompt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
    return new RegExp(`^${shape}$`).test(line);
  }

  /**
   * The login some devices ask for inside the SSH shell (Cisco AireOS: `User:`, `Password:`):
   * answers each prompt once and returns when the CLI's prompt shows. A prompt asked again, a
   * refusal or a password the credentials lack is `auth-failed` (`details.stage: 'shell-login'`).
   * The password is typed only into a password prompt and never appears in an error or a log.
   */
  async #shellLogin(credentials: Credentials): Promise<void> {
    const { attempt, collector } = this;
    const reader = this.#reader;
    const refused = (what: string): BackupError =>
      new BackupError({
        kind: 'auth-failed',
        deviceId: attempt.deviceId,
        message: `${attempt.deviceId}: the device ${what} at its login inside the SSH shell; fix the username/password for this device — it is blocked until its credentials change`,
        details: { stage: 'shell-login' },
      });
    let sent: 'nothing' | 'username' | 'password' = 'nothing';
    for (;;) {
      let line = '';
      await reader.until(() => {
        line = lastLine(reader.tail);
        return (
          line !== '' &&
          (SHELL_USERNAME_PROMPT.test(line) ||
            SHELL_PASSWORD_PROMPT.test(line) ||
            (sent !== 'nothing' && collector.promptPattern.test(line)))
        );
      }, 'the login prompt inside the shell');
      reader.take();
      if (SHELL_PASSWORD_PROMPT.test(line)) {
        if (sent === 'password') throw refused('asked for the password again');
        if (credentials.password === undefined)
          throw refused('asks for a password the credentials lack');
        reader.write(`${credentials.password}\n`);
        sent = 'password';
      } else if (SHELL_USERNAME_PROMPT.test(line)) {
        if (sent !== 'nothing') throw refused('asked for the username again');
        reader.write(`${credentials.username}\n`);
        sent = 'username';
      } else {
        attempt.logger.debug({ deviceId: attempt.deviceId }, 'logged in inside the shell');
        return;
      }
    }
  }

  /**
   * Sends a newline and takes the last line as the prompt; a second newline must show the same
   * line, so a banner line that happens to end in `#` or `>` is never taken for the prompt.
   */
  async #learnPrompt(): Promise<void> {
    const reader = this.#reader;
    const pattern = this.collector.promptPattern;
    let candidate: string | undefined;
    for (let round = 0; round < PROMPT_LEARNING_ROUNDS; round++) {
      reader.take();
      reader.write('\n');
      await reader.until(() => {
        if (!reader.tail.includes('\n')) return false;
        const line = lastLine(reader.tail);
        return line !== '' && pattern.test(line);
      }, 'the device prompt');
      const line = lastLine(reader.tail);
      if (candidate !== undefined && this.#samePrompt(candidate, line)) {
        this.prompt = line;
        reader.take();
        this.attempt.logger.debug(
          { deviceId: this.attempt.deviceId, prompt: line },
          'learned prompt',
        );
        return;
      }
      candidate = line;
    }
    throw new BackupError({
      kind: 'command-timeout',
      deviceId: this.attempt.deviceId,
      message: `${this.attempt.deviceId}: the device prompt never settled after ${PROMPT_LEARNING_ROUNDS} newlines; check the collector's promptPattern`,
    });
  }

  /**
   * The collector's privilege step (SPEC §8): when the learned prompt is not privileged, sends
   * the step's command, answers its password prompt with `enableSecret` and learns the new
   * prompt. An account that lands privileged sends nothing. A missing secret, a second password
   * prompt (wrong secret) or a device that stays unprivileged is `auth-failed` with
   * `details.stage = "enable"`. The secret is never logged, and masked in anything the device
   * echoed before it reaches an error.
   */
  async enterPrivilege(step: PrivilegeStep, enableSecret: string | undefined): Promise<void> {
    const { attempt, collector } = this;
    const reader = this.#reader;
    const log = { deviceId: attempt.deviceId, prompt: this.prompt };
    if (step.privilegedPrompt.test(this.prompt)) {
      attempt.logger.debug(log, 'already privileged; no enable step');
      return;
    }
    if (enableSecret === undefined) {
      throw enableFailed(
        attempt.deviceId,
        'no-secret',
        `the account lands at the unprivileged prompt "${this.prompt}", and reading the ${collector.displayName} configuration needs privileged mode ("${step.command}"): set credentials.enableSecret ('' when the device's ${step.command} asks for no password), or give the account privileged access at login`,
      );
    }
    const isPrompt = (line: string): boolean =>
      step.passwordPrompt.test(line) || collector.promptPattern.test(line);
    reader.take();
    reader.write(`${step.command}\n`);
    let echoEnd = -1;
    await reader.until(() => {
      if (echoEnd < 0) {
        const at = reader.head.indexOf(step.command);
        if (at < 0) return false;
        const newline = reader.head.indexOf('\n', at + step.command.length);
        if (newline < 0) return false;
        echoEnd = newline + 1;
      }
      const lineStart = reader.length - (reader.tail.length - (reader.tail.lastIndexOf('\n') + 1));
      const line = lastLine(reader.tail);
      return lineStart >= echoEnd && line !== '' && isPrompt(line);
    }, `the answer to "${step.command}"`);
    let answer = reader.take();
    if (step.passwordPrompt.test(lastLine(answer))) {
      attempt.logger.debug(log, 'answering the enable password prompt');
      reader.write(`${enableSecret}\n`, true);
      await reader.until(() => {
        if (!reader.tail.includes('\n')) return false;
        const line = lastLine(reader.tail);
        return line !== '' && isPrompt(line);
      }, `the answer to the enable secret`);
      answer = maskSecret(reader.take(), enableSecret);
      if (step.passwordPrompt.test(lastLine(answer))) {
        throw enableFailed(
          attempt.deviceId,
          'wrong-secret',
          `the device asked for the enable secret again after "${step.command}": credentials.enableSecret is wrong; fix it (the device is not tried again until the credentials change)`,
          deviceWords(step, answer),
        );
      }
    }
    const prompt = lastLine(answer);
    if (!step.privilegedPrompt.test(prompt)) {
      throw enableFailed(
        attempt.deviceId,
        'refused',
        `the device refused privileged mode ("${step.command}") and stayed at "${prompt}": check credentials.enableSecret and the account's enable rights on the device`,
        deviceWords(step, answer),
      );
    }
    this.prompt = prompt;
    attempt.logger.debug({ deviceId: attempt.deviceId, prompt }, 'privileged mode reached');
  }

  /** Runs one command and returns its output (latin1 text) without echo and prompt. */
  async run(command: string): Promise<string> {
    const reader = this.#reader;
    reader.take();
    reader.write(`${command}\n`);
    const prompt = this.prompt;
    let echoEnd = -1;
    await reader.until(() => {
      if (echoEnd < 0) {
        // Stale prompts from earlier newlines may still arrive: the command's own echo comes first.
        const at = reader.head.indexOf(command);
        if (at < 0) return false;
        const newline = reader.head.indexOf('\n', at + command.length);
        if (newline < 0) return false;
        echoEnd = newline + 1;
      }
      // The prompt must stand on a line of its own after the echo.
      const promptLineStart =
        reader.length - (reader.tail.length - (reader.tail.lastIndexOf('\n') + 1));
      return promptLineStart >= echoEnd && this.#samePrompt(prompt, lastLine(reader.tail));
    }, `the command "${command}"`);
    const text = reader.take();
    const promptStart = text.lastIndexOf('\n') + 1;
    // The output stays bytes (Latin-1) until it is decoded: a backspace erases a whole character.
    return applyBackspaces(text.slice(echoEnd, Math.max(echoEnd, promptStart)), {
      latin1Bytes: true,
    });
  }

  /** Leaves politely; the caller closes the connection. */
  logout(): void {
    const exit = this.collector.exitCommand;
    if (exit !== undefined && !this.#reader.closed) this.#reader.write(`${exit}\n`);
  }
}

/**
 * The line of the device's refusal (from already masked text), cut short, when a failure pattern
 * finds one.
 */
function deviceWords(step: PrivilegeStep, text: string): string | undefined {
  for (const pattern of step.failurePatterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const start = text.lastIndexOf('\n', match.index) + 1;
    const end = text.indexOf('\n', match.index + match[0].length);
    const line = text.slice(start, end < 0 ? text.length : end);
    return stripTerminalEscapes(line).replace(/\s+/g, ' ').trim().slice(0, 160);
  }
  return undefined;
}
