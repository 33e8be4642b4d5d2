/**
 * A thin promise layer over a plain ssh2 `Client`, so the simulated-device tests read as what they
 * check. Deliberately not confsnap's own SSH driver: these tests pin what the simulator does.
 */
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig, Client as SshClient } from 'ssh2';
import type { SimulatedDevice } from '../../src/testing/simulated/index.js';

const { Client } = ssh2;

/** A connected client plus every host key its verifier saw (one per key exchange). */
export interface Connected {
  readonly client: SshClient;
  readonly hostKeysSeen: Buffer[];
  end(): Promise<void>;
}

/** Connects and authenticates (default admin/admin); rejects with ssh2's error. */
export async function connect(
  device: Pick<SimulatedDevice, 'host' | 'port'>,
  config: Partial<ConnectConfig> = {},
): Promise<Connected> {
  const client = new Client();
  const hostKeysSeen: Buffer[] = [];
  // Errors after the first (a reset after a failed login) are of no interest to these tests.
  client.on('error', () => {});
  const ready = new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
  });
  // Keyboard-interactive: answer every prompt with the password.
  client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
    finish(prompts.map(() => config.password ?? 'admin')),
  );
  client.connect({
    host: device.host,
    port: device.port,
    username: 'admin',
    password: 'admin',
    readyTimeout: 5_000,
    hostVerifier: (key: Buffer) => {
      hostKeysSeen.push(key);
      return true;
    },
    ...config,
  });
  try {
    await ready;
  } catch (error) {
    client.destroy();
    throw error;
  }
  let closed = false;
  // Not events.once: it would reject on an 'error' (a reset) before 'close'.
  const whenClosed = new Promise<void>((resolve) =>
    client.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  return {
    client,
    hostKeysSeen,
    end: async () => {
      if (!closed) client.end();
      await whenClosed;
    },
  };
}

/** What an exec channel produced. */
export interface ExecResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  /** The exit status, or undefined when the channel closed without one. */
  readonly exitCode: number | undefined;
}

/** Runs one command on an exec channel and waits for the channel to close. */
export async function exec(client: SshClient, command: string): Promise<ExecResult> {
  const stdout: Buffer[] = [];
  let stderr = '';
  let exitCode: number | undefined;
  await new Promise<void>((resolve, reject) =>
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      // Listen before yielding: the whole answer may arrive in the packet of the exec reply.
      stream.on('data', (data: Buffer) => stdout.push(data));
      stream.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
      stream.on('exit', (code: number | null) => (exitCode = code ?? undefined));
      stream.once('close', () => resolve());
    }),
  );
  return { stdout: Buffer.concat(stdout), stderr, exitCode };
}

/** An interactive shell whose output is collected as it comes. */
export class Shell {
  readonly channel: ClientChannel;
  #output = '';
  #closed = false;
  #exitCode: number | undefined;
  #waiters = new Set<() => void>();

  constructor(channel: ClientChannel) {
    this.channel = channel;
    channel.on('data', (data: Buffer) => {
      this.#output += data.toString('latin1');
      this.#notify();
    });
    channel.on('exit', (code: number | null) => (this.#exitCode = code ?? undefined));
    channel.on('close', () => {
      this.#closed = true;
      this.#notify();
    });
  }

  /** Everything received so far. */
  get output(): string {
    return this.#output;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get exitCode(): number | undefined {
    return this.#exitCode;
  }

  /** Forgets what was received so far. */
  clear(): void {
    this.#output = '';
  }

  send(text: string): void {
    this.channel.write(text);
  }

  /** Waits until the output (since the last clear) ends with `tail`, or matches `pattern`. */
  async waitFor(expected: string | RegExp, timeoutMs = 3_000): Promise<string> {
    const done = (): boolean =>
      typeof expected === 'string' ? this.#output.endsWith(expected) : expected.test(this.#output);
    await this.#waitUntil(done, timeoutMs, `output matching ${String(expected)}`);
    return this.#output;
  }

  /** Waits until the channel closed. */
  async waitClosed(timeoutMs = 3_000): Promise<void> {
    await this.#waitUntil(() => this.#closed, timeoutMs, 'the channel to close');
  }

  async #waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; got ${JSON.stringify(this.#output.slice(-300))}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** Opens a shell on a pty (as ssh2 does by default). */
export async function openShell(
  client: SshClient,
  options: { pty?: boolean } = {},
): Promise<Shell> {
  return new Promise<Shell>((resolve, reject) => {
    // Wrap the stream at once: the banner may arrive in the same packet as the shell reply.
    const callback = (error: Error | undefined, stream: ClientChannel): void =>
      error ? reject(error) : resolve(new Shell(stream));
    if (options.pty === false) client.shell(false, callback);
    else client.shell({ term: 'vt100', cols: 80, rows: 24 }, callback);
  });
}
