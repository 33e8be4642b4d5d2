import { abortReason, onAbort } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { MinHeap } from '../core/heap.js';

interface Sleeper {
  readonly dueAt: number;
  readonly seq: number;
  cancelled: boolean;
  readonly wake: () => void;
}

/**
 * A {@link Clock} that only moves when told to. Sleepers wake in order of due time (ties in the
 * order they started sleeping), and `advance` lets the code woken by one sleeper run before the next
 * sleeper is due, so a schedule behaves as it would in real time — only instantly.
 *
 * @example
 * ```ts
 * const clock = new FakeClock({ now: Date.parse('2026-01-01T00:00:00Z') });
 * const done = clock.sleep(5_000).then(() => 'woke');
 * await clock.advance(4_999); // nothing yet
 * await clock.advance(1);     // now `done` resolves
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #pending = 0;
  readonly #sleepers = new MinHeap<Sleeper>((a, b) =>
    a.dueAt === b.dueAt ? a.seq < b.seq : a.dueAt < b.dueAt,
  );

  /** @param options.now the starting time in ms since the epoch; default 2026-01-01T00:00:00Z. */
  constructor(options: { now?: number } = {}) {
    this.#now = options.now ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        dueAt: this.#now + Math.max(0, Number.isFinite(ms) ? ms : 0),
        seq: this.#seq++,
        cancelled: false,
        wake: () => {
          detach();
          resolve();
        },
      };
      this.#sleepers.push(sleeper);
      this.#pending++;
      const detach = onAbort(signal, () => {
        if (sleeper.cancelled) return;
        sleeper.cancelled = true;
        this.#pending--;
        reject(abortReason(signal!));
      });
    });
  }

  /** Sleepers still waiting (aborted ones are not counted). */
  get pendingSleepers(): number {
    return this.#pending;
  }

  /** When the earliest waiting sleeper is due, or `undefined` when none waits. */
  nextDueAt(): number | undefined {
    this.#dropCancelled();
    return this.#sleepers.peek()?.dueAt;
  }

  /**
   * Moves time forward by `ms`, waking every sleeper due on the way in order. Between wake-ups it
   * lets pending promise callbacks and I/O callbacks run, so a loop that sleeps again is seen.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance() takes ms >= 0, got ${String(ms)}`);
    await this.advanceTo(this.#now + ms);
  }

  /** Like {@link advance}, up to an absolute time. */
  async advanceTo(time: number): Promise<void> {
    if (Number.isNaN(time)) throw new RangeError('advanceTo() takes a time, got NaN');
    await this.#wakeUntil(time, Number.POSITIVE_INFINITY);
  }

  /**
   * Jumps to the next due sleeper and wakes it (and any due at the same time).
   * Returns false when no sleeper waits.
   */
  async runNext(): Promise<boolean> {
    const dueAt = this.nextDueAt();
    if (dueAt === undefined) return false;
    await this.advanceTo(dueAt);
    return true;
  }

  /**
   * Wakes sleepers in order until none is left or `limit` were woken — for "run until idle" tests.
   * Returns how many were woken.
   */
  async runAll(limit = 10_000): Promise<number> {
    let woken = 0;
    while (woken < limit) {
      const dueAt = this.nextDueAt();
      if (dueAt === undefined) break;
      woken += await this.#wakeUntil(dueAt, limit - woken);
    }
    return woken;
  }

  /** Sets the time without waking anyone (e.g. to simulate a wall-clock jump). */
  setNow(time: number): void {
    this.#now = time;
  }

  /** Wakes at most `limit` sleepers due by `time`, in order, then moves to `time`. */
  async #wakeUntil(time: number, limit: number): Promise<number> {
    let woken = 0;
    await settle();
    while (woken < limit) {
      this.#dropCancelled();
      const next = this.#sleepers.peek();
      if (!next || next.dueAt > time) break;
      this.#sleepers.pop();
      this.#pending--;
      next.cancelled = true;
      if (next.dueAt > this.#now) this.#now = next.dueAt;
      next.wake();
      woken++;
      await settle();
    }
    if (time > this.#now) this.#now = time;
    await settle();
    return woken;
  }

  #dropCancelled(): void {
    while (this.#sleepers.peek()?.cancelled) this.#sleepers.pop();
  }
}

/** Lets queued promise callbacks and ready I/O callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
