/**
 * Every port the scheduler calls, in one place: where devices and credentials come from
 * ({@link DeviceSource}, {@link CredentialProvider}), whether a device is online
 * ({@link OnlineGate}), how two poller instances keep off the same device ({@link Locker},
 * {@link LastSuccessStore}), where host-key pins live ({@link HostKeyStore},
 * {@link SSHHostKeyUpdater}) and where snapshots go ({@link SnapshotPublisher}). They hold no I/O
 * themselves: `confsnap/redis`, `confsnap/nats`, `src/ssh/host-keys.ts` and `src/publish/`
 * implement them, and each type is re-exported from where it was always imported.
 */
import type { Credentials, Device } from './device.js';

// ---------------------------------------------------------------------------------------------
// Devices and credentials (SPEC §1 steps 1 and 7)

/**
 * Where the scheduler reads devices. `list` is called at start and on every refresh; `get`, when
 * given, is called before every attempt so the attempt sees the device's current address, pin and
 * version rather than the row read at the last refresh. When `get` rejects, the attempt fails as
 * `unreachable` (never with an older copy of the record). Both are bounded by the scheduler's
 * `timeLimitMs` and by `stop()`, even when they ignore their signal.
 *
 * @example
 * ```ts
 * const devices: DeviceSource = {
 *   list: async () => (await db.query('SELECT * FROM devices')).rows.map(toDevice),
 *   get: async (id) => toDevice((await db.query('SELECT * FROM devices WHERE id = $1', [id])).rows[0]),
 * };
 * ```
 */
export interface DeviceSource {
  /** Every device to back up. Records may be invalid: the scheduler reports and skips those. */
  list(signal: AbortSignal): Promise<readonly Device[]>;
  /** One device as it is now, or `undefined` when it no longer exists. Read it, do not cache it. */
  get?(id: string, signal: AbortSignal): Promise<Device | undefined>;
}

/** Credentials with an optional version, e.g. a vault lease id or a row's `updated_at`. */
export type VersionedCredentials = Credentials & {
  /**
   * Changes when the credentials change. A device blocked by `auth-failed` is unblocked as soon as
   * the provider returns a different version.
   */
  readonly version?: string;
};

/**
 * Gives the credentials of a device, read before every attempt. Reject (or resolve `undefined`)
 * when none are available: the attempt fails with `credentials-unavailable`.
 *
 * @example
 * ```ts
 * const credentials: CredentialProvider = {
 *   get: async (device) => ({ username: 'backup', password: await vault.read(`routers/${device.id}`) }),
 * };
 * ```
 */
export interface CredentialProvider {
  get(device: Device, signal: AbortSignal): Promise<VersionedCredentials | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Online gate, lock and last success (SPEC §1 steps 2, 5 and 6)

/**
 * What an {@link OnlineGate} knows about a device: `online` and `unknown` let the attempt proceed,
 * `offline` skips it.
 */
export type OnlineStatus = 'online' | 'offline' | 'unknown';

/**
 * Tells the scheduler whether a device is worth trying now (SPEC §1 step 2).
 *
 * A gate answers `unknown` when it cannot tell — including when its backend is unreachable — so that
 * an outage of the gate never stops backups. It rejects only with `signal.reason` when `signal`
 * aborts, and it answers within a bounded time.
 *
 * @example
 * ```ts
 * const gate: OnlineGate = {
 *   check: async (device) => ((await ping(device.host)) ? 'online' : 'unknown'),
 * };
 * ```
 */
export interface OnlineGate {
  /** The device's status as far as the gate knows it. */
  check(device: Device, signal?: AbortSignal): Promise<OnlineStatus>;
}

/**
 * A held lock: the key and the random token that proves this holder owns it. Both operations compare
 * the token first, so a holder whose lock expired and was taken by someone else can neither extend
 * nor delete the new holder's lock.
 */
export interface Lock {
  /** The key the lock was acquired under, exactly as passed to {@link Locker.acquire}. */
  readonly key: string;
  /** The random token identifying this holder. Not a secret, but unguessable by other holders. */
  readonly token: string;
  /**
   * The device's last success, when the locker read it in the same round trip as it took the lock
   * (`RedisLocker` given its `lastSuccess` store): ms since the epoch, or `null` when none is
   * recorded. The scheduler then uses it instead of asking its {@link LastSuccessStore} again.
   * Absent when the locker did not read it.
   */
  readonly lastSuccessAt?: number | null;
  /**
   * Sets the lock to expire `ttlMs` from now, if this holder still owns it. Resolves `true` when
   * extended, `false` when the lock is lost (expired, or held by someone else now) — stop the work
   * it protects then. Rejects with a {@link LockUnavailableError} when the backend cannot be reached:
   * whether the lock is still held is then unknown, and it expires on its own at its last TTL.
   */
  extend(ttlMs: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Deletes the lock if this holder still owns it. Resolves `true` when it was deleted, `false` when
   * it was no longer this holder's (nothing is deleted then). Rejects with a
   * {@link LockUnavailableError} when the backend cannot be reached; the lock then expires at its TTL.
   */
  release(signal?: AbortSignal): Promise<boolean>;
}

/**
 * Mutual exclusion between poller instances (SPEC §1 step 5).
 *
 * The scheduler passes the full key, `backup:device:<deviceId>`; a locker stores it as given.
 *
 * @example
 * ```ts
 * const lock = await locker.acquire(`backup:device:${device.id}`, timeLimitMs + 30_000, signal);
 * if (!lock) return skip('locked');
 * try {
 *   await backUp(device);
 * } finally {
 *   await lock.release().catch(() => {}); // it expires at its TTL anyway
 * }
 * ```
 */
export interface Locker {
  /**
   * Takes the lock `key` for `ttlMs` with a fresh random token. Resolves the {@link Lock}, or
   * `undefined` when someone else holds it. Rejects with a {@link LockUnavailableError} when the
   * backend cannot be reached (within a bounded time), so the caller can choose to proceed without
   * the lock or skip; with a `RangeError` when `ttlMs` is not a positive finite number; with
   * `signal.reason` when `signal` aborts.
   */
  acquire(key: string, ttlMs: number, signal?: AbortSignal): Promise<Lock | undefined>;
}

/**
 * The time of each device's last successful backup, shared by every poller instance
 * (SPEC §1 step 6), so that K instances back a device up about once per interval, not K times.
 */
export interface LastSuccessStore {
  /**
   * When the device was last backed up successfully by any instance, in ms since the epoch, or
   * `undefined` when no instance recorded one (or the record expired). Rejects when the store cannot
   * answer in a bounded time; a caller should treat that as "not fresh" and back the device up.
   */
  get(deviceId: string, signal?: AbortSignal): Promise<number | undefined>;
  /**
   * Records a successful backup of the device at `atMs` (ms since the epoch). Rejects when the store
   * cannot be written in a bounded time; the backup itself is not undone by that.
   */
  set(deviceId: string, atMs: number, signal?: AbortSignal): Promise<void>;
}

// A registered symbol is the same in every copy of the package (ESM and CJS loaded side by side),
// where `instanceof` would fail.
const LOCK_UNAVAILABLE_BRAND = Symbol.for('confsnap.LockUnavailableError');

/** Options of {@link LockUnavailableError}. */
export interface LockUnavailableErrorOptions {
  /** The lock key that could not be taken, extended or released. */
  key: string;
  /** What happened and what to do; a default naming the key is used when absent. */
  message?: string;
  /** The underlying failure (connection error, timeout). */
  cause?: unknown;
}

/**
 * The lock backend could not be reached, so whether the lock is free, held or still ours is unknown.
 * The scheduler applies `onLockUnavailable` (`proceed` or `skip`). Recognise it with
 * {@link isLockUnavailableError}, which works across two loaded copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   lock = await locker.acquire(key, ttlMs);
 * } catch (error) {
 *   if (!isLockUnavailableError(error)) throw error;
 *   logger.warn({ key: error.key }, error.message); // and go on without the lock
 * }
 * ```
 */
export class LockUnavailableError extends Error {
  declare readonly [LOCK_UNAVAILABLE_BRAND]: true;
  override readonly name = 'LockUnavailableError';
  /** The lock key concerned. */
  readonly key: string;

  constructor(options: LockUnavailableErrorOptions) {
    super(
      options.message ??
        `The lock backend is unreachable, so the lock ${options.key} could not be used; check its connection`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.key = options.key;
    Object.defineProperty(this, LOCK_UNAVAILABLE_BRAND, { value: true });
  }
}

/** Whether `value` is a {@link LockUnavailableError}, from this copy of confsnap or any other. */
export function isLockUnavailableError(value: unknown): value is LockUnavailableError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[LOCK_UNAVAILABLE_BRAND] === true
  );
}

// ---------------------------------------------------------------------------------------------
// Host-key pins (SPEC §1 step 9)

/**
 * Where pinned host-key fingerprints live, by device id. Trust on first use: a device with no pin
 * has its observed fingerprint stored after its first successful backup; later connections must
 * present the same key.
 */
export interface HostKeyStore {
  /** The pinned fingerprint (`SHA256:…`) of a device, or undefined when none is pinned. */
  get(deviceId: string, signal?: AbortSignal): Promise<string | undefined>;
  /** Pins a fingerprint for a device, replacing any earlier one. */
  set(deviceId: string, fingerprint: string, signal?: AbortSignal): Promise<void>;
  /** Forgets a device's pin (an operator's reset after a legitimate key change). */
  delete(deviceId: string, signal?: AbortSignal): Promise<void>;
}

/**
 * For services whose pinned fingerprint lives in their own database beside the device row: the pin
 * is read from `device.hostKeyFingerprint`, and written back through this callback.
 *
 * @example
 * ```ts
 * const updater: SSHHostKeyUpdater = {
 *   async updateSSHHostKey(deviceId, fingerprint) {
 *     await db.query('UPDATE devices SET ssh_host_key = $1 WHERE id = $2', [fingerprint, deviceId]);
 *   },
 * };
 * ```
 */
export interface SSHHostKeyUpdater {
  updateSSHHostKey(deviceId: string, fingerprint: string, signal?: AbortSignal): Promise<void>;
}

/** Where a collection reads and writes pins: a store, or a service's own updater. */
export type HostKeyPinning = HostKeyStore | { readonly updater: SSHHostKeyUpdater };

// ---------------------------------------------------------------------------------------------
// Snapshots and where they go (SPEC §1 step 12, §5)

/**
 * One normalized configuration of one device, ready to publish. The TypeScript shape is camelCase;
 * `toWireJson` turns it into the snake_case JSON of SPEC §5 that the backend consumes.
 *
 * Invariant (checked by every publisher and by `toWireJson`): `sha256` is the lowercase hex
 * SHA-256 of the UTF-8 bytes of exactly `configText`. Build one with `createSnapshot` to get it
 * right by construction.
 */
export interface Snapshot {
  /**
   * The device's id: 1–255 UTF-8 bytes without control characters (SPEC §7). Published unchanged as
   * `device_id`; encoded where it names a subject token or a file (see `encodeSubjectToken`).
   */
  readonly deviceId: string;
  /** The tenant the device belongs to (`tenant_id`). */
  readonly tenantId: string;
  /** The collector id that produced the text, e.g. `routeros`, `cisco-ios`. */
  readonly vendor: string;
  /** When the configuration was read from the device. Published as UTC RFC 3339 with `Z`. */
  readonly collectedAt: Date;
  /** Lowercase hex SHA-256 of the UTF-8 bytes of `configText` (`sha256_hash`). */
  readonly sha256: string;
  /** The normalized configuration text (SPEC §4). Never logged, never put into an error. */
  readonly configText: string;
  /** Version of the normalization rules that produced `configText` (currently 2). */
  readonly normalizationVersion: number;
  /** RouterOS version, when the device is a RouterOS device and its version is known. */
  readonly routerosVersion?: string;
  /** `latin1` when the device did not send valid UTF-8 and the text was decoded as Latin-1. */
  readonly encoding?: 'latin1';
  /**
   * True when the collector's secret rules replaced the secrets in `configText` with
   * `<secret hidden>` (`secrets_masked`, SPEC §9). Absent: the text is as the device printed it.
   */
  readonly secretsMasked?: true;
}

/**
 * What a publisher promises once `publish` resolves: the snapshot is stored where the publisher
 * stores things, and will not be lost by it.
 */
export interface PublishReceipt {
  /**
   * Where the snapshot is now: the JetStream stream's name; the directory for
   * `DirectorySnapshotPublisher`; `memory` for `MemorySnapshotPublisher`; `''` for core NATS,
   * which stores nothing.
   */
  readonly stream: string;
  /**
   * Its position there: the JetStream stream sequence (for a duplicate, the sequence of the copy
   * already stored); a per-publisher counter for the embedded publishers; `0` for core NATS.
   */
  readonly seq: number;
  /**
   * True when the destination already held this snapshot. For JetStream: a dedup-window hit on
   * the same collection (device, hash and collection time: see `snapshotMsgId`), as when a retry's
   * first acknowledgement was lost — the first try did store it; a new collection of an unchanged
   * config is stored again and is not a duplicate. For the directory publisher: a `.cfg` file that
   * already had this text.
   */
  readonly duplicate: boolean;
}

/** Options of {@link SnapshotPublisher.publish}. */
export interface PublishOptions {
  /**
   * Stops waiting. The publish then rejects with `signal.reason` (the caller chose why it aborted);
   * the snapshot may or may not have been stored, but it is never reported as stored.
   */
  signal?: AbortSignal;
}

/**
 * Where snapshots go. The scheduler counts an attempt as a success only when `publish` resolved,
 * so a publisher must resolve only once the snapshot is safely stored, and reject with a
 * `BackupError` (`payload-too-large`, `publish-failed`, `cancelled`) otherwise.
 *
 * Implementations: `NatsSnapshotPublisher` (`confsnap/nats`), `DirectorySnapshotPublisher`,
 * `MemorySnapshotPublisher` (`confsnap/testing`).
 *
 * @example
 * ```ts
 * const publisher: SnapshotPublisher = new DirectorySnapshotPublisher({ dir: '/var/lib/confsnap', git: true });
 * const receipt = await publisher.publish(snapshot, { signal });
 * console.log(receipt.duplicate ? 'unchanged' : 'stored');
 * await publisher.close();
 * ```
 */
export interface SnapshotPublisher {
  /** Stores `snapshot`; resolves once it is safely stored (see {@link PublishReceipt}). */
  publish(snapshot: Snapshot, options?: PublishOptions): Promise<PublishReceipt>;
  /**
   * Stops the publisher: publishes still waiting are rejected, nothing keeps running afterwards.
   * Calling it again has no further effect.
   */
  close(): Promise<void>;
}
