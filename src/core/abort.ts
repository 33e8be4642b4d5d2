import { setMaxListeners } from 'node:events';

/**
 * Small helpers for `AbortSignal`s. Internal: not part of the public surface.
 * @internal
 */

/** The reason an aborted signal carries, or a generic `AbortError` when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Throws `signal.reason` when the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * Calls `onAbort` once when `signal` aborts and returns a function that detaches the listener.
 * Detaching matters: a long-lived signal (a scheduler's) would otherwise collect one listener per
 * operation.
 */
export function onAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return noop;
  if (signal.aborted) {
    onAbort();
    return noop;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/**
 * A controller whose signal aborts when any of `parents` aborts, with that parent's reason.
 * Call `dispose()` when done so the parents forget it.
 */
export function linkedAbortController(...parents: (AbortSignal | undefined)[]): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  const detachers: (() => void)[] = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(abortReason(parent));
      break;
    }
    detachers.push(onAbort(parent, () => controller.abort(abortReason(parent))));
  }
  return {
    controller,
    dispose: () => {
      for (const detach of detachers) detach();
      detachers.length = 0;
    },
  };
}

/**
 * An AbortController whose signal may have any number of listeners without Node's "possible
 * memory leak" warning — for long-lived signals that every operation of a busy component listens
 * to (and detaches from when done).
 */
export function unlimitedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts — for calls
 * into code that may not honour a signal itself (a user's port, a publisher).
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const detach = onAbort(signal, () => {
      promise.catch(() => {});
      reject(abortReason(signal));
    });
    promise.then(
      (value) => {
        detach();
        resolve(value);
      },
      (error: unknown) => {
        detach();
        reject(error);
      },
    );
  });
}

function noop(): void {}
