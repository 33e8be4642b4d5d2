/**
 * The one timer of the whole fleet: a heap of due attempts and the loop that sleeps until the
 * earliest one and hands it over.
 */
import { linkedAbortController } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { MinHeap } from '../core/heap.js';
import type { DeviceRecord } from './device-record.js';
import type { AttemptCause } from './events.js';

/** The longest single sleep of the loop (about 24 days, the limit of `setTimeout`). */
const MAX_SLEEP_MS = 2_147_483_647;

interface QueuedAttempt {
  readonly at: number;
  /** The record's `gen` when queued: a record scheduled again since leaves this one stale. */
  readonly gen: number;
  readonly record: DeviceRecord;
}

/**
 * Due attempts of every device, earliest first. Each record has at most one live entry
 * (`record.due`); scheduling it again replaces it, and stale heap nodes are dropped when they
 * surface, so rescheduling costs O(log n) without searching the heap.
 */
export class DueQueue {
  readonly #heap = new MinHeap<QueuedAttempt>((a, b) => a.at < b.at);
  #wake: AbortController | undefined;
  #sleepingUntil = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    /** Aborts when the scheduler stops: nothing is scheduled after it, and the loop ends. */
    private readonly stop: AbortSignal,
  ) {}

  /** Makes `record` due at `at` (replacing what was due). Ignored for a removed record or after stop. */
  schedule(record: DeviceRecord, at: number, cause: AttemptCause): void {
    if (record.removed || this.stop.aborted) return;
    record.gen++;
    record.due = { at, cause };
    this.#heap.push({ at, gen: record.gen, record });
    if (at < this.#sleepingUntil) this.#wake?.abort();
  }

  /** Drops a record's pending attempt. */
  cancel(record: DeviceRecord): void {
    record.gen++;
    record.due = undefined;
  }

  /**
   * Runs until stop: whenever an attempt is due, clears `record.due` and calls `onDue` with the
   * record and the cause it was scheduled with.
   */
  async run(onDue: (record: DeviceRecord, cause: AttemptCause) => void): Promise<void> {
    const stop = this.stop;
    while (!stop.aborted) {
      const node = this.#heap.peek();
      if (node && (node.gen !== node.record.gen || node.record.removed)) {
        this.#heap.pop();
        continue;
      }
      const now = this.clock.now();
      if (node && node.at <= now) {
        this.#heap.pop();
        const record = node.record;
        const cause = record.due?.cause ?? 'schedule';
        record.due = undefined;
        onDue(record, cause);
        continue;
      }
      const wake = new AbortController();
      const { controller, dispose } = linkedAbortController(stop, wake.signal);
      this.#wake = wake;
      this.#sleepingUntil = node ? node.at : Number.POSITIVE_INFINITY;
      try {
        await this.clock.sleep(
          node ? Math.min(node.at - now, MAX_SLEEP_MS) : MAX_SLEEP_MS,
          controller.signal,
        );
      } catch {
        // woken early: something was scheduled sooner, or the scheduler stops
      } finally {
        dispose();
        this.#wake = undefined;
        this.#sleepingUntil = Number.POSITIVE_INFINITY;
      }
    }
  }

  /** Ends a sleep at once (the loop then sees the stop signal). */
  wake(): void {
    this.#wake?.abort();
  }

  /** Forgets every queued attempt. */
  clear(): void {
    this.#heap.clear();
  }
}
