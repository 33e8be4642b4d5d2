import { abortReason, onAbort } from '../core/abort.js';
import type { BackoffPolicy } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';

/** What to do after a failed send. */
export type SendFailure =
  /** Keep the item at its place and send it again after a backoff (same item, same msg id). */
  | { readonly retry: true }
  /** Give up on this item: its publish rejects with `error`. */
  | { readonly retry: false; readonly error: unknown };

/** Options of {@link Outbox}. @internal */
export interface OutboxOptions<T, R> {
  /** Most items waiting at once (queued or in flight). */
  readonly maxItems: number;
  /** Most bytes waiting at once. */
  readonly maxBytes: number;
  /** Most sends in flight at once while healthy; after a failure only one probes until one succeeds. */
  readonly maxInFlight: number;
  readonly clock: Clock;
  /** Delay before the next send after `n` consecutive failed rounds. */
  readonly backoff: BackoffPolicy;
  /** Sends one item; resolves when the destination acknowledged it. */
  readonly send: (item: T) => Promise<R>;
  /** Decides what a send's rejection means. */
  readonly classify: (error: unknown, item: T) => SendFailure;
  /** Called when sends start failing (once per outage). */
  readonly onOutage?: (error: unknown, waiting: number) => void;
  /** Called when a send succeeds again after an outage. */
  readonly onRecovery?: (outageMs: number, waiting: number) => void;
}

interface Entry<T, R> {
  readonly item: T;
  readonly bytes: number;
  sending: boolean;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
  detachAbort: () => void;
}

/**
 * A bounded FIFO of items that must be acknowledged, sent with a window of concurrent sends and
 * retried after a backoff until acknowledged, aborted or closed. It never drops an item to make
 * room: when full, {@link Outbox.hasRoomFor} says no and the caller rejects the new item.
 *
 * Retry timing comes from the injected {@link Clock}, so tests drive it with `FakeClock`.
 * @internal
 */
export class Outbox<T, R> {
  readonly #options: OutboxOptions<T, R>;
  // A Set keeps insertion order (FIFO) and removes an aborted entry in O(1).
  readonly #entries = new Set<Entry<T, R>>();
  readonly #sends = new Set<Promise<void>>();
  readonly #closeController = new AbortController();
  #bytes = 0;
  #inFlight = 0;
  #retries = 0;
  #consecutiveFailures = 0;
  #outageStartedAt: number | undefined;
  #backingOff = false;
  #closed = false;

  constructor(options: OutboxOptions<T, R>) {
    for (const name of ['maxItems', 'maxBytes', 'maxInFlight'] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`outbox ${name} must be an integer >= 1, got ${String(value)}`);
      }
    }
    this.#options = options;
  }

  /** Items waiting for an acknowledgement (queued or in flight). */
  get length(): number {
    return this.#entries.size;
  }

  /** Bytes of the items waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Sends that failed in a retryable way and were queued again. */
  get retries(): number {
    return this.#retries;
  }

  /** Sends in flight, including those whose caller stopped waiting. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Whether an item of `bytes` fits now. */
  hasRoomFor(bytes: number): boolean {
    return (
      this.#entries.size < this.#options.maxItems && this.#bytes + bytes <= this.#options.maxBytes
    );
  }

  /**
   * Queues `item` and resolves with what `send` resolved with once it is acknowledged. Rejects with
   * the classified error, with `signal.reason` when `signal` aborts first (a queued item leaves the
   * queue; an item in flight is no longer retried), or with `closeError` after {@link close}.
   * The caller checks {@link hasRoomFor} first; `push` does not.
   */
  push(item: T, bytes: number, signal?: AbortSignal): Promise<R> {
    if (this.#closed) return Promise.reject(new Error('outbox is closed'));

    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<R>((resolve, reject) => {
      const entry: Entry<T, R> = {
        item,
        bytes,
        sending: false,
        resolve,
        reject,
        detachAbort: noop,
      };
      this.#entries.add(entry);
      this.#bytes += bytes;
      entry.detachAbort = onAbort(signal, () => this.#settle(entry, false, abortReason(signal!)));
      this.#pump();
    });
  }

  /**
   * Stops sending and retrying, rejects every waiting item with `closeError(item)`, and resolves
   * once the sends in flight have settled (their outcome is then ignored). No timer is left.
   */
  async close(closeError: (item: T) => unknown): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#closeController.abort();
      for (const entry of [...this.#entries]) this.#settle(entry, false, closeError(entry.item));
    }
    await Promise.allSettled([...this.#sends]);
  }

  /** Starts sends while the window allows. */
  #pump(): void {
    if (this.#closed || this.#backingOff) return;
    const window = this.#consecutiveFailures === 0 ? this.#options.maxInFlight : 1;
    for (const entry of this.#entries) {
      if (this.#inFlight >= window) return;
      if (!entry.sending) this.#send(entry);
    }
  }

  #send(entry: Entry<T, R>): void {
    entry.sending = true;
    this.#inFlight++;
    const send = (async () => this.#options.send(entry.item))().then(
      (result) => this.#onSent(entry, result),
      (error: unknown) => this.#onFailed(entry, error),
    );
    const tracked = send.finally(() => {
      this.#inFlight--;
      this.#sends.delete(tracked);
      this.#pump();
    });
    this.#sends.add(tracked);
  }

  #onSent(entry: Entry<T, R>, result: R): void {
    this.#settle(entry, true, result);
    if (this.#consecutiveFailures > 0) {
      const outageMs = this.#options.clock.now() - (this.#outageStartedAt ?? 0);
      this.#consecutiveFailures = 0;
      this.#outageStartedAt = undefined;
      this.#options.onRecovery?.(outageMs, this.#entries.size);
    }
  }

  #onFailed(entry: Entry<T, R>, error: unknown): void {
    entry.sending = false;
    // Aborted by its caller or rejected by close(): the outcome no longer matters to anyone.
    if (this.#closed || !this.#entries.has(entry)) return;
    const failure = this.#options.classify(error, entry.item);
    if (!failure.retry) {
      this.#settle(entry, false, failure.error);
      return;
    }
    this.#retries++;
    if (this.#backingOff) return; // this round already counts as one failure
    if (this.#consecutiveFailures === 0) {
      this.#outageStartedAt = this.#options.clock.now();
      this.#options.onOutage?.(error, this.#entries.size);
    }
    this.#consecutiveFailures++;
    this.#backingOff = true;
    this.#options.clock
      .sleep(this.#options.backoff.delay(this.#consecutiveFailures), this.#closeController.signal)
      .then(
        () => {
          this.#backingOff = false;
          this.#pump();
        },
        () => {
          // close() aborted the backoff: nothing more to send.
        },
      );
  }

  #settle(entry: Entry<T, R>, ok: true, value: R): void;
  #settle(entry: Entry<T, R>, ok: false, value: unknown): void;
  #settle(entry: Entry<T, R>, ok: boolean, value: unknown): void {
    if (!this.#entries.delete(entry)) return;
    this.#bytes -= entry.bytes;
    entry.detachAbort();
    if (ok) entry.resolve(value as R);
    else entry.reject(value);
  }
}

function noop(): void {}
