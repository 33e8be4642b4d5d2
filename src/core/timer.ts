import { systemClock, type Clock } from './clock.js';

/** The longest delay `setTimeout` honours (longer ones fire after 1 ms). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Calls `onExpire` after `ms` on `clock`, unless cancelled first. Returns the cancel function.
 * Built on `clock.sleep`, so a `FakeClock` drives it in tests.
 * @internal
 */
export function startTimer(clock: Clock, ms: number, onExpire: () => void): () => void {
  if (clock === systemClock && ms <= MAX_TIMEOUT_MS) {
    // The hot path of every deadline: a plain timer, without an AbortController whose abort()
    // would build a DOMException with a stack trace each time a deadline is cancelled.
    const timer = setTimeout(onExpire, Math.max(0, ms));
    return () => clearTimeout(timer);
  }
  const controller = new AbortController();
  clock.sleep(ms, controller.signal).then(
    () => {
      if (!controller.signal.aborted) onExpire();
    },
    () => {},
  );
  return () => controller.abort();
}
