import type { PublishOptions, PublishReceipt, Snapshot, SnapshotPublisher } from '../core/ports.js';

/** The text a device had before a publish, as the destination held it. */
export interface PreviousConfig {
  text: string;
  /** Whether that text is known to carry no unmasked secret; a diff is made only then. */
  secretsMasked: boolean;
}

/** Options of {@link SnapshotTap}. */
export interface SnapshotTapOptions {
  /**
   * Reads what the destination holds for a device before it is replaced — e.g. the `.cfg` file of
   * a `DirectorySnapshotPublisher` — so that even the first backup after a start has a diff.
   * Errors count as "nothing held".
   */
  readPrevious?: (deviceId: string) => Promise<PreviousConfig | undefined>;
}

/** What a {@link SnapshotTap} tells its listeners after each publish that was acknowledged. */
export interface TappedPublish {
  readonly snapshot: Snapshot;
  readonly receipt: PublishReceipt;
  /** From `readPrevious`, when given. */
  readonly previous: PreviousConfig | undefined;
}

/**
 * A {@link SnapshotPublisher} in front of another one, which lets a notifier see each published
 * configuration (for `includeDiff`). It publishes through the inner publisher unchanged, forwards
 * its `stats()`, and closes it on `close()`.
 *
 * @example
 * ```ts
 * const tap = new SnapshotTap(new DirectorySnapshotPublisher({ dir: './configs' }));
 * const scheduler = new BackupScheduler({ devices, credentials, publisher: tap });
 * const notifier = createNotifier(scheduler, { snapshots: tap, includeDiff: true, webhooks });
 * ```
 */
export class SnapshotTap implements SnapshotPublisher {
  readonly #inner: SnapshotPublisher;
  readonly #readPrevious: SnapshotTapOptions['readPrevious'];
  readonly #listeners = new Set<(published: TappedPublish) => void>();

  constructor(inner: SnapshotPublisher, options: SnapshotTapOptions = {}) {
    this.#inner = inner;
    this.#readPrevious = options.readPrevious;
  }

  async publish(snapshot: Snapshot, options?: PublishOptions): Promise<PublishReceipt> {
    let previous: PreviousConfig | undefined;
    if (this.#readPrevious && this.#listeners.size > 0) {
      previous = await this.#readPrevious(snapshot.deviceId).catch(() => undefined);
    }
    const receipt = await this.#inner.publish(snapshot, options);
    for (const listener of this.#listeners) {
      try {
        listener({ snapshot, receipt, previous });
      } catch {
        // A listener's failure is no failure of the publish.
      }
    }
    return receipt;
  }

  /** The inner publisher's `stats()`, when it has one. */
  stats(): unknown {
    const stats = (this.#inner as { stats?: () => unknown }).stats;
    return typeof stats === 'function' ? stats.call(this.#inner) : undefined;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /** Calls `listener` after every acknowledged publish; returns the function that detaches it. */
  onPublished(listener: (published: TappedPublish) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
