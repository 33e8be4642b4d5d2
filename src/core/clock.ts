import { abortReason, onAbort } from './abort.js';

/**
 * The source of time for everything in confsnap. Inject `FakeClock` from `confsnap/testing` to drive
 * schedules and deadlines in tests without sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with `signal.reason` as soon as `signal` aborts, and
   * releases its timer then.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The longest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example
 * ```ts
 * import { systemClock } from 'confsnap';
 * await systemClock.sleep(1_000, AbortSignal.timeout(5_000));
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      // setTimeout fires after 1 ms for a delay past 2^31 - 1 ms (~24.8 days), so a longer sleep
      // waits in steps.
      let remainingMs = Math.max(0, ms);
      let timer: ReturnType<typeof setTimeout>;
      const wait = (): void => {
        const stepMs = Math.min(remainingMs, MAX_TIMER_MS);
        remainingMs -= stepMs;
        timer = setTimeout(remainingMs > 0 ? wait : done, stepMs);
      };
      const done = (): void => {
        detach();
        resolve();
      };
      const detach = onAbort(signal, () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      });
      wait();
    }),
});
