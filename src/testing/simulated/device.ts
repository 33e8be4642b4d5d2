import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type {
  Algorithms,
  AuthContext,
  Connection,
  ParsedKey,
  ServerHostKeyAlgorithm,
  Session,
} from 'ssh2';
import { stallMidHandshake } from './handshake-stall.js';
import { parseAnyKey, resolveHostKey, type SimulatedHostKey } from './host-key.js';
import { ChannelIO } from './session-io.js';
import { runExec, runShell, runShellAfterLogin, type SessionContext } from './sessions.js';
import { TerminalInput } from './terminal.js';
import type {
  SimulatedAlgorithms,
  SimulatedCredentials,
  SimulatedDevice,
  SimulatedDeviceOptions,
  SimulatedFaults,
  SimulatedKeyboardPrompt,
  SimulatedPersonality,
  SimulatedSession,
} from './types.js';
import { DEFAULT_BANNER } from './vendors/kit.js';
import { loadTelnetLibrary, type TelnetLibrary } from '../../telnet/library.js';
import { serveTelnet, unixTelnetLogin } from './telnet.js';
import { SIMULATED_LINUX_CONFIG_PATH, simulatedPersonality } from './vendors/index.js';

const { Server: SshServer } = ssh2;

const DEFAULT_CREDENTIALS: SimulatedCredentials = Object.freeze({
  username: 'admin',
  password: 'admin',
});

/** Commands kept in `commands`: enough for any test, bounded for long fleet runs. */
const MAX_RECORDED_COMMANDS = 1000;

type AuthMethod = 'password' | 'publickey' | 'keyboard-interactive';

/**
 * Starts a simulated network device: a real SSH server (ssh2) on a loopback port that logs in,
 * answers the vendor's configuration commands the way the vendor does — exec channel or
 * interactive shell with prompt, echo and pager — and misbehaves on request (`faults`).
 *
 * Every timer and socket belongs to the device: `close()` (or `await using`) destroys all
 * connections and resolves once nothing is left.
 *
 * @throws {RangeError} for a bad option (unknown vendor, non-loopback host, host-key algorithms the
 *   key cannot offer); `TypeError` for a key ssh2 cannot read.
 * @example
 * ```ts
 * import { Client } from 'ssh2';
 * import { startSimulatedDevice } from 'confsnap/testing';
 *
 * await using device = await startSimulatedDevice({
 *   vendor: 'routeros',
 *   version: '6.48.6',
 *   config: '/system identity\nset name=core-rtr-01\n',
 *   faults: { slowDrip: { bytes: 8, intervalMs: 5 } },
 * });
 * const client = new Client();
 * client.connect({ host: device.host, port: device.port, username: 'admin', password: 'admin' });
 * // … `/export` prints "# jan/02/1970 00:22:56 by RouterOS 6.48.6" and the config, 8 bytes at a time
 * device.hostKeyFingerprint; // 'SHA256:…', as `ssh-keygen -l` prints it
 * ```
 */
export async function startSimulatedDevice(
  options: SimulatedDeviceOptions,
): Promise<SimulatedDevice> {
  const device = new SimulatedSshDevice(options);
  await device.listen();
  return device;
}

function loopbackHost(host: string | undefined): string {
  if (host === undefined) return '127.0.0.1';
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!octets || octets.slice(1).some((octet) => Number(octet) > 255)) {
    throw new RangeError(`host must be a loopback address 127.x.y.z, got ${JSON.stringify(host)}`);
  }
  return host;
}

function checkFaults(faults: SimulatedFaults): void {
  const delay = faults.outputDelayMs;
  if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0)) {
    throw new RangeError(`faults.outputDelayMs must be a finite number >= 0, got ${String(delay)}`);
  }
  if (typeof faults.slowDrip === 'object') {
    const { bytes, intervalMs } = faults.slowDrip;
    if (bytes !== undefined && !(Number.isInteger(bytes) && bytes >= 1)) {
      throw new RangeError(`faults.slowDrip.bytes must be an integer >= 1, got ${String(bytes)}`);
    }
    if (intervalMs !== undefined && !(Number.isFinite(intervalMs) && intervalMs >= 0)) {
      throw new RangeError(`faults.slowDrip.intervalMs must be >= 0, got ${String(intervalMs)}`);
    }
  }
  checkPacketize(faults.packetize);
}

/** The `transport` option, checked against what the personality can do. */
function checkTransport(
  transport: SimulatedDeviceOptions['transport'],
  personality: SimulatedPersonality,
): 'ssh' | 'telnet' {
  if (transport === undefined || transport === 'ssh') return 'ssh';
  if (transport !== 'telnet') {
    throw new RangeError(`transport must be "ssh" or "telnet", got ${JSON.stringify(transport)}`);
  }
  if (personality.mode !== 'shell') {
    throw new RangeError(
      `transport: the ${personality.vendor} personality runs exec channels, which telnet does not have; only shell vendors answer telnet`,
    );
  }
  return 'telnet';
}

/** The `privilege` setting's secret, checked against what the personality can do. */
function checkPrivilege(
  privilege: SimulatedDeviceOptions['privilege'],
  personality: SimulatedPersonality,
): string | undefined {
  if (privilege === undefined) return undefined;
  if (personality.privilege === undefined) {
    throw new RangeError(
      `privilege: the ${personality.vendor} personality has no unprivileged level (built-in ones that do: cisco-ios, cisco-asa, arista-eos)`,
    );
  }
  if (
    typeof privilege !== 'object' ||
    privilege === null ||
    typeof privilege.enableSecret !== 'string'
  ) {
    throw new TypeError(
      "privilege.enableSecret must be a string ('' for an enable that asks for no password)",
    );
  }
  return privilege.enableSecret;
}

/** Default packet sizes of the `packetize` fault, in bytes. */
const PACKET_BYTES = Object.freeze({ min: 1, max: 13 });

/**
 * The sizes of the `packetize` fault's packets: uniform in [minBytes, maxBytes], from a small
 * seeded generator (mulberry32), so that a seed replays the same split.
 */
function packetSizes(packetize: SimulatedFaults['packetize']): (() => number) | undefined {
  if (!packetize) return undefined;
  const settings = typeof packetize === 'object' ? packetize : {};
  const min = settings.minBytes ?? PACKET_BYTES.min;
  const max = settings.maxBytes ?? Math.max(min, PACKET_BYTES.max);
  let state = (settings.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    return min + Math.floor(unit * (max - min + 1));
  };
}

function checkPacketize(packetize: SimulatedFaults['packetize']): void {
  if (typeof packetize !== 'object') return;
  const { minBytes, maxBytes, seed } = packetize;
  if (minBytes !== undefined && !(Number.isInteger(minBytes) && minBytes >= 1)) {
    throw new RangeError(
      `faults.packetize.minBytes must be an integer >= 1, got ${String(minBytes)}`,
    );
  }
  const min = minBytes ?? PACKET_BYTES.min;
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= min)) {
    throw new RangeError(
      `faults.packetize.maxBytes must be an integer >= minBytes (${min}), got ${String(maxBytes)}`,
    );
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new RangeError(`faults.packetize.seed must be an integer, got ${String(seed)}`);
  }
}

/** The host-key algorithms offered for a key, optionally narrowed to `wanted`. */
function hostKeyAlgorithmsFor(
  hostKey: SimulatedHostKey,
  wanted: readonly string[] | undefined,
): string[] {
  const supported =
    hostKey.type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [hostKey.type];
  if (wanted === undefined) return supported;
  const offered = wanted.filter((algorithm) => supported.includes(algorithm));
  // ssh2 narrows only RSA's algorithms; any other key type is always offered under its one name.
  if (offered.length === 0 || (hostKey.type !== 'ssh-rsa' && offered.length !== wanted.length)) {
    throw new RangeError(
      `hostKeyAlgorithms ${JSON.stringify(wanted)} do not fit a ${hostKey.type} host key (it offers ${supported.join(', ')})`,
    );
  }
  return offered;
}

/** The keyboard-interactive round a device sends: its own prompts, or `Password: `. */
function keyboardPrompts(credentials: SimulatedCredentials): readonly SimulatedKeyboardPrompt[] {
  const prompts = credentials.keyboardInteractive;
  if (prompts === undefined) {
    const { password } = credentials;
    return password === undefined ? [] : [{ prompt: 'Password: ', echo: false, answer: password }];
  }
  const list: readonly unknown[] | undefined = Array.isArray(prompts) ? prompts : undefined;
  if (list === undefined || list.length === 0) {
    throw new TypeError('credentials.keyboardInteractive must be a non-empty array of prompts');
  }
  return Object.freeze(
    list.map((value, index): SimulatedKeyboardPrompt => {
      const entry = value as Partial<SimulatedKeyboardPrompt> | null;
      if (
        typeof entry?.prompt !== 'string' ||
        typeof entry.echo !== 'boolean' ||
        typeof entry.answer !== 'string'
      ) {
        throw new TypeError(
          `credentials.keyboardInteractive[${index}] must be { prompt: string, echo: boolean, answer: string }`,
        );
      }
      return { prompt: entry.prompt, echo: entry.echo, answer: entry.answer };
    }),
  );
}

function parseAuthorizedKeys(keys: readonly (string | Buffer)[]): ParsedKey[] {
  return keys.map((key, index) => {
    const parsed = parseAnyKey(key);
    if (!parsed)
      throw new TypeError(`credentials.authorizedKeys[${index}] is not a key ssh2 can read`);
    return parsed;
  });
}

class SimulatedSshDevice implements SimulatedDevice {
  readonly vendor: string;
  readonly transport: 'ssh' | 'telnet';
  #telnetLibrary: TelnetLibrary | undefined;
  readonly host: string;
  readonly hostKey: SimulatedHostKey;
  readonly #personality: SimulatedPersonality;
  readonly #faults: SimulatedFaults;
  readonly #credentials: SimulatedCredentials;
  readonly #authorizedKeys: ParsedKey[];
  readonly #authMethods: AuthMethod[];
  readonly #keyboardPrompts: readonly SimulatedKeyboardPrompt[];
  readonly #hostKeyAlgorithms: string[];
  readonly #algorithms: SimulatedAlgorithms | undefined;
  readonly #banner: string;
  readonly #hostname: string;
  readonly #version: string;
  readonly #extraFiles: Readonly<Record<string, string>>;
  readonly #enableSecret: string | undefined;
  readonly #lifetime = new AbortController();
  readonly #sockets = new Map<Socket, Promise<void>>();
  readonly #socketsByPort = new Map<number, Socket>();
  readonly #running = new Set<Promise<void>>();
  readonly #commands: string[] = [];
  readonly #channelOptions: ConstructorParameters<typeof ChannelIO>[4];
  #netServer: NetServer | undefined;
  #ssh: InstanceType<typeof SshServer> | undefined;
  #port = 0;
  #config: string;
  #configChangedAt = new Date();
  #lastVolatileTime = 0;
  #authAttempts = 0;
  #sessions = 0;
  #closing: Promise<void> | undefined;

  constructor(options: SimulatedDeviceOptions) {
    if (typeof options.config !== 'string') throw new TypeError('config must be a string');
    this.host = loopbackHost(options.host);
    this.#faults = { ...options.faults };
    checkFaults(this.#faults);
    this.#channelOptions = {
      packetBytes: packetSizes(this.#faults.packetize),
      omitExitStatus: this.#faults.omitExitStatus === true,
    };
    this.#personality =
      typeof options.vendor === 'string'
        ? simulatedPersonality(options.vendor, {
            hostname: options.hostname,
            version: options.version,
          })
        : options.vendor;
    if (this.#personality.mode !== 'exec' && this.#personality.mode !== 'shell') {
      throw new RangeError(
        `personality mode must be exec or shell, got ${String(this.#personality.mode)}`,
      );
    }
    this.vendor = this.#personality.vendor;
    this.transport = checkTransport(options.transport, this.#personality);
    this.hostKey = resolveHostKey(options.hostKey);
    this.#hostKeyAlgorithms = hostKeyAlgorithmsFor(this.hostKey, options.hostKeyAlgorithms);
    this.#algorithms = options.algorithms;
    this.#credentials = options.credentials ?? DEFAULT_CREDENTIALS;
    this.#authorizedKeys = parseAuthorizedKeys(this.#credentials.authorizedKeys ?? []);
    this.#keyboardPrompts = keyboardPrompts(this.#credentials);
    this.#authMethods = [
      ...(this.#authorizedKeys.length > 0 ? (['publickey'] as const) : []),
      ...(this.#credentials.password !== undefined ? (['password'] as const) : []),
      ...(this.#keyboardPrompts.length > 0 ? (['keyboard-interactive'] as const) : []),
    ];
    this.#banner = options.banner ?? this.#personality.banner ?? DEFAULT_BANNER;
    this.#hostname = options.hostname ?? this.#personality.hostname ?? 'device1';
    this.#version = options.version ?? this.#personality.version ?? '';
    this.#extraFiles = { ...options.files };
    this.#enableSecret = checkPrivilege(options.privilege, this.#personality);
    this.#config = options.config;
  }

  get port(): number {
    return this.#port;
  }

  get hostKeyFingerprint(): string {
    return this.hostKey.fingerprint;
  }

  get authAttempts(): number {
    return this.#authAttempts;
  }

  get sessions(): number {
    return this.#sessions;
  }

  get commands(): readonly string[] {
    return [...this.#commands];
  }

  get openConnections(): number {
    return this.#sockets.size;
  }

  setConfig(text: string): void {
    if (typeof text !== 'string') throw new TypeError('config must be a string');
    this.#config = text;
    this.#configChangedAt = new Date();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Binds the port (and, for `connectionRefused`, lets it go again). */
  async listen(): Promise<void> {
    if (this.transport === 'telnet') this.#telnetLibrary = await loadTelnetLibrary();
    const netServer = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      netServer.once('error', reject);
      netServer.listen({ host: this.host, port: 0 }, () => {
        netServer.off('error', reject);
        resolve();
      });
    });
    const address = netServer.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : 0;
    netServer.on('error', () => {});
    if (this.#faults.connectionRefused) {
      // Nothing listens on the port from now on, so connects are refused. Another process could
      // take the port in between; on a test machine that is rare enough.
      await new Promise<void>((resolve) => netServer.close(() => resolve()));
      return;
    }
    this.#netServer = netServer;
  }

  /** The ssh2 server that speaks SSH on the sockets we accept (it never listens itself). */
  #sshServer(): InstanceType<typeof SshServer> {
    this.#ssh ??= new SshServer(
      {
        hostKeys: [this.hostKey.privateKey],
        ident: this.#personality.ident ?? 'OpenSSH_8.9',
        algorithms: {
          ...(this.#algorithms as Algorithms | undefined),
          serverHostKey: this.#hostKeyAlgorithms as ServerHostKeyAlgorithm[],
        },
      },
      (connection, info) => this.#onConnection(connection, info.port),
    ).on('error', () => {});
    return this.#ssh;
  }

  #accept(socket: Socket): void {
    if (this.#lifetime.signal.aborted) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {});
    const remotePort = socket.remotePort ?? -1;
    this.#socketsByPort.set(remotePort, socket);
    this.#sockets.set(
      socket,
      new Promise<void>((resolve) =>
        socket.once('close', () => {
          this.#sockets.delete(socket);
          if (this.#socketsByPort.get(remotePort) === socket)
            this.#socketsByPort.delete(remotePort);
          resolve();
        }),
      ),
    );
    if (this.#faults.stallAfterAccept) {
      socket.on('data', () => {});
      return;
    }
    if (this.#telnetLibrary !== undefined) {
      this.#acceptTelnet(socket, this.#telnetLibrary);
      return;
    }
    if (this.#faults.stallMidHandshake) {
      stallMidHandshake(socket, this.#personality.ident ?? 'OpenSSH_8.9', this.#hostKeyAlgorithms);
      return;
    }
    this.#sshServer().injectSocket(socket);
  }

  #acceptTelnet(socket: Socket, library: TelnetLibrary): void {
    socket.setNoDelay(true);
    this.#sessions++;
    this.#track(
      serveTelnet(socket, {
        library,
        login: this.#personality.telnetLogin ?? unixTelnetLogin(this.#hostname),
        accept: (username, password) => {
          this.#authAttempts++;
          return this.#credentialsMatch(username, password);
        },
        packetBytes: this.#channelOptions?.packetBytes,
        deviceSignal: this.#lifetime.signal,
        context: this.#sessionContext(),
      }),
    );
  }

  #onConnection(connection: Connection, remotePort: number): void {
    const socket = this.#socketsByPort.get(remotePort);
    connection.on('error', () => {});
    connection.on('authentication', (context) => this.#authenticate(context));
    connection.on('session', (accept, reject) => {
      if (this.#lifetime.signal.aborted) return reject();
      this.#sessions++;
      this.#onSession(accept(), connection, socket);
    });
  }

  #authenticate(context: AuthContext): void {
    this.#authAttempts++;
    const methods = this.#authMethods;
    const reject = (): void => context.reject(methods);
    if (context.method === 'keyboard-interactive' && methods.includes('keyboard-interactive')) {
      const prompts = this.#keyboardPrompts;
      context.prompt(
        prompts.map(({ prompt, echo }) => ({ prompt, echo })),
        (answers) => {
          const accepted =
            !this.#faults.wrongCredentials &&
            context.username === this.#credentials.username &&
            answers.length === prompts.length &&
            prompts.every((prompt, index) => answers[index] === prompt.answer);
          if (accepted) context.accept();
          else reject();
        },
      );
      return;
    }
    if (context.method === 'password' && methods.includes('password')) {
      if (this.#credentialsMatch(context.username, context.password)) context.accept();
      else reject();
      return;
    }
    if (
      context.method === 'publickey' &&
      methods.includes('publickey') &&
      !this.#faults.wrongCredentials
    ) {
      const key = this.#authorizedKeys.find((candidate) =>
        candidate.getPublicSSH().equals(context.key.data),
      );
      if (!key || context.username !== this.#credentials.username) return reject();
      // Without a signature the client only asks whether the key would do.
      if (!context.signature || !context.blob) return context.accept();
      if (key.verify(context.blob, context.signature, context.hashAlgo)) context.accept();
      else reject();
      return;
    }
    reject();
  }

  #credentialsMatch(username: string, password: string | undefined): boolean {
    return (
      !this.#faults.wrongCredentials &&
      username === this.#credentials.username &&
      password !== undefined &&
      password === this.#credentials.password
    );
  }

  #onSession(session: Session, connection: Connection, socket: Socket | undefined): void {
    const mode = this.#personality.mode;
    let ptyRequested = false;
    session.on('error', () => {});
    session.on('pty', (accept) => {
      ptyRequested = true;
      accept?.();
    });
    session.on('window-change', (accept) => accept?.());
    session.on('env', (accept) => accept?.());
    session.on('exec', (accept, reject, info) => {
      if (mode !== 'exec' || this.#lifetime.signal.aborted) return reject?.();
      const channel = accept();
      channel.resume(); // exec input is not read, but must not hold up the client's window
      const io = new ChannelIO(
        channel,
        connection,
        socket,
        this.#lifetime.signal,
        this.#channelOptions,
      );
      this.#track(runExec(io, info.command, this.#sessionContext()));
    });
    session.on('shell', (accept, reject) => {
      // Network CLIs run on a terminal: a shell without a pty is refused.
      if (mode !== 'shell' || !ptyRequested || this.#lifetime.signal.aborted) return reject?.();
      const channel = accept();
      const io = new ChannelIO(
        channel,
        connection,
        socket,
        this.#lifetime.signal,
        this.#channelOptions,
      );
      const input = new TerminalInput();
      channel.on('data', (data: Buffer) => input.push(data));
      channel.once('end', () => input.end());
      const shellLogin = this.#personality.sshShellLogin;
      this.#track(
        shellLogin
          ? runShellAfterLogin(
              io,
              input,
              this.#sessionContext(),
              shellLogin,
              (username, password) => this.#credentialsMatch(username, password),
            )
          : runShell(io, input, this.#sessionContext()),
      );
    });
  }

  #sessionContext(): SessionContext {
    // Getters, so a session sees `setConfig` at once.
    const current = {
      config: () => this.#config,
      configChangedAt: () => this.#configChangedAt,
      files: () => ({ [SIMULATED_LINUX_CONFIG_PATH]: this.#config, ...this.#extraFiles }),
    };
    const session: SimulatedSession = {
      get config() {
        return current.config();
      },
      get files() {
        return current.files();
      },
      get configChangedAt() {
        return current.configChangedAt();
      },
      hostname: this.#hostname,
      version: this.#version,
      volatileTime: () => this.#nextVolatileTime(),
      faults: this.#faults,
      privileged: this.#enableSecret === undefined,
      paging: true,
      pageLines: this.#personality.pageLines ?? 24,
      flags: new Set(),
    };
    return {
      personality: this.#personality,
      session,
      faults: this.#faults,
      banner: this.#banner,
      enableSecret: this.#enableSecret,
      recordCommand: (command) => {
        this.#commands.push(command);
        if (this.#commands.length > MAX_RECORDED_COMMANDS) this.#commands.shift();
      },
    };
  }

  #nextVolatileTime(): Date {
    this.#lastVolatileTime = Math.max(Date.now(), this.#lastVolatileTime + 1000);
    return new Date(this.#lastVolatileTime);
  }

  #track(run: Promise<void>): void {
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  async #shutdown(): Promise<void> {
    this.#lifetime.abort(new Error('the simulated device closed'));
    const netServer = this.#netServer;
    const stopped = netServer
      ? new Promise<void>((resolve) => netServer.close(() => resolve()))
      : Promise.resolve();
    const socketsClosed = [...this.#sockets.values()];
    for (const socket of this.#sockets.keys()) socket.destroy();
    await Promise.all([stopped, ...socketsClosed, ...this.#running]);
  }
}
