/**
 * What every publisher checks before it takes a snapshot on, in one order, with one wording:
 * the caller's signal, the publisher's own state, then the snapshot itself. Internal: the built-in
 * publishers share it; not part of the public surface.
 * @internal
 */
import { abortReason } from '../core/abort.js';
import { BackupError } from '../core/errors.js';
import type { Snapshot } from './snapshot.js';

/** How {@link admitSnapshot} checks one publish. */
export interface SnapshotAdmission<Checked> {
  /** The publisher's class name, for the errors, e.g. `NatsSnapshotPublisher`. */
  readonly publisher: string;
  /** Whether the publisher was closed: then nothing is admitted. */
  readonly closed: boolean;
  /** The caller's signal: an aborted one wins over every other check. */
  readonly signal: AbortSignal | undefined;
  /** What did not happen to a refused snapshot, for the errors: `published` or `written`. */
  readonly notDone: 'published' | 'written';
  /**
   * Validates the snapshot and returns what the publisher needs of it (its wire JSON, say);
   * throws with a message naming the field — never the configuration text.
   */
  readonly check: (snapshot: Snapshot) => Checked;
}

/** What {@link admitSnapshot} found. */
export interface AdmittedSnapshot<Checked> {
  /** The snapshot's device id, or `(unknown)`: what later errors of this publish name. */
  readonly deviceId: string;
  /** What {@link SnapshotAdmission.check} returned. */
  readonly checked: Checked;
}

/**
 * Admits `snapshot` for publishing or throws: `signal.reason` when the signal has aborted; a
 * `publish-failed` {@link BackupError} when the publisher is closed, or when `check` throws (the
 * error is its `cause`).
 *
 * @example
 * ```ts
 * const { deviceId } = admitSnapshot(snapshot, {
 *   publisher: 'MemorySnapshotPublisher',
 *   closed: this.#closed,
 *   signal,
 *   notDone: 'published',
 *   check: validateSnapshot,
 * });
 * ```
 */
export function admitSnapshot<Checked>(
  snapshot: Snapshot,
  admission: SnapshotAdmission<Checked>,
): AdmittedSnapshot<Checked> {
  const { publisher, closed, signal, notDone } = admission;
  if (signal?.aborted) throw abortReason(signal);
  const deviceId = typeof snapshot?.deviceId === 'string' ? snapshot.deviceId : '(unknown)';
  if (closed) {
    throw new BackupError({
      kind: 'publish-failed',
      deviceId,
      message: `${publisher} is closed; the snapshot of device ${deviceId} was not ${notDone}`,
    });
  }
  try {
    return { deviceId, checked: admission.check(snapshot) };
  } catch (error) {
    throw new BackupError({
      kind: 'publish-failed',
      deviceId,
      message: `invalid snapshot, not ${notDone}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
