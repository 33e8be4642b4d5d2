/**
 * Private servers for integration tests: redis-server, nats-server with JetStream and OpenSSH sshd,
 * each on a free loopback port in its own temp dir, never the machine's shared instances.
 *
 * A missing binary skips the suites that need it with a loud message, unless
 * CONFSNAP_REQUIRE_SERVICES=1, where it fails them instead.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  chmodSync,
  readFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

export type ServiceName = 'redis-server' | 'nats-server' | 'sshd';

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Absolute path of a binary on PATH (or in the sbin dirs), or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const servicesRequired = process.env.CONFSNAP_REQUIRE_SERVICES === '1';

/**
 * Whether the binaries of `services` exist. When one is missing: with CONFSNAP_REQUIRE_SERVICES=1
 * this throws (the test file fails); otherwise it prints a loud warning and returns false, so the
 * caller can `describe.skipIf(!available)`.
 */
export function servicesAvailable(...services: ServiceName[]): boolean {
  const missing = services.filter((name) => !findBinary(name));
  if (missing.length === 0) return true;
  const message = `integration services missing: ${missing.join(', ')} — install them (Debian: redis-server, nats-server, openssh-server)`;
  if (servicesRequired) throw new Error(`${message}; CONFSNAP_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(
    `\n${'!'.repeat(100)}\n!!! SKIPPING INTEGRATION TESTS: ${message}\n${'!'.repeat(100)}\n`,
  );
  return false;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Whether something accepts TCP connections on the port. Resolves only once its socket is closed,
 * so a probe leaves no handle behind.
 */
function probePort(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    let open = false;
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      open = true;
      socket.destroy();
    });
    socket.once('error', () => {});
    socket.once('close', () => resolve(open));
  });
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(
  port: number,
  timeoutMs = 15_000,
  host = '127.0.0.1',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probePort(port, host)) return;
    if (Date.now() > deadline) {
      throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves once nothing accepts TCP connections on the port any more. */
async function waitForPortClosed(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await probePort(port))) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still open after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A server process the test owns. `stop()` then `start()` restarts it on the same port and dir. */
export abstract class ManagedService {
  readonly dir: string;
  port = 0;
  #child: ChildProcess | undefined;
  #log: string[] = [];
  #lines: string[] = [];

  protected constructor(readonly name: ServiceName) {
    this.dir = mkdtempSync(join(tmpdir(), `confsnap-${name}-`));
  }

  protected abstract command(): { file: string; args: string[] };
  protected async ready(): Promise<void> {
    await waitForPort(this.port);
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Lines the server printed since it was made (up to 100 000) that match `pattern`. */
  countOutput(pattern: RegExp): number {
    return this.#lines.filter((line) => pattern.test(line)).length;
  }

  /** The last lines the server printed, for failure messages. */
  get log(): string {
    return this.#log.join('').slice(-4000);
  }

  async start(): Promise<this> {
    if (this.#child) return this;
    if (this.port === 0) this.port = await freePort();
    const { file, args } = this.command();
    const child = spawn(file, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const keep = (chunk: Buffer): void => {
      this.#log.push(chunk.toString());
      if (this.#lines.length < 100_000) this.#lines.push(...chunk.toString().split('\n'));
      if (this.#log.length > 200) this.#log.splice(0, 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`${this.name} exited with ${String(code)}:\n${this.log}`)),
      ),
    );
    exited.catch(() => {});
    child.once('exit', () => {
      if (this.#child === child) this.#child = undefined;
    });
    await Promise.race([this.ready(), exited]);
    return this;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
    await waitForPortClosed(this.port);
  }

  /** Stops the server and removes its temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A private redis-server that keeps nothing on disk; with `password`, it requires AUTH. */
export class RedisService extends ManagedService {
  constructor(readonly options: { password?: string } = {}) {
    super('redis-server');
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  protected command(): { file: string; args: string[] } {
    return {
      file: findBinary('redis-server')!,
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        ...(this.options.password === undefined ? [] : ['--requirepass', this.options.password]),
      ],
    };
  }
}

/** Credentials a {@link NatsService} requires of its clients: a user and password, or a token. */
export type NatsAuth =
  { readonly user: string; readonly pass: string } | { readonly token: string };

/**
 * A private nats-server with JetStream, its store in a temp dir (kept across restarts); with `auth`,
 * it accepts only clients that present those credentials.
 */
export class NatsService extends ManagedService {
  constructor(readonly options: { maxPayloadBytes?: number; auth?: NatsAuth } = {}) {
    super('nats-server');
  }
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }
  protected command(): { file: string; args: string[] } {
    const config = join(this.dir, 'nats.conf');
    const lines = [
      `listen: 127.0.0.1:${this.port}`,
      `jetstream { store_dir: "${join(this.dir, 'js')}" }`,
    ];
    if (this.options.maxPayloadBytes) lines.push(`max_payload: ${this.options.maxPayloadBytes}`);
    const auth = this.options.auth;
    if (auth && 'token' in auth)
      lines.push(`authorization { token: ${JSON.stringify(auth.token)} }`);
    else if (auth) {
      lines.push(
        `authorization { user: ${JSON.stringify(auth.user)}, password: ${JSON.stringify(auth.pass)} }`,
      );
    }
    writeFileSync(config, lines.join('\n') + '\n');
    return { file: findBinary('nats-server')!, args: ['-c', config] };
  }
  protected override async ready(): Promise<void> {
    await waitForPort(this.port);
    // JetStream answers shortly after the port opens; the healthz endpoint is not enabled, so ask it.
    const { connect } = await import('nats');
    const deadline = Date.now() + 15_000;
    const nc = await connect({ servers: this.url, reconnect: false, ...this.options.auth });
    try {
      for (;;) {
        try {
          const jsm = await nc.jetstreamManager({ timeout: 2_000 });
          await jsm.getAccountInfo();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      await nc.close();
    }
  }
}

/** A key pair made by ssh-keygen. */
export interface KeyFiles {
  privateKeyPath: string;
  publicKeyPath: string;
  privateKey: string;
  publicKey: string;
}

/** Makes a key pair with ssh-keygen (no passphrase unless given). */
export function sshKeygen(
  dir: string,
  name: string,
  type: 'ed25519' | 'rsa' | 'ecdsa',
  passphrase = '',
): KeyFiles {
  const privateKeyPath = join(dir, name);
  const args = [
    '-q',
    '-t',
    type,
    '-N',
    passphrase,
    '-f',
    privateKeyPath,
    '-C',
    `confsnap-test-${name}`,
  ];
  if (type === 'rsa') args.push('-b', '2048');
  execFileSync('ssh-keygen', args);
  return {
    privateKeyPath,
    publicKeyPath: `${privateKeyPath}.pub`,
    privateKey: readFileSync(privateKeyPath, 'utf8'),
    publicKey: readFileSync(`${privateKeyPath}.pub`, 'utf8'),
  };
}

/**
 * A private OpenSSH sshd: temp host keys (ed25519 and RSA), temp config, key auth for the current
 * user with a generated client key, and a ForceCommand script that emulates a device: it prints
 * the file `device-output` in its dir (write it with `setDeviceOutput`).
 */
export class SshdService extends ManagedService {
  readonly user = userInfo().username;
  hostKeys!: { ed25519: KeyFiles; rsa: KeyFiles };
  clientKey!: KeyFiles;
  readonly forceCommandPath: string;
  readonly deviceOutputPath: string;

  constructor(
    readonly options: {
      hostKeyTypes?: ('ed25519' | 'rsa')[];
      extraConfig?: string[];
      /** sshd's LogLevel. Default ERROR; INFO logs every login ("Accepted publickey for …"). */
      logLevel?: string;
    } = {},
  ) {
    super('sshd');
    this.forceCommandPath = join(this.dir, 'device.sh');
    this.deviceOutputPath = join(this.dir, 'device-output');
  }

  /** What the emulated device prints for any command. */
  setDeviceOutput(text: string): void {
    writeFileSync(this.deviceOutputPath, text);
  }

  protected command(): { file: string; args: string[] } {
    if (!this.clientKey) {
      this.hostKeys = {
        ed25519: sshKeygen(this.dir, 'ssh_host_ed25519_key', 'ed25519'),
        rsa: sshKeygen(this.dir, 'ssh_host_rsa_key', 'rsa'),
      };
      this.clientKey = sshKeygen(this.dir, 'client_key', 'ed25519');
      writeFileSync(join(this.dir, 'authorized_keys'), this.clientKey.publicKey);
      if (!existsSync(this.deviceOutputPath)) this.setDeviceOutput('');
      // The emulated device: prints the prepared output, whatever was asked (SSH_ORIGINAL_COMMAND).
      writeFileSync(
        this.forceCommandPath,
        `#!/bin/sh\nprintf '%s\\n' "$SSH_ORIGINAL_COMMAND" > ${JSON.stringify(join(this.dir, 'last-command'))}\nexec cat ${JSON.stringify(this.deviceOutputPath)}\n`,
      );
      chmodSync(this.forceCommandPath, 0o755);
    }
    // Privilege separation needs this dir when sshd runs as root.
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const types = this.options.hostKeyTypes ?? ['ed25519', 'rsa'];
    const config = [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      ...types.map((type) => `HostKey ${this.hostKeys[type].privateKeyPath}`),
      `PidFile ${join(this.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      `ForceCommand ${this.forceCommandPath}`,
      `LogLevel ${this.options.logLevel ?? 'ERROR'}`,
      ...(this.options.extraConfig ?? []),
    ];
    const configPath = join(this.dir, 'sshd_config');
    writeFileSync(configPath, config.join('\n') + '\n');
    return { file: findBinary('sshd')!, args: ['-D', '-e', '-f', configPath] };
  }

  /** The command the last session asked for. */
  lastCommand(): string {
    const path = join(this.dir, 'last-command');
    return existsSync(path) ? readFileSync(path, 'utf8').trimEnd() : '';
  }
}
