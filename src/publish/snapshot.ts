import { createHash } from 'node:crypto';
import { NORMALIZATION_VERSION } from '../collectors/normalize.js';
import type { Snapshot } from '../core/ports.js';
import { deviceIdProblem } from './device-id.js';

export type { Snapshot, PublishReceipt, PublishOptions, SnapshotPublisher } from '../core/ports.js';

/**
 * The snapshot as it travels: the JSON object of SPEC §5, field names and types exactly as the
 * backend consumer expects them.
 */
export interface WireSnapshot {
  device_id: string;
  tenant_id: string;
  routeros_version?: string;
  vendor: string;
  /** UTC RFC 3339 with `Z`, e.g. `2026-03-07T12:00:00.000Z`. */
  collected_at: string;
  sha256_hash: string;
  config_text: string;
  normalization_version: number;
  encoding?: 'latin1';
  /** `true` when secrets were masked to `<secret hidden>` (SPEC §9); absent otherwise. */
  secrets_masked?: true;
}

/** The fields of a {@link Snapshot} that {@link createSnapshot} does not derive. */
export interface SnapshotFields {
  readonly deviceId: string;
  readonly tenantId: string;
  readonly vendor: string;
  readonly configText: string;
  /** Default: now. */
  readonly collectedAt?: Date;
  /** Default: 2, the current rules of SPEC §4. */
  readonly normalizationVersion?: number;
  readonly routerosVersion?: string;
  readonly encoding?: 'latin1';
  /** True when `configText` had its secrets masked (SPEC §9). Default false. */
  readonly secretsMasked?: boolean;
}

/**
 * Builds a valid {@link Snapshot}: computes `sha256` from `configText` and checks every field.
 *
 * @throws {TypeError} when a field is invalid (the message names the field, never the text).
 * @example
 * ```ts
 * const snapshot = createSnapshot({
 *   deviceId: 'rtr-1',
 *   tenantId: 'acme',
 *   vendor: 'routeros',
 *   routerosVersion: '7.16.2',
 *   configText: '/system identity\nset name=rtr-1\n',
 * });
 * ```
 */
export function createSnapshot(fields: SnapshotFields): Snapshot {
  return snapshotOf(fields, undefined);
}

/**
 * {@link createSnapshot} for a text whose hash was just computed by `normalizeConfig`: trusts
 * `sha256` instead of hashing the text again. Only for a hash confsnap itself computed over
 * exactly `fields.configText`.
 * @internal Used by the scheduler; not part of the public surface.
 */
export function createSnapshotOfNormalized(fields: SnapshotFields, sha256: string): Snapshot {
  return snapshotOf(fields, sha256);
}

function snapshotOf(fields: SnapshotFields, knownSha256: string | undefined): Snapshot {
  const sha256 = knownSha256 ?? sha256Hex(fields.configText);
  const snapshot: Snapshot = {
    deviceId: fields.deviceId,
    tenantId: fields.tenantId,
    vendor: fields.vendor,
    collectedAt: fields.collectedAt ?? new Date(),
    sha256,
    configText: fields.configText,
    normalizationVersion: fields.normalizationVersion ?? NORMALIZATION_VERSION,
    ...(fields.routerosVersion === undefined ? {} : { routerosVersion: fields.routerosVersion }),
    ...(fields.encoding === undefined ? {} : { encoding: fields.encoding }),
    ...(fields.secretsMasked === true ? { secretsMasked: true as const } : {}),
  };
  verifiedHashes.set(snapshot, { text: snapshot.configText, sha256 });
  validateSnapshot(snapshot);
  return snapshot;
}

/**
 * The version field of a snapshot for a device of `vendor` that reported `version` (SPEC §5):
 * the wire format has `routeros_version` only, for RouterOS devices; other vendors' versions are
 * not published. Where the wire format's vendor knowledge lives, so no caller repeats it.
 * @internal Used by the scheduler; not part of the public surface.
 */
export function snapshotVersionFields(
  vendor: string,
  version: string | undefined,
): { routerosVersion?: string } {
  return vendor === 'routeros' && version ? { routerosVersion: version } : {};
}

/**
 * Whether `value` can be one token of a NATS subject as it is: not empty, and no `.`, `*`, `>` or
 * white space. Device ids need not be; they are encoded with `encodeSubjectToken`.
 * @internal Checks the NATS publisher's subject prefix; not part of the public surface.
 */
export function isSubjectToken(value: string): boolean {
  return value.length > 0 && !/[.*>\s]/u.test(value);
}

/**
 * The wire JSON of SPEC §5 for `snapshot`, with the fields in the order of the SPEC table and the
 * optional ones only when set.
 *
 * @throws {TypeError} when the snapshot is invalid — including a `sha256` that does not match
 * `configText`. The message names the device and the field, never the text.
 * @example
 * ```ts
 * const json = toWireJson(snapshot);
 * // {"device_id":"rtr-1","tenant_id":"acme","routeros_version":"7.16.2","vendor":"routeros",
 * //  "collected_at":"2026-03-07T12:00:00.000Z","sha256_hash":"…","config_text":"…","normalization_version":2}
 * ```
 */
export function toWireJson(snapshot: Snapshot): string {
  validateSnapshot(snapshot);
  const wire: WireSnapshot = {
    device_id: snapshot.deviceId,
    tenant_id: snapshot.tenantId,
    ...(snapshot.routerosVersion === undefined
      ? {}
      : { routeros_version: snapshot.routerosVersion }),
    vendor: snapshot.vendor,
    collected_at: snapshot.collectedAt.toISOString(),
    sha256_hash: snapshot.sha256,
    config_text: snapshot.configText,
    normalization_version: snapshot.normalizationVersion,
    ...(snapshot.encoding === undefined ? {} : { encoding: snapshot.encoding }),
    ...(snapshot.secretsMasked === true ? { secrets_masked: true as const } : {}),
  };
  return JSON.stringify(wire);
}

/**
 * Parses and validates a wire snapshot (SPEC §5) — what a backend consumer reads from the stream.
 * Unknown extra fields are ignored, so newer producers can add fields.
 *
 * @throws {TypeError} when the input is not JSON, a field is missing or has the wrong type, the
 * time is not RFC 3339, or `sha256_hash` does not match `config_text`.
 * @example
 * ```ts
 * for await (const message of messages) {
 *   try {
 *     const snapshot = fromWireJson(message.data);
 *     await store(snapshot);
 *     message.ack();
 *   } catch (error) {
 *     message.term(); // malformed or corrupted: never valid, do not redeliver
 *   }
 * }
 * ```
 */
export function fromWireJson(json: string | Uint8Array): Snapshot {
  let parsed: unknown;
  try {
    const text =
      typeof json === 'string' ? json : new TextDecoder('utf-8', { fatal: true }).decode(json);
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TypeError('wire snapshot is not valid UTF-8 JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError('wire snapshot must be a JSON object');
  }
  const wire = parsed as Record<string, unknown>;
  const deviceId = requireString(wire, 'device_id', '(unknown)');
  const field = (name: string): string => requireString(wire, name, deviceId);
  const collectedAtText = field('collected_at');
  if (!RFC3339.test(collectedAtText) || Number.isNaN(Date.parse(collectedAtText))) {
    throw new TypeError(
      `wire snapshot of device ${deviceId}: collected_at must be an RFC 3339 time, got ${JSON.stringify(collectedAtText.slice(0, 40))}`,
    );
  }
  const normalizationVersion = wire.normalization_version;
  if (typeof normalizationVersion !== 'number') {
    throw new TypeError(
      `wire snapshot of device ${deviceId}: normalization_version must be an integer`,
    );
  }
  const routerosVersion = optionalString(wire, 'routeros_version', deviceId);
  const encoding = optionalString(wire, 'encoding', deviceId);
  const secretsMasked = wire.secrets_masked;
  if (secretsMasked !== undefined && secretsMasked !== null && typeof secretsMasked !== 'boolean') {
    throw new TypeError(
      `wire snapshot of device ${deviceId}: secrets_masked must be true or false when set`,
    );
  }
  const snapshot: Snapshot = {
    deviceId,
    tenantId: field('tenant_id'),
    vendor: field('vendor'),
    collectedAt: new Date(collectedAtText),
    sha256: field('sha256_hash'),
    configText: field('config_text'),
    normalizationVersion,
    ...(routerosVersion === undefined ? {} : { routerosVersion }),
    ...(encoding === undefined ? {} : { encoding: encoding as 'latin1' }),
    ...(secretsMasked === true ? { secretsMasked: true as const } : {}),
  };
  validateSnapshot(snapshot, WIRE_NAMES);
  return snapshot;
}

const verifiedHashes = new WeakMap<Snapshot, { text: string; sha256: string }>();

/**
 * Checks every field of `snapshot`, including that `sha256` matches `configText`.
 *
 * @throws {TypeError} naming the device and the field (never the text).
 * @internal Used by the publishers; not part of the public surface.
 */
export function validateSnapshot(snapshot: Snapshot, names: FieldNames = CAMEL_NAMES): void {
  if (typeof snapshot !== 'object' || snapshot === null) {
    throw new TypeError('snapshot must be an object');
  }
  const { deviceId } = snapshot;
  const idProblem = deviceIdProblem(deviceId);
  if (idProblem !== undefined) {
    const shown = typeof deviceId === 'string' ? ` ${JSON.stringify(deviceId.slice(0, 80))}` : '';
    throw new TypeError(`snapshot ${names.deviceId}${shown} ${idProblem}`);
  }
  const problem = (what: string): TypeError =>
    new TypeError(`snapshot of device ${deviceId}: ${what}`);
  if (typeof snapshot.tenantId !== 'string') throw problem(`${names.tenantId} must be a string`);
  if (typeof snapshot.vendor !== 'string' || snapshot.vendor.length === 0) {
    throw problem(`${names.vendor} must be a non-empty string`);
  }
  if (!(snapshot.collectedAt instanceof Date) || Number.isNaN(snapshot.collectedAt.getTime())) {
    throw problem(`${names.collectedAt} must be a valid Date`);
  }
  if (typeof snapshot.configText !== 'string' || snapshot.configText.length === 0) {
    throw problem(`${names.configText} must be a non-empty string`);
  }
  if (!Number.isInteger(snapshot.normalizationVersion) || snapshot.normalizationVersion < 1) {
    throw problem(`${names.normalizationVersion} must be an integer >= 1`);
  }
  if (snapshot.routerosVersion !== undefined && typeof snapshot.routerosVersion !== 'string') {
    throw problem(`${names.routerosVersion} must be a string when set`);
  }
  if (snapshot.encoding !== undefined && snapshot.encoding !== 'latin1') {
    throw problem(`${names.encoding} must be "latin1" when set`);
  }
  if (snapshot.secretsMasked !== undefined && snapshot.secretsMasked !== true) {
    throw problem(`${names.secretsMasked} must be true when set (leave it out when not masked)`);
  }
  if (typeof snapshot.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(snapshot.sha256)) {
    throw problem(`${names.sha256} must be 64 lowercase hex digits`);
  }
  // A snapshot already hashed here (by createSnapshot or an earlier check) with the very same text
  // and hash is not hashed again: each publisher checks, and the text may be megabytes.
  const known = verifiedHashes.get(snapshot);
  if (known && known.text === snapshot.configText && known.sha256 === snapshot.sha256) return;
  const actual = sha256Hex(snapshot.configText);
  if (actual === snapshot.sha256) {
    verifiedHashes.set(snapshot, { text: snapshot.configText, sha256: actual });
  }
  if (actual !== snapshot.sha256) {
    throw problem(
      `${names.sha256} ${snapshot.sha256} does not match the SHA-256 of ${names.configText} (${actual}); the text was changed after hashing or the hash was computed over different bytes`,
    );
  }
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. @internal */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

type FieldNames = Record<
  | 'deviceId'
  | 'tenantId'
  | 'vendor'
  | 'collectedAt'
  | 'sha256'
  | 'configText'
  | 'normalizationVersion'
  | 'routerosVersion'
  | 'encoding'
  | 'secretsMasked',
  string
>;

const CAMEL_NAMES: FieldNames = {
  deviceId: 'deviceId',
  tenantId: 'tenantId',
  vendor: 'vendor',
  collectedAt: 'collectedAt',
  sha256: 'sha256',
  configText: 'configText',
  normalizationVersion: 'normalizationVersion',
  routerosVersion: 'routerosVersion',
  encoding: 'encoding',
  secretsMasked: 'secretsMasked',
};

const WIRE_NAMES: FieldNames = {
  deviceId: 'device_id',
  tenantId: 'tenant_id',
  vendor: 'vendor',
  collectedAt: 'collected_at',
  sha256: 'sha256_hash',
  configText: 'config_text',
  normalizationVersion: 'normalization_version',
  routerosVersion: 'routeros_version',
  encoding: 'encoding',
  secretsMasked: 'secrets_masked',
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function requireString(wire: Record<string, unknown>, name: string, deviceId: string): string {
  const value = wire[name];
  if (typeof value !== 'string') {
    throw new TypeError(
      deviceId === '(unknown)'
        ? `wire snapshot: ${name} must be a string`
        : `wire snapshot of device ${deviceId}: ${name} must be a string`,
    );
  }
  return value;
}

function optionalString(
  wire: Record<string, unknown>,
  name: string,
  deviceId: string,
): string | undefined {
  const value = wire[name];
  // A producer without `omitempty` sends null or "" for an absent optional field.
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(`wire snapshot of device ${deviceId}: ${name} must be a string when set`);
  }
  return value;
}
