/**
 * A TELNET connection to a device as a shell stream: TCP connect, TELNET option negotiation
 * (telnetlib), and the login dialog, under one deadline (`connectTimeoutMs`), as an SSH
 * connection's connect, key exchange and login are.
 */
import { connect as connectTcp, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Credentials } from '../core/device.js';
import { BackupError } from '../core/errors.js';
import type { ConfigCollector } from '../collectors/types.js';
import type { Attempt } from '../ssh/attempt.js';
import type { ShellStream } from '../ssh/shell.js';
import {
  escapeTelnetData,
  loadTelnetLibrary,
  TELNET_OPTION,
  TELNET_RECEIVE_BUFFER_BYTES,
  TELNETLIB_MISSING,
  type TelnetSocketLike,
} from './library.js';
import { telnetLogin } from './login.js';

/** Where and as whom to log in over telnet. @internal */
export interface TelnetConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly credentials: Credentials;
  readonly collector: ConfigCollector;
  readonly connectTimeoutMs: number;
  /** A stream to speak TELNET over (a channel through a jump host) instead of a TCP connection. */
  readonly sock?: Duplex | undefined;
  /** What is left of `connectTimeoutMs` when hops took part of it. Default all of it. */
  readonly remainingMs?: number | undefined;
}

/** A logged-in telnet session. @internal */
export interface TelnetConnection {
  /** The shell after login, for `ShellSession.start`. */
  readonly stream: ShellStream;
  /** Ends the connection (after the collector's logout command, if any, was written). */
  close(): void;
}

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

/** The error of a TCP connection that failed before or during the login. */
function socketError(attempt: Attempt, error: Error & { code?: string }): BackupError {
  const { deviceId, target } = attempt;
  if (error.code === 'ECONNREFUSED') {
    return new BackupError({
      kind: 'connection-refused',
      deviceId,
      cause: error,
      message: `${deviceId}: ${target} refused the telnet connection; check that telnet is enabled on the device and the port is right (telnet's default is 23)`,
    });
  }
  const code =
    error.code !== undefined && UNREACHABLE_CODES.has(error.code) ? ` (${error.code})` : '';
  return new BackupError({
    kind: 'unreachable',
    deviceId,
    cause: error,
    message: `${deviceId}: the telnet connection to ${target} failed${code || ` (${error.message.slice(0, 120)})`}; check the address, routing and firewalls`,
  });
}

/**
 * Connects, negotiates TELNET options and logs in. No host key exists to check: telnet
 * authenticates neither side and sends the password in clear text, which is why confsnap uses it
 * only for a record that says `transport: 'telnet'`.
 * @internal
 */
export async function openTelnet(
  attempt: Attempt,
  options: TelnetConnectOptions,
): Promise<TelnetConnection> {
  const library = await attempt.race(
    loadTelnetLibrary().catch((error: unknown) => {
      throw new BackupError({
        kind: 'negotiation-failed',
        deviceId: attempt.deviceId,
        cause: error,
        // Not transient, though the scheduler retries it on backoff like any failure: say so.
        message: `${attempt.deviceId}: ${TELNETLIB_MISSING} (next to confsnap); until it can be loaded every attempt fails the same way`,
        details: { reason: 'telnetlib-missing' },
      });
    }),
  );
  const socket: Duplex =
    options.sock ?? connectTcp({ host: options.host, port: options.port, noDelay: true });
  const destroy = (): void => {
    socket.destroy();
  };
  let loggedIn = false;
  socket.on('error', (error: Error) => {
    attempt.connectionLost = true;
    if (loggedIn) attempt.fail(socketError(attempt, error));
  });
  socket.on('close', () => (attempt.connectionLost = true));
  // The device echoes what is typed and suppresses go-ahead, as every network CLI's telnet does:
  // accept both when it offers them, refuse every other option (telnetlib answers DONT/WONT).
  const telnet: TelnetSocketLike = new library.TelnetSocket(socket, {
    remoteOptions: [TELNET_OPTION.ECHO, TELNET_OPTION.SUPPRESS_GO_AHEAD],
    receiveBufferMax: TELNET_RECEIVE_BUFFER_BYTES,
  });
  // A prompt ends in no line end and no go-ahead: data must reach us as it arrives.
  telnet.reader.flushPolicy.endOfChunk = true;
  telnet.on('error', (error: Error) => {
    attempt.connectionLost = true;
    if (loggedIn) attempt.fail(socketError(attempt, error));
  });
  const stream: ShellStream = {
    onData: (listener) => telnet.on('data', listener),
    onClose: (listener) => socket.once('close', listener),
    // NVT line ends are CR LF (RFC 854).
    write: (text) => {
      if (!socket.destroyed)
        socket.write(escapeTelnetData(Buffer.from(text.replace(/\n/g, '\r\n'))));
    },
  };
  const deadlineAt = attempt.clock.now() + (options.remainingMs ?? options.connectTimeoutMs);
  const remainingMs = (): number => Math.max(1, deadlineAt - attempt.clock.now());
  const onTimeout = (): BackupError => connectTimeout(attempt, options.connectTimeoutMs);
  try {
    await connected(attempt, socket, remainingMs(), onTimeout);
    await telnetLogin(
      attempt,
      {
        subscribe: (listener) => {
          telnet.on('data', listener);
          return () => telnet.off('data', listener);
        },
        subscribeClose: (listener) => {
          socket.once('close', listener);
          return () => socket.off('close', listener);
        },
        write: (text) => stream.write(text),
      },
      {
        credentials: options.credentials,
        collector: options.collector,
        remainingMs: remainingMs(),
        onTimeout,
      },
    );
  } catch (error) {
    destroy();
    throw error;
  }
  loggedIn = true;
  return {
    stream,
    close: () => {
      // Let a logout line go out before the socket ends.
      if (!socket.destroyed) socket.end();
      setTimeout(destroy, 1_000).unref();
    },
  };
}

/** Waits for the TCP connection (a jump host's channel is connected already). */
async function connected(
  attempt: Attempt,
  socket: Duplex,
  remainingMs: number,
  onTimeout: () => BackupError,
): Promise<void> {
  if (!(socket instanceof Socket) || !socket.connecting) return;
  const tcp = socket;
  await attempt.wait<void>(remainingMs, onTimeout, (resolve, reject) => {
    const onError = (error: Error): void => reject(socketError(attempt, error));
    tcp.once('connect', resolve);
    tcp.once('error', onError);
    return () => {
      tcp.off('connect', resolve);
      tcp.off('error', onError);
    };
  });
}

/** The `connect-timeout` error of a telnet connection or login. @internal */
export function connectTimeout(attempt: Attempt, connectTimeoutMs: number): BackupError {
  return new BackupError({
    kind: 'connect-timeout',
    deviceId: attempt.deviceId,
    message: `${attempt.deviceId}: no telnet session with ${attempt.target} within connectTimeoutMs (${connectTimeoutMs} ms: TCP connect and login); check that the device is up and that its login prompt is Username:/login: and Password:`,
    details: { connectTimeoutMs },
  });
}
