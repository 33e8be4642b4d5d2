import type { DeviceAlgorithmsOption } from '../ssh/algorithms.js';

/** The value of a collector option (see `CollectorOption`): as its declared type. */
export type CollectorOptionValue = string | boolean | number | readonly string[];

/**
 * One network device as confsnap sees it. Read fresh from the `DeviceSource` before every attempt.
 */
export interface Device {
  /**
   * Unique id: 1–255 UTF-8 bytes without control characters, e.g. `core-sw1.example.net` or a
   * UUID (SPEC §7). Encoded where it names a NATS subject token or a file; `device_id` carries it
   * unchanged.
   */
  readonly id: string;
  /** Host name or IP address. */
  readonly host: string;
  /** Port: default 22, or 23 with `transport: 'telnet'`. */
  readonly port?: number;
  /**
   * How confsnap reaches the device: `ssh` (the default) or `telnet`, only ever as the record says
   * — never a fallback. Telnet sends the password in clear text and authenticates no host (no
   * host key, no pin): use it only for devices that have no SSH. Only shell-mode vendors run over
   * telnet (SPEC §8).
   */
  readonly transport?: DeviceTransport;
  /** Collector id, e.g. `routeros`, `cisco-ios`. */
  readonly vendor: string;
  /** Tenant the device belongs to; published as `tenant_id`. */
  readonly tenantId?: string;
  /**
   * The pinned host-key fingerprint (`SHA256:…`), when the service keeps pins beside its device rows.
   * Absent: trust on first use.
   */
  readonly hostKeyFingerprint?: string;
  /** Software version hint, e.g. `7.16.2` for RouterOS; selects commands where vendors differ. */
  readonly version?: string;
  /**
   * Jump hosts (bastions) to reach the device through, nearest first: confsnap logs in to the first,
   * opens a TCP channel from it to the next (or to the device), and so on (SPEC §8). Each hop has
   * its own credentials (asked of the same `CredentialProvider`, see {@link JUMP_HOST_VENDOR}) and
   * its own host-key pin (keyed by the hop's id). One SSH connection per hop is shared by every
   * device behind it.
   */
  readonly via?: JumpHost | readonly JumpHost[];
  /**
   * Values of the options its collector declares (`CollectorDefinition.options`), by name; the
   * collector's functions see them, with the declared defaults filled in, as `context.options`.
   */
  readonly options?: Readonly<Record<string, CollectorOptionValue>>;
  /**
   * Free-form variables of the device (Oxidized's `vars`), by name: text the service or the
   * inventory attaches for collectors to read as `context.device.vars`. Unlike `options`, nothing
   * declares or checks them beyond being strings; confsnap itself reads none.
   */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * This device's own SSH settings, each overriding the scheduler's (or `collectConfig`'s) option
   * of the same name for this device only (SPEC §8), e.g. `{ algorithms: 'legacy' }` for the one
   * old switch in a modern fleet. Checked with the record: a bad value makes it invalid.
   */
  readonly ssh?: DeviceSSHSettings;
  /**
   * Mask this device's secrets (passwords, keys, communities) to `<secret hidden>` before hashing
   * and publishing (SPEC §9), over the scheduler's `maskSecrets`. Absent: the scheduler's choice.
   */
  readonly maskSecrets?: boolean;
}

/**
 * Per-device SSH settings ({@link Device.ssh}); a setting left out keeps the caller's option.
 *
 * @example
 * ```ts
 * const oldSwitch: Device = {
 *   id: 'access-sw9',
 *   host: '10.0.9.9',
 *   vendor: 'cisco-ios',
 *   ssh: { algorithms: 'legacy', connectTimeoutMs: 45_000, timeLimitMs: 900_000 },
 * };
 * ```
 */
export interface DeviceSSHSettings {
  /**
   * `'modern'`: ssh2's defaults, even when the scheduler's `algorithms` is `'legacy'`;
   * `'legacy'`: the defaults plus what old devices need; lists or `{ append, prepend, remove }`
   * edits per kind replace the scheduler's choice. The device's own session only: jump hosts keep
   * the scheduler's algorithms.
   */
  readonly algorithms?: DeviceAlgorithmsOption;
  /** One deadline for TCP connect + key exchange + login (through every hop), in ms. */
  readonly connectTimeoutMs?: number;
  /** Deadline of each command (and of the prompt), in ms. */
  readonly commandTimeoutMs?: number;
  /**
   * Hard limit of one attempt, in ms. In a scheduler it replaces `timeLimitMs` for this device's
   * attempts: their time budget, their lock's TTL (this plus 30 s, unless `lockTtlMs` is set) and a
   * trigger's wait for another instance's lock (unless `triggerLockWaitMs` is set).
   */
  readonly timeLimitMs?: number;
  /** SSH keepalive interval of the device's session, in ms; `0`: none. */
  readonly keepaliveIntervalMs?: number;
}

/** How a device is reached: see {@link Device.transport}. */
export type DeviceTransport = 'ssh' | 'telnet';

/** The transport of a record: its `transport`, or `ssh`. */
export function transportOf(device: Pick<Device, 'transport'>): DeviceTransport {
  return device.transport === 'telnet' ? 'telnet' : 'ssh';
}

/**
 * One jump host (bastion) on the way to a device. Its `id` names it for credentials, host-key pins
 * and errors; several devices naming the same id, host and port share one connection to it.
 *
 * @example
 * ```ts
 * const device: Device = {
 *   id: 'edge-r7',
 *   host: '10.20.0.7',
 *   vendor: 'cisco-ios',
 *   via: { id: 'bastion1', host: 'bastion1.example.net' },
 * };
 * ```
 */
export interface JumpHost {
  /** Unique id of the hop, like a device id: the key of its credentials and of its host-key pin. */
  readonly id: string;
  /** Host name or IP address, as the previous hop (or confsnap, for the first) reaches it. */
  readonly host: string;
  /** SSH port. Default 22. */
  readonly port?: number;
  /**
   * The pinned host-key fingerprint (`SHA256:…`) of the hop, when the service keeps pins itself.
   * Absent: the pin in the host-key store under the hop's id, or trust on first use.
   */
  readonly hostKeyFingerprint?: string;
}

/**
 * The `vendor` of the record a `CredentialProvider` is given when confsnap needs the credentials of
 * a jump host rather than of a device: `{ id, host, port, vendor: 'jump-host', jumpHost }`, where
 * `id` is the hop's id. Tell the two apart with {@link isJumpHostRecord}.
 */
export const JUMP_HOST_VENDOR = 'jump-host';

/** What a `CredentialProvider` is given when it is asked for a jump host's credentials. */
export interface JumpHostRecord extends Device {
  readonly vendor: typeof JUMP_HOST_VENDOR;
  /** The hop as the device record named it. */
  readonly jumpHost: JumpHost;
}

/**
 * Whether a record given to a `CredentialProvider` stands for a jump host (its `vendor` is
 * {@link JUMP_HOST_VENDOR}) rather than a device.
 *
 * @example
 * ```ts
 * const credentials: CredentialProvider = {
 *   get: async (record) =>
 *     isJumpHostRecord(record)
 *       ? { username: 'jump', privateKey: await readFile('/etc/confsnap/bastion_key') }
 *       : { username: 'backup', password: await vault.read(`routers/${record.id}`) },
 * };
 * ```
 */
export function isJumpHostRecord(record: Device): record is JumpHostRecord {
  return record.vendor === JUMP_HOST_VENDOR && 'jumpHost' in record;
}

/** The record a `CredentialProvider` is given for a hop (see {@link JUMP_HOST_VENDOR}). */
export function jumpHostRecord(hop: JumpHost): JumpHostRecord {
  return {
    id: hop.id,
    host: hop.host,
    port: hop.port ?? 22,
    vendor: JUMP_HOST_VENDOR,
    ...(hop.hostKeyFingerprint !== undefined ? { hostKeyFingerprint: hop.hostKeyFingerprint } : {}),
    jumpHost: hop,
  };
}

/** The hops of a device, nearest first (`via` as a list; empty without one). */
export function jumpHostsOf(device: Pick<Device, 'via'>): readonly JumpHost[] {
  const via = device.via;
  if (via === undefined || via === null) return [];
  return Array.isArray(via) ? (via as readonly JumpHost[]) : [via as JumpHost];
}

/** Answers keyboard-interactive prompts, in order. */
export type KeyboardInteractiveResponder = (
  prompts: readonly { prompt: string; echo: boolean }[],
) => readonly string[] | Promise<readonly string[]>;

/**
 * How to log in to a device. Give at least one of `password`, `privateKey`, `keyboardInteractive`
 * or `agent`. confsnap never logs these or puts them into an error.
 */
export interface Credentials {
  readonly username: string;
  /**
   * Answers `password` authentication, and keyboard-interactive prompts that hide what is typed
   * (echo off, as `Password:` does) — never an echoed prompt such as `Username:` or a token code:
   * such a prompt needs `keyboardInteractive`, or the login is `auth-failed` naming the prompt.
   */
  readonly password?: string;
  /** A private key in OpenSSH, PEM or PPK form. */
  readonly privateKey?: string | Buffer;
  /** Passphrase of `privateKey`. */
  readonly passphrase?: string;
  /**
   * Answers for keyboard-interactive authentication, echoed prompts included: a list used for
   * every round, or a function of the prompts (text and echo flag).
   */
  readonly keyboardInteractive?: readonly string[] | KeyboardInteractiveResponder;
  /** Path of an ssh-agent socket. */
  readonly agent?: string;
  /**
   * The enable secret, for a vendor whose collector has a privilege step (IOS, ASA, EOS) and an
   * account that lands at the unprivileged prompt (`>`): it answers the `enable` password
   * prompt. `''` for an enable that asks for no password. Unused when the account lands
   * privileged. Without it, an account that lands unprivileged is `auth-failed` (stage
   * `enable`). Never logged, and masked wherever the device echoes it.
   */
  readonly enableSecret?: string;
}
