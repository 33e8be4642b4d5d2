/**
 * The TELNET protocol itself (option negotiation, IAC escapes) comes from `telnetlib` (MIT, no
 * dependencies), an optional peer dependency: it is loaded only when a device with
 * `transport: 'telnet'` is collected, so a fleet that speaks only SSH never needs it.
 */
import type { Duplex } from 'node:stream';

/** TELNET option codes confsnap negotiates (RFC 857, RFC 858). */
export const TELNET_OPTION = Object.freeze({ ECHO: 1, SUPPRESS_GO_AHEAD: 3 });

/** The IAC byte, which data must double (RFC 854). */
const IAC = 0xff;

/** The part of telnetlib's `TelnetSocket` confsnap uses. @internal */
export interface TelnetSocketLike {
  /** The socket it wraps. */
  readonly socket: Duplex;
  readonly reader: { flushPolicy: { endOfChunk: boolean } };
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  off(event: 'data', listener: (chunk: Buffer) => void): this;
  negotiate(): Promise<unknown>;
}

/** What confsnap uses of the `telnetlib` module. @internal */
export interface TelnetLibrary {
  readonly TelnetSocket: new (
    socket: Duplex,
    options: {
      readonly localOptions?: readonly number[];
      readonly remoteOptions?: readonly number[];
      readonly receiveBufferMax?: number;
    },
  ) => TelnetSocketLike;
}

/** The message of the error thrown when `telnetlib` is not installed. */
export const TELNETLIB_MISSING =
  "transport: 'telnet' needs the telnetlib package: npm install telnetlib";

// Specifiers in variables: bundlers leave the imports alone, and the type check of a program
// that never uses telnet does not look for telnetlib (which ships no types).
const TELNETLIB = 'telnetlib';
// telnetlib documents `TelnetSocket` as a class of the package but 1.0.2 does not export it from
// its main module; its own file is the documented class.
const TELNET_SOCKET = 'telnetlib/src/TelnetSocket/TelnetSocket.js';
let loaded: Promise<TelnetLibrary> | undefined;

/** Imports a module by specifier: `import()`, unless a test put another in its place. */
type ModuleImporter = (specifier: string) => Promise<unknown>;
const importModule: ModuleImporter = (specifier) => import(specifier);
let importer: ModuleImporter = importModule;

/**
 * Test seam: makes `loadTelnetLibrary` import through `replacement` (e.g. one that fails as a
 * missing package does), or through `import()` again when called without one. Forgets a library
 * already loaded either way.
 * @internal
 */
export function replaceTelnetImporterForTesting(replacement?: ModuleImporter): void {
  importer = replacement ?? importModule;
  loaded = undefined;
}

type Loaded = { default?: unknown; TelnetSocket?: unknown };

/**
 * Loads `telnetlib` once. Rejects with an `Error` saying how to install it when it is missing.
 * @internal
 */
export function loadTelnetLibrary(): Promise<TelnetLibrary> {
  loaded ??= (async () => {
    try {
      const main = (await importer(TELNETLIB)) as Loaded;
      const exported = main.TelnetSocket ?? (main.default as Loaded | undefined)?.TelnetSocket;
      const TelnetSocket = exported ?? ((await importer(TELNET_SOCKET)) as Loaded).default;
      if (typeof TelnetSocket !== 'function') throw new Error('telnetlib has no TelnetSocket');
      return { TelnetSocket } as TelnetLibrary;
    } catch (error) {
      loaded = undefined;
      throw new Error(TELNETLIB_MISSING, { cause: error });
    }
  })();
  return loaded;
}

/**
 * `data` as TELNET data: every IAC byte doubled. Written straight to the socket: telnetlib 1.0.2's
 * own escaping of IAC is broken (it iterates indices, not bytes), so it is done here.
 * @internal
 */
export function escapeTelnetData(data: Buffer): Buffer {
  if (!data.includes(IAC)) return data;
  const out: number[] = [];
  for (const byte of data) {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

/** Bytes the reader may hold before telnetlib calls it an overflow: above any TCP chunk. */
export const TELNET_RECEIVE_BUFFER_BYTES = 1024 * 1024;
