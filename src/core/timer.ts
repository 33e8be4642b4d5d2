import type { Clock } from './clock.js';

/**
 * Calls `onExpire` after `ms` on `clock`, unless cancelled first. Returns the cancel function.
 * Built on `clock.sleep`, so a `FakeClock` drives it in tests.
 * @internal
 */
export function startTimer(clock: Clock, ms: number, onExpire: () => void): () => void {
  const controller = new AbortController();
  clock.sleep(ms, controller.signal).then(
    () => {
      if (!controller.signal.aborted) onExpire();
    },
    () => {},
  );
  return () => controller.abort();
}
