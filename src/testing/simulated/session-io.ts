import type { Socket } from 'node:net';
import type { Connection, ServerChannel } from 'ssh2';
import { abortReason, linkedAbortController, onAbort } from '../../core/abort.js';
import { systemClock } from '../../core/clock.js';

/**
 * What a session writes to and waits on: an SSH channel ({@link ChannelIO}) or a telnet
 * connection. Internal.
 * @internal
 */
export interface SessionIO {
  /** Aborts when the channel, the connection or the device closes. */
  readonly signal: AbortSignal;
  /** Sends `data` (on stdout or stderr) and resolves once the transport took it. */
  write(data: string | Buffer, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** Waits `ms` on a real timer that is cleared when the channel closes. */
  sleep(ms: number): Promise<void>;
  /** Never resolves; rejects once the channel closes. */
  stall(): Promise<never>;
  /** Starts a key re-exchange where the transport has one. */
  rekey(): Promise<void>;
  /** Drops the TCP connection without any goodbye. */
  destroyConnection(): void;
  /** Closes the session without an exit status. */
  closeChannel(): void;
  /** Ends the session cleanly. */
  finish(exitStatus: number): void;
  /** Forgets the listeners this object added. */
  dispose(): void;
}

/**
 * One channel's output side, with every wait tied to one signal that aborts when the channel or
 * the connection closes, or the device shuts down. Writes resolve only once ssh2 handed the bytes
 * to the transport (i.e. the client's window had room), which is what bounds the simulator's memory
 * however much it sends. Internal.
 * @internal
 */
export class ChannelIO implements SessionIO {
  readonly #channel: ServerChannel;
  readonly #connection: Connection;
  readonly #socket: Socket | undefined;
  readonly #controller: AbortController;
  readonly #dispose: () => void;
  readonly #onClose = (): void => this.#controller.abort(new Error('the channel closed'));
  readonly #packetBytes: (() => number) | undefined;
  readonly #omitExitStatus: boolean;

  /**
   * `packetBytes` gives the size of each data packet to send (absent: as large as ssh2 makes
   * them); `omitExitStatus` ends channels without an exit status.
   */
  constructor(
    channel: ServerChannel,
    connection: Connection,
    socket: Socket | undefined,
    deviceSignal: AbortSignal,
    options: { packetBytes?: (() => number) | undefined; omitExitStatus?: boolean } = {},
  ) {
    this.#packetBytes = options.packetBytes;
    this.#omitExitStatus = options.omitExitStatus === true;
    this.#channel = channel;
    this.#connection = connection;
    this.#socket = socket;
    const { controller, dispose } = linkedAbortController(deviceSignal);
    this.#controller = controller;
    this.#dispose = dispose;
    channel.on('error', () => {});
    channel.stderr.on('error', () => {});
    channel.once('close', this.#onClose);
    connection.once('close', this.#onClose);
  }

  /** Aborts when the channel, the connection or the device closes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Sends `data` on stdout (or stderr) and resolves once the client's window took it. */
  write(data: string | Buffer, stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (data.length === 0) return Promise.resolve();
    const target = stream === 'stderr' ? this.#channel.stderr : this.#channel;
    return new Promise<void>((resolve, reject) => {
      // ssh2 never calls back for a write to a closed channel: the abort settles it instead.
      const detach = onAbort(signal, () => reject(abortReason(signal)));
      const done = (error?: Error | null): void => {
        detach();
        if (error) reject(error);
        else resolve();
      };
      const packetBytes = this.#packetBytes;
      if (packetBytes === undefined) {
        target.write(data, done);
        return;
      }
      // Each write is one CHANNEL_DATA packet, which the client reads as one chunk; ssh2 keeps
      // them in order and calls back for the last once the window took them all.
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length;) {
        const end = Math.min(bytes.length, at + packetBytes());
        target.write(bytes.subarray(at, end), end === bytes.length ? done : undefined);
        at = end;
      }
    });
  }

  /** Waits `ms` on a real timer that is cleared when the channel closes. */
  sleep(ms: number): Promise<void> {
    return systemClock.sleep(ms, this.signal);
  }

  /** Never resolves; rejects once the channel closes. A stalled device does exactly this. */
  stall(): Promise<never> {
    return new Promise<never>((_resolve, reject) => {
      onAbort(this.signal, () => reject(abortReason(this.signal)));
    });
  }

  /** Starts a key re-exchange with the client and resolves once it completed. */
  rekey(): Promise<void> {
    const signal = this.signal;
    return new Promise<void>((resolve, reject) => {
      const detach = onAbort(signal, () => reject(abortReason(signal)));
      this.#connection.rekey((error?: unknown) => {
        detach();
        if (error)
          reject(error instanceof Error ? error : new Error('re-key failed', { cause: error }));
        else resolve();
      });
    });
  }

  /** Drops the TCP connection without any SSH goodbye. */
  destroyConnection(): void {
    this.#socket?.destroy();
  }

  /** Closes the channel without an exit status. */
  closeChannel(): void {
    this.#channel.close();
  }

  /** Ends the channel cleanly: exit status (unless the device omits it), EOF, close. */
  finish(exitStatus: number): void {
    if (this.signal.aborted) return;
    if (!this.#omitExitStatus) this.#channel.exit(exitStatus);
    this.#channel.end();
  }

  /** Forgets the listeners this object added to the connection and the device. */
  dispose(): void {
    this.#connection.off('close', this.#onClose);
    this.#dispose();
  }
}
