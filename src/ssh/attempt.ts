import { abortReason, onAbort, raceSignal } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { BackupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { startTimer } from '../core/timer.js';
import type { TranscriptListener } from './transcript.js';

/**
 * The shared state of one collection attempt: its abort signal (cancel, time limit, output limit),
 * its output budget and its per-command deadline.
 * @internal
 */
export class Attempt {
  readonly #controller = new AbortController();
  #bytes = 0;
  /** Set once the SSH transport closed or failed: a channel closing after that was cut short. */
  connectionLost = false;
  /** Told everything sent and received, when the caller records the session. */
  transcript: TranscriptListener | undefined;

  constructor(
    readonly deviceId: string,
    readonly target: string,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly commandTimeoutMs: number,
    readonly maxOutputBytes: number,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Ends the attempt with `error` (the first failure wins). */
  fail(error: unknown): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(error);
  }

  /** Bytes received so far, over all channels. */
  get bytesReceived(): number {
    return this.#bytes;
  }

  /**
   * Counts received bytes; past `maxOutputBytes` the attempt fails with `output-too-large`.
   * Returns false when the chunk must be dropped.
   */
  count(bytes: number): boolean {
    this.#bytes += bytes;
    if (this.#bytes <= this.maxOutputBytes) return true;
    this.fail(
      new BackupError({
        kind: 'output-too-large',
        deviceId: this.deviceId,
        message: `${this.deviceId}: the device sent more than maxOutputBytes (${this.maxOutputBytes} bytes); the attempt was aborted without reading the rest — raise maxOutputBytes if the configuration is really that large`,
        details: { maxOutputBytes: this.maxOutputBytes },
      }),
    );
    return false;
  }

  /**
   * Waits for `body` to settle, bounded by `timeoutMs` (rejecting with `onTimeout()`) and by the
   * attempt's signal (rejecting with its reason). `body` returns its own cleanup, run either way.
   */
  wait<T>(
    timeoutMs: number,
    onTimeout: () => BackupError,
    body: (resolve: (value: T) => void, reject: (error: unknown) => void) => (() => void) | void,
  ): Promise<T> {
    if (this.signal.aborted) return Promise.reject(abortReason(this.signal));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let cleanupBody: (() => void) | void = undefined;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        cancelTimer();
        detach();
        cleanupBody?.();
        return true;
      };
      const cancelTimer = startTimer(this.clock, timeoutMs, () => {
        if (finish()) reject(onTimeout());
      });
      const detach = onAbort(this.signal, () => {
        if (finish()) reject(abortReason(this.signal));
      });
      if (settled) return;
      try {
        cleanupBody = body(
          (value) => {
            if (finish()) resolve(value);
          },
          (error) => {
            if (finish()) reject(error);
          },
        );
      } catch (error) {
        // ssh2 throws synchronously, e.g. "Not connected" once the transport is gone.
        if (finish()) reject(this.connectionLost ? this.connectionDropped(error) : error);
        return;
      }
      if (settled) cleanupBody?.();
    });
  }

  /** Settles with `promise`, or rejects with the attempt's abort reason as soon as it aborts. */
  race<T>(promise: Promise<T>): Promise<T> {
    return raceSignal(promise, this.signal);
  }

  /** The `truncated-output` error for a transport that went away between or during commands. */
  connectionDropped(cause?: unknown): BackupError {
    return new BackupError({
      kind: 'truncated-output',
      deviceId: this.deviceId,
      cause,
      message: `${this.deviceId}: the connection to ${this.target} dropped before the configuration was complete; nothing was published`,
    });
  }

  /** The `command-timeout` error for a command. */
  commandTimeout(what: string): BackupError {
    return new BackupError({
      kind: 'command-timeout',
      deviceId: this.deviceId,
      message: `${this.deviceId}: ${what} did not finish within commandTimeoutMs (${this.commandTimeoutMs} ms); the device may be overloaded, or its prompt or pager is not recognised`,
      details: { commandTimeoutMs: this.commandTimeoutMs },
    });
  }
}
