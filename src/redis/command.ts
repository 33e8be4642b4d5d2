import { abortReason, onAbort, throwIfAborted } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { startTimer } from '../core/timer.js';
import type { RedisClient } from './client.js';

/**
 * Redis did not answer: the client was not ready, or no reply came within the command timeout.
 * @internal
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** How long one command may take, on which clock, and what cancels it. @internal */
export interface CommandDeadline {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends one command, failing fast. Rejects at once with a {@link RedisUnavailableError} when the
 * client is not ready — without calling `send`, so nothing waits in the client's offline queue —
 * and after `timeoutMs` on the clock when no reply came; with `signal.reason` when `signal` aborts;
 * with the command's own error when it fails in time.
 *
 * A reply that comes after the promise settled is passed to `onLateReply` (a lock taken too late
 * must be given back); a late failure is dropped, so it never becomes an unhandled rejection.
 * @internal
 */
export async function sendCommand<T>(
  redis: Pick<RedisClient, 'status'>,
  what: string,
  send: () => Promise<T>,
  deadline: CommandDeadline,
  onLateReply?: (reply: T) => void,
): Promise<T> {
  const { clock, timeoutMs, signal } = deadline;
  throwIfAborted(signal);
  if (redis.status !== 'ready') {
    throw new RedisUnavailableError(
      `${what}: the Redis client is not ready (status "${redis.status}")`,
    );
  }
  const command = send();
  const outcome = await new Promise<Outcome<T>>((resolve) => {
    let settled = false;
    const finish = (result: Outcome<T>): boolean => {
      if (settled) return false;
      settled = true;
      cancelTimer();
      detachAbort();
      resolve(result);
      return true;
    };
    const cancelTimer = startTimer(clock, timeoutMs, () =>
      finish({
        ok: false,
        error: new RedisUnavailableError(`${what}: Redis did not answer within ${timeoutMs} ms`),
      }),
    );
    const detachAbort = onAbort(signal, () => finish({ ok: false, error: abortReason(signal!) }));
    command.then(
      (reply) => {
        if (!finish({ ok: true, reply })) onLateReply?.(reply);
      },
      // A failure after the deadline is dropped here, so it never becomes an unhandled rejection.
      (error: unknown) => finish({ ok: false, error }),
    );
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.reply;
}

type Outcome<T> = { ok: true; reply: T } | { ok: false; error: unknown };

/** Checks a timeout option at construction: a positive finite number of ms. @internal */
export function checkPositiveMs(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

/** A short description of a failure for a log line: its name and message, never its payload. @internal */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}
