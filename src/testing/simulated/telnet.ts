/**
 * The telnet side of a simulated device: TELNET option negotiation from telnetlib (the device
 * offers to echo and to suppress go-ahead, as network CLIs do), the vendor's login dialog, then
 * the same shell as over SSH.
 */
import type { Socket } from 'node:net';
import { abortReason, linkedAbortController, onAbort } from '../../core/abort.js';
import { systemClock } from '../../core/clock.js';
import {
  escapeTelnetData,
  TELNET_OPTION,
  TELNET_RECEIVE_BUFFER_BYTES,
  type TelnetLibrary,
} from '../../telnet/library.js';
import type { SessionIO } from './session-io.js';
import { readLine, runShell, type SessionContext } from './sessions.js';
import { EndOfInput, TerminalInput } from './terminal.js';
import type { SimulatedTelnetLogin } from './types.js';

/** The login dialog of a vendor without its own: a Unix-style `login:`. */
export function unixTelnetLogin(hostname: string): SimulatedTelnetLogin {
  return {
    greeting: '\r\n',
    usernamePrompt: `${hostname} login: `,
    passwordPrompt: 'Password: ',
    failureText: '\r\nLogin incorrect\r\n',
    attempts: 3,
  };
}

/** A telnet connection's output side (see {@link SessionIO}). Internal. */
class TelnetIO implements SessionIO {
  readonly #socket: Socket;
  readonly #controller: AbortController;
  readonly #dispose: () => void;
  readonly #packetBytes: (() => number) | undefined;
  readonly #onClose = (): void => this.#controller.abort(new Error('the connection closed'));

  constructor(socket: Socket, deviceSignal: AbortSignal, packetBytes: (() => number) | undefined) {
    this.#socket = socket;
    this.#packetBytes = packetBytes;
    const { controller, dispose } = linkedAbortController(deviceSignal);
    this.#controller = controller;
    this.#dispose = dispose;
    socket.once('close', this.#onClose);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  write(data: string | Buffer): Promise<void> {
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (data.length === 0) return Promise.resolve();
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    return new Promise<void>((resolve, reject) => {
      const detach = onAbort(signal, () => reject(abortReason(signal)));
      const done = (error?: Error | null): void => {
        detach();
        if (error) reject(error);
        else resolve();
      };
      const packetBytes = this.#packetBytes;
      if (packetBytes === undefined) {
        this.#socket.write(escapeTelnetData(bytes), done);
        return;
      }
      // One write per packet: with Nagle off, each goes out as its own TCP segment.
      for (let at = 0; at < bytes.length;) {
        const end = Math.min(bytes.length, at + packetBytes());
        this.#socket.write(
          escapeTelnetData(bytes.subarray(at, end)),
          end === bytes.length ? done : undefined,
        );
        at = end;
      }
    });
  }

  sleep(ms: number): Promise<void> {
    return systemClock.sleep(ms, this.signal);
  }

  stall(): Promise<never> {
    return new Promise<never>((_resolve, reject) => {
      onAbort(this.signal, () => reject(abortReason(this.signal)));
    });
  }

  /** Telnet has no keys: nothing to re-exchange. */
  rekey(): Promise<void> {
    return Promise.resolve();
  }

  destroyConnection(): void {
    this.#socket.destroy();
  }

  closeChannel(): void {
    this.#socket.destroy();
  }

  finish(): void {
    if (!this.signal.aborted) this.#socket.end();
  }

  dispose(): void {
    this.#socket.off('close', this.#onClose);
    this.#dispose();
  }
}

/** What a telnet session needs from its device. Internal. */
export interface TelnetSessionOptions {
  readonly library: TelnetLibrary;
  readonly login: SimulatedTelnetLogin;
  /** Whether a username and password log in (counts the attempt). */
  readonly accept: (username: string, password: string) => boolean;
  readonly packetBytes: (() => number) | undefined;
  readonly deviceSignal: AbortSignal;
  readonly context: SessionContext;
}

/**
 * Serves one telnet connection: negotiation, login (the password not echoed), then the shell.
 * Never rejects.
 */
export async function serveTelnet(socket: Socket, options: TelnetSessionOptions): Promise<void> {
  const telnet = new options.library.TelnetSocket(socket, {
    localOptions: [TELNET_OPTION.ECHO, TELNET_OPTION.SUPPRESS_GO_AHEAD],
    receiveBufferMax: TELNET_RECEIVE_BUFFER_BYTES,
  });
  // Keystrokes (a space for the pager) must reach the CLI as they arrive.
  telnet.reader.flushPolicy.endOfChunk = true;
  telnet.on('error', () => {});
  const input = new TerminalInput();
  telnet.on('data', (data: Buffer) => input.push(data));
  socket.once('end', () => input.end());
  void telnet.negotiate().catch(() => {});
  const io = new TelnetIO(socket, options.deviceSignal, options.packetBytes);
  const { login } = options;
  try {
    await io.write(login.greeting);
    let loggedIn = false;
    for (let attempt = 1; attempt <= login.attempts && !loggedIn; attempt++) {
      await io.write(login.usernamePrompt);
      const username = await readLine(io, input);
      await io.write(login.passwordPrompt);
      const password = await readLine(io, input, 'none');
      loggedIn = options.accept(username, password);
      if (!loggedIn) await io.write(login.failureText);
    }
    if (!loggedIn) {
      io.finish();
      io.dispose();
      return;
    }
  } catch (error) {
    if (error instanceof EndOfInput) io.finish();
    else if (!io.signal.aborted) io.closeChannel();
    io.dispose();
    return;
  }
  // runShell disposes of `io` itself.
  await runShell(io, input, options.context);
}
