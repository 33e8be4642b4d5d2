/**
 * A jump host played by an ssh2 server on a loopback port: password login, `direct-tcpip` channels
 * forwarded to loopback addresses only (never anything else), and counters of what it saw — for
 * the tests a real OpenSSH sshd cannot serve (a second hop, a dropped connection, an impostor that
 * records whether any credential reached it).
 */
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import { generateHostKey, type SimulatedHostKey } from '../../src/testing/simulated/index.js';

export interface Ssh2JumpHost {
  readonly host: string;
  readonly port: number;
  readonly hostKey: SimulatedHostKey;
  /** Authentication requests of any method except `none`: a credential was sent. */
  readonly credentialAttempts: number;
  /** Successful logins. */
  readonly logins: number;
  /** `direct-tcpip` channels opened. */
  readonly channels: number;
  /** TCP connections from clients open right now. */
  readonly openConnections: number;
  /** Destroys every client connection (the listener stays). */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startSsh2JumpHost(
  options: { username?: string; password?: string; hostKey?: SimulatedHostKey } = {},
): Promise<Ssh2JumpHost> {
  const username = options.username ?? 'jump';
  const password = options.password ?? 'jump-secret';
  const hostKey = options.hostKey ?? generateHostKey();
  let credentialAttempts = 0;
  let logins = 0;
  let channels = 0;
  const sockets = new Set<Socket>();
  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method === 'none') return ctx.reject(['password']);
      credentialAttempts++;
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) {
        logins++;
        return ctx.accept();
      }
      return ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('tcpip', (accept, reject, info) => {
        if (!/^127\.\d+\.\d+\.\d+$/.test(info.destIP)) return reject();
        const upstream = tcpConnect({ host: info.destIP, port: info.destPort });
        upstream.once('error', () => reject());
        upstream.once('connect', () => {
          channels++;
          const channel = accept();
          channel.pipe(upstream).pipe(channel);
          const end = (): void => {
            upstream.destroy();
            channel.destroy();
          };
          upstream.once('close', end);
          channel.once('close', end);
          upstream.off('error', reject);
          upstream.on('error', end);
        });
      });
    });
  });
  // A plain TCP listener hands each socket to the SSH server, so a test can cut it abruptly.
  const listener = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    server.injectSocket(socket);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    hostKey,
    get credentialAttempts() {
      return credentialAttempts;
    },
    get logins() {
      return logins;
    },
    get channels() {
      return channels;
    },
    get openConnections() {
      return sockets.size;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
