import type { BuiltInVendorId } from '../../collectors/vendors/index.js';
import type { SimulatedHostKey } from './host-key.js';

/** The vendors a simulated device can play out of the box: the built-in vendors of confsnap. */
export type SimulatedVendorId = BuiltInVendorId;

/**
 * What a device answers to one command line.
 *
 * - `config`: the configuration (with the vendor's header lines). The output faults
 *   (`stallMidOutput`, `binaryOutput`, `partialConfig`, `commandError`, …) act on this answer only.
 * - `output`: any other answer, including the vendor's error texts.
 * - `exit`: the session ends cleanly (shell: `exit`, `quit`, `logout`).
 *
 * Text uses `\n`; the simulator turns it into `\r\n` on a shell (a pty does that) and on exec
 * vendors whose {@link SimulatedPersonality.newline} is `\r\n`.
 */
export interface SimulatedReply {
  readonly kind: 'config' | 'output' | 'exit';
  /** What the device prints on stdout. */
  readonly text?: string;
  /** Exec mode: what the device prints on stderr. */
  readonly stderr?: string;
  /** Exec mode: the exit status sent before the channel closes. Default 0. */
  readonly exitStatus?: number;
  /** Shell mode: whether this answer is paged while paging is on. Default true. */
  readonly paged?: boolean;
}

/**
 * The per-session state a personality reads and changes while it answers commands.
 */
export interface SimulatedSession {
  /** The device's configuration right now (the latest `setConfig`, or the start-up `config`). */
  readonly config: string;
  /** Files a `linux` device can `cat`, by absolute path. */
  readonly files: Readonly<Record<string, string>>;
  /** The host name shown in prompts and headers. */
  readonly hostname: string;
  /** The software version the device claims (the `version` option or the personality's default). */
  readonly version: string;
  /**
   * A time for volatile header lines (`! Last configuration change at …`): it never goes backwards
   * and moves at least one second per call, so two reads never print the same header.
   */
  volatileTime(): Date;
  /** When the configuration last changed (start-up or the latest `setConfig`): stable between reads. */
  readonly configChangedAt: Date;
  /** The device's faults, for the faults a personality implements itself (`volatileChangeTimes`). */
  readonly faults: Readonly<SimulatedFaults>;
  /**
   * Shell mode: whether the session is in privileged mode (`#`). Starts true unless the device was
   * started with a `privilege` setting; `enable` sets it. Personalities refuse privileged commands
   * while it is false, as the vendor's CLI does at `>`.
   */
  privileged: boolean;
  /** Shell mode: whether long output stops at the pager prompt. Starts true. */
  paging: boolean;
  /** Shell mode: lines per page while paging is on. */
  pageLines: number;
  /** Free flags for a personality's own session modes (e.g. IOS XR's `no-timestamp`). */
  readonly flags: Set<string>;
}

/** A pager prompt and the bytes that erase it once a key was pressed. */
export interface SimulatedPager {
  /** What the device prints when a page is full, e.g. ` --More-- `. */
  readonly prompt: string;
  /** What it prints after the key, e.g. backspaces over the prompt, or `\r\x1b[K`. */
  readonly erase: string;
}

/**
 * A vendor's unprivileged level and its way up (IOS, ASA, EOS: `enable`), used when a device is
 * started with a {@link SimulatedDeviceOptions.privilege} setting.
 */
export interface SimulatedPrivilegeMode {
  /** The prompt at the unprivileged level, e.g. `router1>`. */
  readonly userPrompt: string;
  /** Whether a command line (trimmed) asks for privileged mode, e.g. `enable` or `en`. */
  isEnable(command: string): boolean;
  /** What asks for the secret, e.g. `Password: `. */
  readonly passwordPrompt: string;
  /**
   * How the typed secret is echoed: not at all (IOS, EOS), one `*` per character (ASA), or as
   * typed (a careless CLI; for testing that the secret is masked).
   */
  readonly secretEcho: 'none' | 'asterisks' | 'text';
  /** Password prompts before the device gives up and stays unprivileged. */
  readonly attempts: number;
  /** Printed after each wrong secret but the last, e.g. `Invalid password\n` (may be empty). */
  readonly wrongSecretText: string;
  /** Printed when the last attempt failed, e.g. `% Bad secrets\n`. */
  readonly deniedText: string;
}

/**
 * How one vendor's device behaves. The built-in vendors are personalities too
 * ({@link simulatedPersonality}); pass your own as `vendor` to simulate a vendor confsnap does not
 * ship.
 *
 * @example
 * ```ts
 * const acme: SimulatedPersonality = {
 *   vendor: 'acme-os',
 *   mode: 'shell',
 *   prompt: 'acme> ',
 *   pager: { prompt: '-- more --', erase: '\r          \r' },
 *   respond(command, session) {
 *     if (command === 'no page') {
 *       session.paging = false;
 *       return { kind: 'output' };
 *     }
 *     if (command === 'show config') return { kind: 'config', text: session.config };
 *     return undefined;
 *   },
 *   invalidCommand: (command) => ({ kind: 'output', text: `% unknown command: ${command}\n` }),
 * };
 * await using device = await startSimulatedDevice({ vendor: acme, config: 'hostname acme\n' });
 * ```
 */
export interface SimulatedPersonality {
  /** Vendor id, e.g. `acme-os`. */
  readonly vendor: string;
  /** `exec`: one command per exec channel. `shell`: an interactive shell on a pty. */
  readonly mode: 'exec' | 'shell';
  /** The SSH software version after `SSH-2.0-`, e.g. `Cisco-1.25`. Default `OpenSSH_8.9`. */
  readonly ident?: string;
  /** Default host name (the `hostname` option wins). */
  readonly hostname?: string;
  /** Default software version (the `version` option wins). */
  readonly version?: string;
  /** Shell mode: the prompt printed after login and after every command (no newline). */
  readonly prompt?: string;
  /** Shell mode: the banner printed after login, unless the `banner` option replaces it. */
  readonly banner?: string;
  /** Shell mode: the unprivileged level and `enable`. Absent: the vendor has none. */
  readonly privilege?: SimulatedPrivilegeMode;
  /** Shell mode: the pager. Absent: the device never pages. */
  readonly pager?: SimulatedPager;
  /** Shell mode: lines per page while paging is on. Default 24. */
  readonly pageLines?: number;
  /** Exec mode: the line ending of the output. Default `\n`. */
  readonly newline?: '\n' | '\r\n';
  /**
   * Shell mode: the login dialog over telnet (`transport: 'telnet'`). Default: a Unix-style
   * `<hostname> login: ` / `Password: ` / `Login incorrect`.
   */
  readonly telnetLogin?: SimulatedTelnetLogin;
  /**
   * Shell mode over SSH: a second login inside the shell, after SSH authentication, as Cisco
   * AireOS asks `User:` and `Password:`. The device's credentials must be typed again. Absent:
   * the shell starts with the banner.
   */
  readonly sshShellLogin?: SimulatedTelnetLogin;
  /** The answer to one command line (trimmed), or `undefined` when the device does not know it. */
  respond(command: string, session: SimulatedSession): SimulatedReply | undefined;
  /**
   * The vendor's answer to a command it does not know — also the answer to the configuration
   * command under the `commandError` fault.
   */
  invalidCommand(command: string, session: SimulatedSession): SimulatedReply;
  /**
   * A small, realistic configuration of this vendor for a device named `hostname`, with `\n`
   * line ends, and with comments or banners containing `#` and `>` that a
   * careless reader could take for a prompt. Held by a device as its `config`, the device's answer
   * (with the vendor's header lines) is whole by the vendor's built-in collector. Every built-in
   * personality has one; your own may.
   */
  sampleConfig?(hostname: string): string;
}

/**
 * A vendor's telnet login dialog, e.g. IOS: `User Access Verification`, `Username: `, `Password: `,
 * `% Login invalid`. The username is echoed, the password is not.
 */
export interface SimulatedTelnetLogin {
  /** Printed once the connection is up, before the first prompt. */
  readonly greeting: string;
  readonly usernamePrompt: string;
  readonly passwordPrompt: string;
  /** Printed after a refused login, before the username prompt comes back. */
  readonly failureText: string;
  /** Logins tried before the device closes the connection. */
  readonly attempts: number;
}

/** One keyboard-interactive prompt of a simulated device, and the answer it accepts. */
export interface SimulatedKeyboardPrompt {
  /** What the device asks, e.g. `Username: ` or `Enter hardware token code: `. */
  readonly prompt: string;
  /** Whether the client shows what is typed (true for a user name or a token code). */
  readonly echo: boolean;
  /** The one answer accepted. */
  readonly answer: string;
}

/** Who may log in. Default `{ username: 'admin', password: 'admin' }`. */
export interface SimulatedCredentials {
  readonly username: string;
  /**
   * Accepted by `password`, and by `keyboard-interactive` as the answer to one `Password: `
   * prompt (echo off) unless `keyboardInteractive` says otherwise. Absent: `password` is off.
   */
  readonly password?: string;
  /**
   * The `keyboard-interactive` prompts, sent in one round, in order; login needs every answer.
   * Default: one `Password: ` prompt (echo off) answered by `password`. Given without
   * `password`, the device offers `keyboard-interactive` alone, as a device with one-time codes
   * or a second login prompt does.
   */
  readonly keyboardInteractive?: readonly SimulatedKeyboardPrompt[];
  /** Public keys (OpenSSH `ssh-ed25519 AAAA…` lines, or private keys) accepted by `publickey`. */
  readonly authorizedKeys?: readonly (string | Buffer)[];
}

/** {@link SimulatedFaults.slowDrip} settings. */
export interface SlowDripSettings {
  /** Bytes per chunk. Default 64. */
  readonly bytes?: number;
  /** Pause between chunks. Default 20 ms. */
  readonly intervalMs?: number;
}

/** {@link SimulatedFaults.packetize} settings. */
export interface PacketizeSettings {
  /** Smallest packet, in bytes (a write's last packet may be smaller: it is what is left). Default 1. */
  readonly minBytes?: number;
  /** Largest packet, in bytes. Default 13. */
  readonly maxBytes?: number;
  /**
   * Seed of the packet sizes: a device started with the same seed splits the same session the
   * same way (for a failing test to be replayed). Default: a random seed.
   */
  readonly seed?: number;
}

/**
 * Misbehaviours to switch on, all off by default. "Midway" means after half of the bytes of the
 * configuration answer. Output faults act on the `config` answer only.
 */
export interface SimulatedFaults {
  /** Reject every authentication attempt, whatever the method (`authAttempts` still counts them). */
  readonly wrongCredentials?: boolean;
  /** Accept TCP connections but never send the SSH identification line. */
  readonly stallAfterAccept?: boolean;
  /**
   * Send the SSH identification and a KEXINIT, then nothing: the client's key exchange never
   * completes.
   */
  readonly stallMidHandshake?: boolean;
  /** Send half of the configuration, then nothing, with the channel left open. */
  readonly stallMidOutput?: boolean;
  /**
   * Send the configuration and then filler lines forever. Writes wait for the client's window, so
   * the simulator's own memory stays bounded however long it runs. Never paged.
   */
  readonly endlessOutput?: boolean;
  /** Send 4 KiB of binary bytes (NULs, invalid UTF-8) instead of the configuration. */
  readonly binaryOutput?: boolean;
  /** Send the configuration in small chunks with pauses (`true`: 64 bytes every 20 ms). */
  readonly slowDrip?: boolean | SlowDripSettings;
  /**
   * Send half of the configuration, then drop: `true` or `'connection'` destroys the TCP connection,
   * `'channel'` closes the channel without an exit status.
   */
  readonly disconnectMidOutput?: boolean | 'connection' | 'channel';
  /** Nothing listens on the returned port: connections are refused. */
  readonly connectionRefused?: boolean;
  /** Shell mode: the shell opens and prints the banner, but never a prompt; input is ignored. */
  readonly promptNeverShown?: boolean;
  /**
   * The server starts a key re-exchange midway through the configuration and continues once it
   * completed: the client's host-key verifier runs a second time.
   */
  readonly rekeyDuringOutput?: boolean;
  /**
   * The configuration is cut after half of its lines (an IOS config loses its `end`), then the
   * channel closes normally: exit status 0 and EOF, no prompt after it.
   */
  readonly partialConfig?: boolean;
  /** The configuration command answers with the vendor's error text (exec: its error exit status). */
  readonly commandError?: boolean;
  /** Wait this long before answering the configuration command (a slow but healthy device). */
  readonly outputDelayMs?: number;
  /**
   * Send everything the device writes — banner, prompts, echo, answers, pager prompts and the
   * bytes that erase them, stderr — as SSH data packets of random sizes (`true`: 1 to 13 bytes),
   * without pauses, as devices with small buffers and fragmenting links do. The client sees each
   * packet as a chunk of its own, wherever it splits a line, a `\r\n` or an escape sequence:
   * what the client makes of the output must not depend on it.
   */
  readonly packetize?: boolean | PacketizeSettings;
  /**
   * End every channel with EOF and close but without an exit status, as some devices' SSH
   * servers do: the output itself is whole. (`disconnectMidOutput: 'channel'` is the cut-short
   * kind of the same.)
   */
  readonly omitExitStatus?: boolean;
  /**
   * `cisco-ios`: `! Last configuration change at …` and `! NVRAM config last updated at …`, and
   * `junos`: `## Last commit: …`, show a new time on every read, as if the configuration changed
   * each time. Real IOS and Junos change them only after a change (the default here); this is for
   * testing that a collector normalizes them away.
   */
  readonly volatileChangeTimes?: boolean;
}

/** {@link SimulatedDeviceOptions.privilege} settings. */
export interface SimulatedPrivilegeSettings {
  /** The enable secret the device accepts; `''`: its enable asks for no password. */
  readonly enableSecret: string;
}

/** {@link SimulatedDeviceOptions.algorithms}: names as ssh2 spells them. */
export interface SimulatedAlgorithms {
  readonly kex?: readonly string[];
  readonly cipher?: readonly string[];
  readonly hmac?: readonly string[];
}

/** Options of {@link startSimulatedDevice}. */
export interface SimulatedDeviceOptions {
  /** A built-in vendor id, or a {@link SimulatedPersonality} for your own vendor. */
  readonly vendor: SimulatedVendorId | SimulatedPersonality;
  /** The configuration the device holds, with `\n` line ends (the vendor's headers are added). */
  readonly config: string;
  /**
   * The host key: a private key (OpenSSH or PEM, any type ssh2 reads — ed25519, RSA, ECDSA) or a
   * {@link SimulatedHostKey} (e.g. another device's `hostKey`, to share one). Default: a new
   * ed25519 key.
   */
  readonly hostKey?: string | Buffer | SimulatedHostKey;
  /**
   * The host-key algorithms offered, in order, e.g. `['rsa-sha2-512']` with an RSA key. A client
   * restricted to others fails key exchange. Default: every algorithm the key supports.
   */
  readonly hostKeyAlgorithms?: readonly string[];
  /**
   * The only key-exchange algorithms, ciphers and MACs the device offers, in order — e.g.
   * `{ kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-cbc'] }` for an old device that
   * speaks nothing newer. A client offering none of them fails key exchange. Default: ssh2's.
   */
  readonly algorithms?: SimulatedAlgorithms;
  /** Who may log in. Default `{ username: 'admin', password: 'admin' }`. */
  readonly credentials?: SimulatedCredentials;
  /** Misbehaviours; all off by default. */
  readonly faults?: SimulatedFaults;
  /**
   * What the port speaks: `ssh` (default), or `telnet` for a shell vendor — its telnet login
   * dialog ({@link SimulatedPersonality.telnetLogin}) with `credentials.username` and `password`,
   * then the same CLI as over SSH, faults included (those of the SSH handshake and exec channels
   * aside). Needs the `telnetlib` package. A telnet device has no host key to check; it still
   * carries one (`hostKeyFingerprint`) so both kinds look alike.
   */
  readonly transport?: 'ssh' | 'telnet';
  /**
   * Shell vendors with an unprivileged level (`cisco-ios`, `cisco-asa`, `arista-eos`): the account
   * lands at `>`, refuses privileged commands there as the vendor does, and reaches `#` with
   * `enable` and this secret. Absent: the account lands privileged (`#`).
   */
  readonly privilege?: SimulatedPrivilegeSettings;
  /** Software version, e.g. `6.48.6` makes a RouterOS v6. Default: the personality's. */
  readonly version?: string;
  /** Shell mode: the banner printed after login. Default: one containing `#` and `>`. */
  readonly banner?: string;
  /** Host name shown in prompts and headers. Default per vendor (`router1`, `asa1`, `HUAWEI`, …). */
  readonly hostname?: string;
  /** Listen address: a loopback address `127.x.y.z`. Default `127.0.0.1`. Never anything else. */
  readonly host?: string;
  /**
   * `linux`: files `cat` can read, by absolute path. The `config` is the file
   * {@link SIMULATED_LINUX_CONFIG_PATH} unless this replaces it.
   */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * A running simulated device: a real SSH server on a loopback port. Counters are live.
 * Close it with `close()` or `await using`.
 */
export interface SimulatedDevice extends AsyncDisposable {
  /** Vendor id it plays. */
  readonly vendor: string;
  /** What its port speaks: `ssh` or `telnet`. */
  readonly transport: 'ssh' | 'telnet';
  /** Loopback address it listens on. */
  readonly host: string;
  /** TCP port it listens on (with `connectionRefused`, a port nothing listens on). */
  readonly port: number;
  /** `SHA256:` + unpadded base64 of SHA-256 over the host key blob, as `ssh-keygen -l` prints it. */
  readonly hostKeyFingerprint: string;
  /** The host key (public forms, and the private key so another device can reuse it). */
  readonly hostKey: SimulatedHostKey;
  /** Authentication requests seen, of any method, including `none` (telnet: logins tried). */
  readonly authAttempts: number;
  /** Session channels opened. */
  readonly sessions: number;
  /** Command lines received, in order (exec commands and non-empty shell lines; the last 1000). */
  readonly commands: readonly string[];
  /** TCP connections open right now. */
  readonly openConnections: number;
  /** Replaces the configuration for later commands and sessions. */
  setConfig(text: string): void;
  /** Destroys every connection and stops listening; resolves once nothing of the device is left. */
  close(): Promise<void>;
}
