import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
  type StreamUpdateConfig,
} from 'nats';

/** Default name of the snapshot stream (SPEC §5). */
export const DEFAULT_SNAPSHOT_STREAM_NAME = 'CONFIG_SNAPSHOTS';

/** Default subjects of the snapshot stream (SPEC §5). */
export const DEFAULT_SNAPSHOT_STREAM_SUBJECTS: readonly string[] = Object.freeze([
  'config.snapshot.>',
]);

/** Default age limit of snapshots in the stream: 7 days for the backend to consume them. */
export const DEFAULT_SNAPSHOT_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/**
 * Default JetStream duplicate window: 15 minutes. It must cover the time from a first send whose
 * acknowledgement was lost to the last retry of the same msg id — a reconnect, a leader election, a
 * server restart — and it stays far below the backup interval (hours), so a later unchanged
 * snapshot is still stored as a new message.
 */
export const DEFAULT_SNAPSHOT_DUPLICATE_WINDOW_MS = 15 * 60_000;

/** The snapshot stream's settings, as {@link NatsSnapshotPublisher} ensures them. */
export interface SnapshotStreamSettings {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly maxAgeMs: number;
  readonly duplicateWindowMs: number;
  readonly replicas: number;
}

/** What `ensureSnapshotStream` did. */
export type EnsureStreamOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the snapshot stream, or brings an existing one to the settings confsnap relies on, and
 * does nothing when it already has them — so every poller instance can call it at start-up.
 *
 * Created: limits retention, file storage, `max_age` as given, no message or byte limit,
 * `discard: new`, the duplicate window as given. On an existing stream it adds the subjects that
 * are not yet covered and sets `max_age`, `duplicate_window` and `discard: new`; it leaves every other
 * setting (retention, storage, replicas, limits an operator added) alone.
 *
 * Why `discard: new`: with age as the only limit, no policy ever discards a message to make room.
 * If an operator later adds `max_bytes` or `max_msgs`, `new` makes a full stream refuse the next
 * snapshot — the publish fails, the scheduler retries later — where `old` would silently evict
 * snapshots the backend has not consumed yet.
 * @internal
 */
export async function ensureSnapshotStream(
  jsm: JetStreamManager,
  settings: SnapshotStreamSettings,
): Promise<EnsureStreamOutcome> {
  let info = await streamInfo(jsm, settings.name);
  if (!info) {
    try {
      await jsm.streams.add(creationConfig(settings));
      return 'created';
    } catch (error) {
      // Another instance created it between our look-up and our add.
      if (apiErrorCode(error) !== STREAM_NAME_IN_USE) throw error;
      info = await jsm.streams.info(settings.name);
    }
  }
  const patch = updatePatch(info.config, settings);
  if (!patch) return 'unchanged';
  await jsm.streams.update(settings.name, patch);
  return 'updated';
}

/**
 * Whether the subject pattern `pattern` matches every subject `subject` matches (both may use
 * `*` and `>`). E.g. `config.snapshot.>` covers `config.snapshot.create.*`.
 * @internal
 */
export function subjectCovers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i]!;
    if (token === '>') return s.length > i;
    const other = s[i];
    if (other === undefined) return false;
    if (token === '*') {
      if (other === '>') return false;
      continue;
    }
    if (token !== other) return false;
  }
  return p.length === s.length;
}

const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

function creationConfig(
  settings: SnapshotStreamSettings,
): Partial<StreamConfig> & { name: string } {
  return {
    name: settings.name,
    subjects: [...settings.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_age: nanos(settings.maxAgeMs),
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    duplicate_window: nanos(settings.duplicateWindowMs),
    num_replicas: settings.replicas,
  };
}

function updatePatch(
  current: StreamConfig,
  settings: SnapshotStreamSettings,
): Partial<StreamUpdateConfig> | undefined {
  const patch: Partial<StreamUpdateConfig> = {};
  const subjects = current.subjects ?? [];
  const missing = settings.subjects.filter(
    (wanted) => !subjects.some((have) => subjectCovers(have, wanted)),
  );
  if (missing.length > 0) patch.subjects = [...subjects, ...missing];
  if (current.max_age !== nanos(settings.maxAgeMs)) patch.max_age = nanos(settings.maxAgeMs);
  if (current.duplicate_window !== nanos(settings.duplicateWindowMs)) {
    patch.duplicate_window = nanos(settings.duplicateWindowMs);
  }
  if (current.discard !== DiscardPolicy.New) patch.discard = DiscardPolicy.New;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (apiErrorCode(error) === STREAM_NOT_FOUND) return undefined;
    throw error;
  }
}

/** A stream limit that makes a stream under `discard: new` refuse the next message. @internal */
export type StreamLimitName = 'max_msgs' | 'max_bytes' | 'max_msgs_per_subject';

/**
 * JetStream's "stream store failed" error code. The server answers it, with status 503, to a
 * publish into a stream under `discard: new` that is full ("maximum messages exceeded", "maximum
 * bytes exceeded", "maximum messages per subject exceeded"), and to store failures such as a
 * disk error. @internal
 */
export const JS_STREAM_STORE_FAILED = 10077;

/**
 * The limit a "stream store failed" answer names, or undefined when it names none (a store
 * failure that may pass). @internal
 */
export function exceededStreamLimit(error: unknown): StreamLimitName | undefined {
  if (apiErrorCode(error) !== JS_STREAM_STORE_FAILED) return undefined;
  const description = (error as { api_error?: { description?: unknown } }).api_error?.description;
  if (typeof description !== 'string') return undefined;
  if (/maximum messages per subject exceeded/iu.test(description)) return 'max_msgs_per_subject';
  if (/maximum messages exceeded/iu.test(description)) return 'max_msgs';
  if (/maximum bytes exceeded/iu.test(description)) return 'max_bytes';
  return undefined;
}

/** The JetStream API `err_code` of a NATS error, if it carries one. @internal */
export function apiErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const apiError = (error as { api_error?: { err_code?: unknown } }).api_error;
  return typeof apiError?.err_code === 'number' ? apiError.err_code : undefined;
}
