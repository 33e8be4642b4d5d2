import { abortReason, onAbort } from '../core/abort.js';
import type { BackoffPolicy } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';

/** What to do after a failed send. */
export type SendFailure =
  /**
   * Keep the item at its place and send it again after a backoff (same item, same msg id). With
   * `isolate`, the destination may have refused this very item (or one sent with it): it is sent
   * again on its own, with nothing else in flight, so that the next failure can be pinned on it
   * and the other items no longer suffer for it.
   */
  | { readonly retry: true; readonly isolate?: boolean }
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
  /**
   * Sends one item; resolves when the destination acknowledged it. `alone` is true when nothing
   * else is in flight and nothing else will be sent until this send settles.
   */
  readonly send: (item: T, alone: boolean) => Promise<R>;
  /** Decides what a send's rejection means; `alone` as it was for that send. */
  readonly classify: (error: unknown, item: T, alone: boolean) => SendFailure;
  /** Called when sends start failing (once per outage). */
  readonly onOutage?: (error: unknown, waiting: number) => void;
  /** Called when a send succeeds again after an outage. */
  readonly onRecovery?: (outageMs: number, waiting: number) => void;
}

interface Entry<T, R> {
  readonly item: T;
  readonly bytes: number;
  sending: boolean;
  /** To be sent on its own next (see {@link SendFailure}). */
  isolate: boolean;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
  detachAbort: () => void;
}

/**
 * A bounded FIFO of items that must be acknowledged, sent with a window of concurrent sends and
 * retried after a backoff until acknowledged, aborted or closed. It never drops an item to make
 * room: when full, {@link Outbox.hasRoomFor} says no and the caller rejects the new item.
 *
 * No item can hold up the others for good: an item classified `isolate` is sent again on its own
 * (the others wait only for that one send), so a refusal it causes is pinned on it, and `classify`
 * can then fail it while the others go on.
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
  /** A send that must stay alone is in flight. */
  #alone = false;
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
        isolate: false,
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

  /** Starts sends while the window allows; an item to isolate goes first, on its own. */
  #pump(): void {
    if (this.#closed || this.#backingOff || this.#alone) return;
    for (const entry of this.#entries) {
      if (!entry.isolate || entry.sending) continue;
      // Let the sends in flight settle first; nothing new starts meanwhile.
      if (this.#inFlight === 0) this.#send(entry, true);
      return;
    }
    // While sends fail, one probe at a time goes out: it is alone as well.
    const probing = this.#consecutiveFailures > 0 || this.#options.maxInFlight === 1;
    const window = probing ? 1 : this.#options.maxInFlight;
    for (const entry of this.#entries) {
      if (this.#inFlight >= window) return;
      if (!entry.sending) this.#send(entry, probing);
    }
  }

  #send(entry: Entry<T, R>, alone: boolean): void {
    entry.sending = true;
    this.#inFlight++;
    this.#alone = alone;
    const send = (async () => this.#options.send(entry.item, alone))().then(
      (result) => this.#onSent(entry, result),
      (error: unknown) => this.#onFailed(entry, error, alone),
    );
    const tracked = send.finally(() => {
      this.#inFlight--;
      if (alone) this.#alone = false;
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

  #onFailed(entry: Entry<T, R>, error: unknown, alone: boolean): void {
    entry.sending = false;
    // Aborted by its caller or rejected by close(): the outcome no longer matters to anyone.
    if (this.#closed || !this.#entries.has(entry)) return;
    const failure = this.#options.classify(error, entry.item, alone);
    if (!failure.retry) {
      this.#settle(entry, false, failure.error);
      return;
    }
    if (failure.isolate) entry.isolate = true;
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
