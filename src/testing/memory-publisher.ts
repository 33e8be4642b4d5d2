import { abortReason, onAbort } from '../core/abort.js';
import { BackupError } from '../core/errors.js';
import {
  validateSnapshot,
  type PublishOptions,
  type PublishReceipt,
  type Snapshot,
  type SnapshotPublisher,
} from '../publish/snapshot.js';
import { admitSnapshot } from '../publish/admission.js';

/** Options of {@link MemorySnapshotPublisher.fail}. */
export interface MemoryPublisherFailOptions {
  /** How many of the next publishes fail. Default: every one until `recover()`. */
  times?: number;
  /**
   * What they reject with: a value, or a function of the snapshot. Default: a `publish-failed`
   * BackupError naming the device.
   */
  error?: unknown;
}

interface Stalled {
  readonly release: () => void;
}

/**
 * A {@link SnapshotPublisher} that keeps snapshots in memory, for tests. It validates snapshots
 * like the real publishers do (so a test fails on a hash that does not match its text), records
 * every acknowledged one in order, reports `duplicate: true` for a device and hash it already
 * holds (like JetStream's dedup, with an endless window), and can be told to fail or to stall.
 *
 * @example
 * ```ts
 * const publisher = new MemorySnapshotPublisher();
 * publisher.fail({ times: 1 });            // the next publish rejects with publish-failed
 * publisher.stall();                        // later publishes wait …
 * publisher.resume();                       // … until resumed (or their signal aborts)
 * expect(publisher.latest('rtr-1')?.sha256).toBe(expectedHash);
 * ```
 */
export class MemorySnapshotPublisher implements SnapshotPublisher {
  readonly #snapshots: Snapshot[] = [];
  readonly #stored = new Set<string>();
  readonly #stalled = new Set<Stalled>();
  #failuresLeft = 0;
  #failWith: unknown;
  #stalling = false;
  #closed = false;
  #calls = 0;

  /** Every acknowledged snapshot, oldest first (duplicates included). */
  get snapshots(): readonly Snapshot[] {
    return this.#snapshots;
  }

  /** How many times `publish` was called, whatever came of it. */
  get calls(): number {
    return this.#calls;
  }

  /** Publishes waiting because of {@link stall}. */
  get stalledCount(): number {
    return this.#stalled.size;
  }

  /** The last acknowledged snapshot of `deviceId`. */
  latest(deviceId: string): Snapshot | undefined {
    return this.#snapshots.findLast((snapshot) => snapshot.deviceId === deviceId);
  }

  /** Makes the next publishes reject (see {@link MemoryPublisherFailOptions}). */
  fail(options: MemoryPublisherFailOptions = {}): void {
    const times = options.times ?? Number.POSITIVE_INFINITY;
    if (!(times >= 0)) throw new RangeError(`times must be >= 0, got ${String(times)}`);
    this.#failuresLeft = times;
    this.#failWith = options.error;
  }

  /** Makes later publishes wait until {@link resume}, {@link recover}, their signal aborts, or {@link close}. */
  stall(): void {
    this.#stalling = true;
  }

  /** Lets every stalled publish continue, and later ones go through at once. */
  resume(): void {
    this.#stalling = false;
    for (const stalled of [...this.#stalled]) stalled.release();
  }

  /** Undoes {@link fail} and {@link stall}. */
  recover(): void {
    this.#failuresLeft = 0;
    this.#failWith = undefined;
    this.resume();
  }

  /** Forgets every recorded snapshot. */
  clear(): void {
    this.#snapshots.length = 0;
    this.#stored.clear();
  }

  /**
   * Records `snapshot` and resolves with `{ stream: 'memory', seq, duplicate }` — or rejects as
   * told: with the `fail` error, `publish-failed` for an invalid snapshot or after `close()`,
   * `signal.reason` when `signal` aborts (also while stalled).
   */
  async publish(snapshot: Snapshot, options: PublishOptions = {}): Promise<PublishReceipt> {
    const { signal } = options;
    this.#calls++;
    const { deviceId } = admitSnapshot(snapshot, {
      publisher: 'MemorySnapshotPublisher',
      closed: this.#closed,
      signal,
      notDone: 'published',
      check: validateSnapshot,
    });
    if (this.#stalling) await this.#waitForResume(deviceId, signal);
    if (this.#failuresLeft > 0) {
      this.#failuresLeft--;
      const error = this.#failWith;
      const failure: unknown =
        typeof error === 'function'
          ? (error as (snapshot: Snapshot) => unknown)(snapshot)
          : (error ??
            new BackupError({
              kind: 'publish-failed',
              deviceId,
              message: `MemorySnapshotPublisher was told to fail; the snapshot of device ${deviceId} was not published`,
            }));
      throw failure;
    }
    const msgId = `${snapshot.deviceId}:${snapshot.sha256}`;
    const duplicate = this.#stored.has(msgId);
    this.#stored.add(msgId);
    this.#snapshots.push(snapshot);
    return { stream: 'memory', seq: this.#snapshots.length, duplicate };
  }

  /** Rejects stalled publishes with a `cancelled` BackupError; later publishes reject. */
  close(): Promise<void> {
    this.#closed = true;
    for (const stalled of [...this.#stalled]) stalled.release();
    return Promise.resolve();
  }

  /** Same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #waitForResume(deviceId: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stalled: Stalled = {
        release: () => {
          this.#stalled.delete(stalled);
          detach();
          if (this.#closed) {
            reject(
              new BackupError({
                kind: 'cancelled',
                deviceId,
                message: `MemorySnapshotPublisher was closed while the snapshot of device ${deviceId} was stalled`,
              }),
            );
          } else resolve();
        },
      };
      this.#stalled.add(stalled);
      const detach = onAbort(signal, () => {
        if (this.#stalled.delete(stalled)) reject(abortReason(signal!));
      });
    });
  }
}
