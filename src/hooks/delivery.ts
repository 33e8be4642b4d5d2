/** Delivering one notification to one target: an HTTP POST, or a command run without a shell. */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { Clock } from '../core/clock.js';
import { linkedAbortController } from '../core/abort.js';
import { startTimer } from '../core/timer.js';
import type { NotificationEvent, Notification } from './notification.js';
import { notificationEnv } from './notification.js';

/** A webhook: every notification of `events` is POSTed to `url` as JSON. */
export interface WebhookTarget {
  /** An `http:` or `https:` URL. Logs and errors name only its origin (the path may hold a token). */
  url: string;
  /** The events to deliver. Default: all. */
  events?: readonly NotificationEvent[];
  /** Extra request headers, e.g. `authorization`. Never logged. */
  headers?: Readonly<Record<string, string>>;
  /** How long one POST may take. Default 10 s. */
  timeoutMs?: number;
}

/**
 * A command run for every notification of `events` — directly, never through a shell, with the
 * `CONFSNAP_*` variables of `notificationEnv` and the notification's JSON on stdin.
 */
export interface ExecTarget {
  /** The program: a path, or a name looked up on `PATH`. */
  command: string;
  args?: readonly string[];
  /** The events to deliver. Default: all. */
  events?: readonly NotificationEvent[];
  /**
   * More environment variables. The command gets only these, `PATH`, `HOME`, `LANG`, `TZ` and
   * the `CONFSNAP_*` ones: not the whole environment of the process, which may hold secrets.
   */
  env?: Readonly<Record<string, string>>;
  /** How long the command may run before it is killed (a failure). Default 30 s. */
  timeoutMs?: number;
}

/** Either kind of target. */
export type HookTarget = ({ type: 'webhook' } & WebhookTarget) | ({ type: 'exec' } & ExecTarget);

/** A delivery that did not work, and whether trying again may help. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

/** How a target is named in logs and errors: a webhook's origin, an exec's program name. */
export function describeTarget(target: HookTarget): string {
  if (target.type === 'exec') return `exec ${basename(target.command)}`;
  try {
    return `webhook ${new URL(target.url).origin}`;
  } catch {
    return 'webhook (invalid URL)';
  }
}

/** Delivers `notification` to `target`; rejects with a {@link DeliveryError}. */
export function deliver(
  target: HookTarget,
  notification: Notification,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  return target.type === 'webhook'
    ? postWebhook(target, notification, clock, signal)
    : runExec(target, notification, clock, signal);
}

async function postWebhook(
  target: WebhookTarget,
  notification: Notification,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  const timeoutMs = target.timeoutMs ?? 10_000;
  const bound = linkedAbortController(signal);
  const cancelTimer = startTimer(clock, timeoutMs, () =>
    bound.controller.abort(new DeliveryError(`no answer within ${timeoutMs} ms`, true)),
  );
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'confsnap',
        ...target.headers,
      },
      body: JSON.stringify(notification),
      signal: bound.controller.signal,
      redirect: 'error',
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => {});
    if (!response.ok) {
      const retryable =
        response.status >= 500 || response.status === 408 || response.status === 429;
      throw new DeliveryError(`answered HTTP ${response.status}`, retryable);
    }
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    const reason: unknown = bound.controller.signal.reason;
    if (reason instanceof DeliveryError) throw reason;
    if (signal.aborted) throw new DeliveryError('cancelled', false);
    // fetch's own errors name the URL in some versions: keep only their cause's code.
    throw new DeliveryError(`request failed (${networkCode(error)})`, true);
  } finally {
    cancelTimer();
    bound.dispose();
  }
}

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof TypeError ? 'network error' : 'error';
}

const PASSED_ENV = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

function runExec(
  target: ExecTarget,
  notification: Notification,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  const timeoutMs = target.timeoutMs ?? 30_000;
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, target.env, notificationEnv(notification));
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(new DeliveryError('cancelled', false));
      return;
    }
    let settled = false;
    let failure: DeliveryError | undefined;
    const child = spawn(target.command, [...(target.args ?? [])], {
      env,
      shell: false,
      stdio: ['pipe', 'ignore', 'ignore'],
      windowsHide: true,
    });
    const kill = (why: DeliveryError) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const cancelTimer = startTimer(clock, timeoutMs, () =>
      kill(new DeliveryError(`did not finish within ${timeoutMs} ms; killed`, true)),
    );
    const onAbort = () => kill(new DeliveryError('cancelled', false));
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (error: DeliveryError | undefined) => {
      if (settled) return;
      settled = true;
      cancelTimer();
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(new DeliveryError(`could not start (${error.code ?? 'error'})`, false)),
    );
    child.on('close', (code, killedBy) => {
      if (failure) finish(failure);
      else if (code === 0) finish(undefined);
      else
        finish(new DeliveryError(code === null ? `killed by ${killedBy}` : `exited ${code}`, true));
    });
    // A command that does not read its stdin closes it early: that is no failure.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(notification));
  });
}
