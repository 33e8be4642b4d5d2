import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { ServerChannel } from 'ssh2';
import { parse } from 'yaml';
import { resolveHostKey, type SimulatedHostKey } from './host-key.js';

/** A recorded session: what the device printed after login, and the reply to each exact input. */
export interface RecordedSession {
  /** Printed after login; its last line is the prompt. */
  readonly initPrompt: string;
  /** Exact bytes sent (e.g. `"show version\n"`) → the device's exact reply. */
  readonly commands: ReadonlyMap<string, string>;
}

/**
 * Decodes a Ruby double-quoted string body (`\n \r \t \e \xNN \" \\` …), as Oxidized's test
 * harness reads the values of its simulation files. The result is a binary string: one character
 * per byte (literal text is taken as UTF-8, `\xNN` is the byte NN), so that writing it with the
 * `latin1` encoding sends the recorded bytes exactly.
 */
export function unescapeRubyString(body: string): string {
  const binary = Buffer.from(body, 'utf8').toString('latin1');
  const simple: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    e: '\x1b',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    s: ' ',
    '0': '\0',
  };
  return binary.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{4}|[\s\S])/g, (_m, esc: string) => {
    if (esc.startsWith('x') && esc.length > 1)
      return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc.startsWith('u') && esc.length === 5)
      return String.fromCharCode(parseInt(esc.slice(1), 16));
    return simple[esc] ?? esc;
  });
}

/** Parses an Oxidized `simulation.yaml` (init_prompt + commands) into a {@link RecordedSession}. */
export function parseOxidizedSimulation(yamlText: string): RecordedSession {
  const doc: unknown = parse(yamlText);
  if (typeof doc !== 'object' || doc === null) throw new Error('simulation: not a YAML mapping');
  const { init_prompt: initValue, commands } = doc as Record<string, unknown>;
  // Exec recordings (pfSense, OPNsense) have an empty `init_prompt:`, which YAML reads as null.
  const initPrompt = initValue === null && 'init_prompt' in doc ? '' : initValue;
  if (typeof initPrompt !== 'string') throw new Error('simulation: init_prompt must be a string');
  if (typeof commands !== 'object' || commands === null) {
    throw new Error('simulation: commands must be a mapping');
  }
  const map = new Map<string, string>();
  // `commands` is a mapping, or (in some recordings) a list of one-entry mappings.
  const entries = Array.isArray(commands)
    ? commands.flatMap((item: unknown) =>
        typeof item === 'object' && item !== null ? Object.entries(item) : [],
      )
    : Object.entries(commands as Record<string, unknown>);
  for (const [command, reply] of entries) {
    if (typeof reply !== 'string')
      throw new Error(`simulation: reply to ${JSON.stringify(command)} is not a string`);
    map.set(command, unescapeRubyString(reply));
  }
  return { initPrompt: unescapeRubyString(initPrompt), commands: map };
}

/** Options for {@link startRecordedDevice}. */
export interface RecordedDeviceOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Accepted login; default admin/admin. */
  readonly username?: string;
  readonly password?: string;
  /** Host key (private key or a {@link SimulatedHostKey}); default a new ed25519 key. */
  readonly hostKey?: string | Buffer | SimulatedHostKey;
  /** Answer to a command the recording lacks, before the prompt. Default `Invalid input -> <command>`. */
  readonly unknownReply?: (command: string) => string;
}

/** A running replay of a recorded session. */
export interface RecordedDevice extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  readonly hostKey: SimulatedHostKey;
  /** Commands received that the recording lacks, in order (without the trailing newline). */
  readonly unknownCommands: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts an SSH server on a loopback port that replays a recorded session byte for byte: the
 * init prompt, then for each line received the recorded reply to that exact line. `recording` is
 * a {@link RecordedSession} or the text of an Oxidized simulation YAML.
 */
export async function startRecordedDevice(
  recording: RecordedSession | string,
  options: RecordedDeviceOptions = {},
): Promise<RecordedDevice> {
  const session = typeof recording === 'string' ? parseOxidizedSimulation(recording) : recording;
  const host = options.host ?? '127.0.0.1';
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin';
  const hostKey = resolveHostKey(options.hostKey);
  const unknownReply = options.unknownReply ?? ((c: string) => `Invalid input -> ${c}\r\n`);
  const lines = session.initPrompt.split('\n');
  const prompt = lines[lines.length - 1] ?? '';
  const unknownCommands: string[] = [];
  const sockets = new Set<Socket>();

  // `current` is the prompt the device showed last (a shell's replies may end in another prompt
  // than the login text). An empty line is answered as a device does, with a line break and that
  // prompt, whether or not the recording holds one (Oxidized records `"\n"` without its echo).
  const answer = (input: string, current = prompt): string => {
    const reply = session.commands.get(input);
    if (input === '\n') {
      if (reply === undefined) return `\r\n${current}`;
      return /^[\r\n]/.test(reply) ? reply : `\r\n${reply}`;
    }
    if (reply !== undefined) return reply;
    const command = input.replace(/\r?\n$/, '');
    unknownCommands.push(command);
    return `${command}\r\n${unknownReply(command)}${current}`;
  };
  const lastLine = (text: string): string => text.slice(text.lastIndexOf('\n') + 1);

  const serveShell = (channel: ServerChannel): void => {
    channel.write(session.initPrompt);
    let current = prompt;
    let buffer = '';
    channel.on('data', (data: Buffer) => {
      buffer += data.toString('latin1').replace(/\r\n?/g, '\n');
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, at + 1);
        buffer = buffer.slice(at + 1);
        const reply = answer(line, current);
        if (lastLine(reply) !== '') current = lastLine(reply);
        channel.write(Buffer.from(reply, 'latin1'));
      }
    });
  };

  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) {
        ctx.accept();
      } else ctx.reject(['password']);
    });
    client.on('session', (accept) => {
      const s = accept();
      s.on('pty', (ok) => ok?.());
      s.on('shell', (ok) => serveShell(ok()));
      s.on('exec', (ok, _reject, info) => {
        const channel = ok();
        const input = info.command.endsWith('\n') ? info.command : `${info.command}\n`;
        const known = session.commands.has(input);
        channel.write(Buffer.from(answer(input), 'latin1'));
        channel.exit(known ? 0 : 1);
        channel.end();
      });
    });
  });

  const netServer: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    server.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    netServer.once('error', reject);
    netServer.listen({ host, port: 0 }, () => resolve());
  });
  const address = netServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      netServer.close(() => resolve());
    }));
  return { host, port, hostKey, unknownCommands, close, [Symbol.asyncDispose]: close };
}
