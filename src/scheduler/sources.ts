import type { Credentials, Device } from '../core/device.js';

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
