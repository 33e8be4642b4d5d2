/**
 * Every way a backup attempt can fail (SPEC §6). `auth-failed` and `host-key-mismatch` are
 * permanent: the device is blocked until what caused them changes.
 */
export const BACKUP_ERROR_KINDS = Object.freeze([
  'auth-failed',
  'host-key-mismatch',
  'negotiation-failed',
  'connect-timeout',
  'connection-refused',
  'unreachable',
  'command-timeout',
  'time-limit',
  'command-failed',
  'truncated-output',
  'invalid-output',
  'output-too-large',
  'credentials-unavailable',
  'payload-too-large',
  'publish-failed',
  'cancelled',
] as const);

/** One of {@link BACKUP_ERROR_KINDS}. */
export type BackupErrorKind = (typeof BACKUP_ERROR_KINDS)[number];

const PERMANENT_KINDS: ReadonlySet<BackupErrorKind> = new Set(['auth-failed', 'host-key-mismatch']);

/** Whether a failure of this kind blocks the device until its cause changes. */
export function isPermanentKind(kind: BackupErrorKind): boolean {
  return PERMANENT_KINDS.has(kind);
}

/** Whether `value` names a {@link BackupErrorKind}. */
export function isBackupErrorKind(value: unknown): value is BackupErrorKind {
  return typeof value === 'string' && (BACKUP_ERROR_KINDS as readonly string[]).includes(value);
}

/** Options of {@link BackupError}. */
export interface BackupErrorOptions {
  kind: BackupErrorKind;
  /** What happened and what to do about it. Never a password, key or configuration text. */
  message: string;
  deviceId?: string;
  cause?: unknown;
  /** Extra, non-secret facts about the failure (e.g. both fingerprints of a host-key mismatch). */
  details?: Readonly<Record<string, string | number | boolean>>;
}

// A registered symbol is the same in every copy of the package (ESM and CJS loaded side by side),
// where `instanceof` would fail.
const BRAND = Symbol.for('confsnap.BackupError');

/**
 * The one error type of confsnap. Tell failures apart by `kind`, and recognise the error with
 * {@link isBackupError}, which works across two loaded copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   await collectConfig({ device, credentials });
 * } catch (error) {
 *   if (isBackupError(error) && error.kind === 'host-key-mismatch') alertSecurityTeam(error);
 *   else throw error;
 * }
 * ```
 */
export class BackupError extends Error {
  declare readonly [BRAND]: true;
  override readonly name = 'BackupError';
  readonly kind: BackupErrorKind;
  readonly deviceId: string | undefined;
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(options: BackupErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!isBackupErrorKind(options.kind)) {
      throw new TypeError(`Unknown BackupError kind: ${String(options.kind)}`);
    }
    this.kind = options.kind;
    this.deviceId = options.deviceId;
    this.details = Object.freeze({ ...options.details });
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Whether this failure blocks the device (`auth-failed`, `host-key-mismatch`). */
  get permanent(): boolean {
    return isPermanentKind(this.kind);
  }

  /** A plain object for logs and JSON: kind, message, deviceId, details — never the cause's secrets. */
  toJSON(): {
    name: string;
    kind: BackupErrorKind;
    message: string;
    deviceId?: string;
    details: Record<string, string | number | boolean>;
  } {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      ...(this.deviceId === undefined ? {} : { deviceId: this.deviceId }),
      details: { ...this.details },
    };
  }
}

/**
 * Whether `value` is a {@link BackupError}, from this copy of confsnap or any other.
 * Pass `kind` to also check its kind.
 */
export function isBackupError(value: unknown, kind?: BackupErrorKind): value is BackupError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    (kind === undefined || (value as BackupError).kind === kind)
  );
}

/** The longest text {@link errorText} returns, in characters. */
export const ERROR_TEXT_MAX_CHARS = 400;

/**
 * The message of any thrown value, for a log line or another error's message: one line (runs of
 * white space become one space), at most {@link ERROR_TEXT_MAX_CHARS} characters. It shows only
 * the message, never the value's other properties; callers put no secret into their messages.
 *
 * @example
 * ```ts
 * errorText(new Error('connect ECONNREFUSED\n  127.0.0.1:6379')); // 'connect ECONNREFUSED 127.0.0.1:6379'
 * errorText(42); // '42'
 * ```
 */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_TEXT_MAX_CHARS);
}
