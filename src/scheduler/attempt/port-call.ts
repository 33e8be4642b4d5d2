import { linkedAbortController, raceSignal } from '../../core/abort.js';
import type { Clock } from '../../core/clock.js';
import { startTimer } from '../../core/timer.js';

/**
 * Calls a port (a user's device source, gate, store…) and settles with it, or with `signal.reason`
 * as soon as `signal` aborts — even when the port never settles and ignores its signal. A port that
 * throws instead of rejecting rejects here.
 */
export function callPort<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(call());
  } catch (error) {
    pending = Promise.reject(error);
  }
  return raceSignal(pending, signal);
}

/**
 * A signal for a port call outside an attempt: it aborts on `stop`, on `signal`, or after
 * `limitMs` (with `timeoutMessage`). Call `dispose()` when the call settled.
 */
export function portBound(
  clock: Clock,
  limitMs: number,
  stop: AbortSignal,
  signal: AbortSignal | undefined,
  timeoutMessage: string,
): { signal: AbortSignal; dispose: () => void } {
  const linked = linkedAbortController(stop, signal);
  const cancel = startTimer(clock, limitMs, () =>
    linked.controller.abort(new Error(timeoutMessage)),
  );
  return {
    signal: linked.controller.signal,
    dispose: () => {
      cancel();
      linked.dispose();
    },
  };
}
