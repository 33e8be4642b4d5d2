import { createHash } from 'node:crypto';
import type { createTwoFilesPatch as CreateTwoFilesPatch } from 'diff';
import { ExponentialBackoff, type BackoffPolicy } from '../core/backoff.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { abortReason, unlimitedController } from '../core/abort.js';
import type { Snapshot } from '../core/ports.js';
import type { SchedulerEvents } from '../scheduler/events.js';
import type { BackupScheduler } from '../scheduler/scheduler.js';
import {
  deliver,
  DeliveryError,
  describeTarget,
  type ExecTarget,
  type HookTarget,
  type WebhookTarget,
} from './delivery.js';
import {
  NOTIFICATION_EVENTS,
  type Notification,
  type NotificationEvent,
  type RunSummary,
} from './notification.js';
import type { PreviousConfig, SnapshotTap } from './snapshot-tap.js';

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  webhooks?: readonly WebhookTarget[];
  execs?: readonly ExecTarget[];
  /** `backup-failed` is sent when a device has failed this many times in a row. Default 3. */
  failureThreshold?: number;
  /**
   * Put a unified diff of the change into `config-changed` notifications — only when both versions
   * had their secrets masked (SPEC §9). Needs `snapshots`. Default `false`. The notifier then keeps
   * the last configuration of each device in memory (up to `maxDiffInputBytes` each).
   */
  includeDiff?: boolean;
  /** The publisher tap that shows the notifier each published configuration (see `includeDiff`). */
  snapshots?: SnapshotTap;
  /** Configurations larger than this are not diffed (`diffOmitted: 'too-large'`). Default 1 MiB. */
  maxDiffInputBytes?: number;
  /** Deliveries waiting at most; more are dropped and counted. Default 1000. */
  queueSize?: number;
  /** Deliveries in progress at once. Default 4. */
  concurrency?: number;
  /** Tries per delivery after the first one, for failures that may pass. Default 3. */
  retries?: number;
  /** The wait before each retry. Default exponential from 1 s, at most 1 min. */
  backoff?: BackoffPolicy;
  /** Drives timeouts and backoff. Default the system clock. */
  clock?: Clock;
  /** Failed deliveries are logged here: the event, the device and the target's origin only. */
  logger?: Logger;
}

/** Counters of a {@link Notifier}. */
export interface NotifierStats {
  delivered: number;
  /** Deliveries that failed after their last try. */
  failed: number;
  /** Deliveries dropped: the queue was full, or the notifier was closed before them. */
  dropped: number;
  /** Deliveries waiting or in progress. */
  queued: number;
}

/** What {@link createNotifier} returns. */
export interface Notifier {
  /** Sends `run-finished` with the counts of a one-shot run. */
  runFinished(summary: RunSummary): void;
  stats(): NotifierStats;
  /** Resolves once every delivery queued so far has been delivered, failed or dropped. */
  flush(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Stops listening; waits up to `graceMs` (default 5 s) for queued deliveries, then aborts the rest
   * (counted as dropped). Calling it again has no further effect.
   */
  close(options?: { graceMs?: number }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Job {
  readonly target: HookTarget;
  readonly notification: () => Promise<Notification>;
}

/**
 * Subscribes to a scheduler's events and delivers notifications about them to webhooks and
 * commands: `config-changed`, `backup-failed` (after `failureThreshold` failures in a row),
 * `device-blocked`, `device-healthy` (a success after one of those two), and `run-finished`
 * (through {@link Notifier.runFinished}). A backup never waits for a delivery: events only put
 * deliveries into a bounded queue, worked off in the background with retries and backoff.
 *
 * @throws {TypeError} on an invalid option or target (the message names it); {Error} when the
 * scheduler is stopped.
 *
 * @example
 * ```ts
 * const notifier = createNotifier(scheduler, {
 *   webhooks: [{ url: 'https://chat.example.net/hooks/backup', events: ['config-changed'] }],
 *   execs: [{ command: '/usr/local/bin/on-change', args: ['--quiet'], timeoutMs: 10_000 }],
 * });
 * // … at shutdown, after scheduler.stop():
 * await notifier.close();
 * ```
 */
export function createNotifier(scheduler: BackupScheduler, options: NotifierOptions): Notifier {
  if (scheduler.stopped) throw new Error('createNotifier: the scheduler is stopped');
  const targets = checkTargets(options);
  const failureThreshold = positiveInteger('failureThreshold', options.failureThreshold, 3);
  const queueSize = positiveInteger('queueSize', options.queueSize, 1000);
  const concurrency = positiveInteger('concurrency', options.concurrency, 4);
  const retries = nonNegativeInteger('retries', options.retries, 3);
  const maxDiffInputBytes = positiveInteger(
    'maxDiffInputBytes',
    options.maxDiffInputBytes,
    2 ** 20,
  );
  const includeDiff = options.includeDiff === true;
  if (includeDiff && !options.snapshots) {
    throw new TypeError(
      'createNotifier: includeDiff needs snapshots (a SnapshotTap in front of the publisher)',
    );
  }
  const backoff = options.backoff ?? new ExponentialBackoff({ initialMs: 1_000, maxMs: 60_000 });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const closing = unlimitedController();

  const counts = { delivered: 0, failed: 0, dropped: 0 };
  const waiting: Job[] = [];
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  let closed: Promise<void> | undefined;

  const settleIdle = () => {
    if (waiting.length > 0 || running > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const enqueue = (event: NotificationEvent, build: () => Notification | Promise<Notification>) => {
    if (closed) return;
    // Built once, at its first delivery, and shared by every target: a diff is computed off the
    // backup's path, and only once.
    let built: Promise<Notification> | undefined;
    const notification = () => (built ??= Promise.resolve().then(build));
    for (const target of targets) {
      if (target.events && !target.events.includes(event)) continue;
      if (waiting.length >= queueSize) {
        counts.dropped++;
        logger.warn(
          { event, target: describeTarget(target), queueSize },
          'notification dropped: the queue is full',
        );
        continue;
      }
      waiting.push({ target, notification });
    }
    pump();
  };

  const pump = () => {
    while (running < concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      running++;
      void run(job).finally(() => {
        running--;
        pump();
        settleIdle();
      });
    }
  };

  const run = async (job: Job) => {
    let notification: Notification;
    try {
      notification = await job.notification();
    } catch {
      counts.failed++;
      logger.error({ target: describeTarget(job.target) }, 'notification could not be built');
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await deliver(job.target, notification, clock, closing.signal);
        counts.delivered++;
        return;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError('failed', true);
        if (closing.signal.aborted) {
          counts.dropped++;
          return;
        }
        if (!failure.retryable || attempt >= retries) {
          counts.failed++;
          logger.warn(
            {
              event: notification.event,
              deviceId: notification.deviceId,
              target: describeTarget(job.target),
              tries: attempt + 1,
            },
            `notification not delivered: ${describeTarget(job.target)} ${failure.message}`,
          );
          return;
        }
        try {
          await clock.sleep(backoff.delay(attempt + 1), closing.signal);
        } catch {
          counts.dropped++;
          return;
        }
      }
    }
  };

  const detach = listen(scheduler, {
    failureThreshold,
    includeDiff,
    maxDiffInputBytes,
    snapshots: options.snapshots,
    now: () => new Date(clock.now()).toISOString(),
    enqueue,
  });

  const flush = (flushOptions: { signal?: AbortSignal } = {}) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0 && running === 0) {
        resolve();
        return;
      }
      const signal = flushOptions.signal;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        idleWaiters = idleWaiters.filter((wake) => wake !== done);
        reject(abortReason(signal!));
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      idleWaiters.push(done);
    });

  const close = (closeOptions: { graceMs?: number } = {}) =>
    (closed ??= (async () => {
      detach();
      const grace = new AbortController();
      await Promise.race([
        flush(),
        clock.sleep(closeOptions.graceMs ?? 5_000, grace.signal).catch(() => {}),
      ]);
      grace.abort();
      counts.dropped += waiting.length;
      waiting.length = 0;
      closing.abort(new DeliveryError('the notifier is closed', false));
      await flush();
    })());

  return {
    runFinished(summary) {
      const at = new Date(clock.now()).toISOString();
      const counted = { ...summary };
      enqueue('run-finished', () => ({ event: 'run-finished', at, summary: counted }));
    },
    stats: () => ({ ...counts, queued: waiting.length + running }),
    flush,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}

interface ListenContext {
  failureThreshold: number;
  includeDiff: boolean;
  maxDiffInputBytes: number;
  snapshots: SnapshotTap | undefined;
  now: () => string;
  enqueue: (event: NotificationEvent, build: () => Notification | Promise<Notification>) => void;
}

interface Published {
  snapshot: Snapshot;
  previous: PreviousConfig | undefined;
}

type Payload<E extends keyof SchedulerEvents> = Parameters<SchedulerEvents[E]>[0];

/** Turns scheduler events into notifications; returns the function that stops listening. */
function listen(scheduler: BackupScheduler, ctx: ListenContext): () => void {
  // Devices reported failed or blocked, until their next success.
  const unhealthy = new Set<string>();
  // The last hash (and, with includeDiff, masked text) seen per device.
  const lastSha = new Map<string, string>();
  const lastText = new Map<string, string>();
  // Published, not yet reported by backup:success (which follows in the same attempt).
  const pending = new Map<string, Published>();
  for (const status of scheduler.status()) {
    if (status.lastSha256 !== undefined) lastSha.set(status.deviceId, status.lastSha256);
    if (status.consecutiveFailures >= ctx.failureThreshold || status.state === 'blocked') {
      unhealthy.add(status.deviceId);
    }
  }
  const device = (deviceId: string) => {
    const status = scheduler.status(deviceId);
    return {
      deviceId,
      ...(status?.vendor !== undefined ? { vendor: status.vendor } : {}),
      ...(status?.tenantId !== undefined ? { tenantId: status.tenantId } : {}),
    };
  };
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  const onSuccess = (event: Payload<'backup:success'>) => {
    const { deviceId, sha256 } = event;
    const published = pending.get(deviceId);
    pending.delete(deviceId);
    const before = lastSha.get(deviceId);
    const previousText = lastText.get(deviceId);
    lastSha.set(deviceId, sha256);
    const snapshot = published?.snapshot.sha256 === sha256 ? published.snapshot : undefined;
    if (ctx.includeDiff) {
      if (snapshot?.secretsMasked && bytes(snapshot.configText) <= ctx.maxDiffInputBytes) {
        lastText.set(deviceId, snapshot.configText);
      } else {
        lastText.delete(deviceId);
      }
    }
    const at = ctx.now();
    const who = device(deviceId);
    if (event.changed) {
      const fromStore = published?.previous;
      ctx.enqueue('config-changed', async () => {
        // Off the backup's path: at the first delivery, once for every target.
        const sha256Before =
          before ??
          (fromStore ? createHash('sha256').update(fromStore.text).digest('hex') : undefined);
        return {
          event: 'config-changed',
          at,
          ...who,
          ...(sha256Before !== undefined ? { sha256Before } : {}),
          sha256After: sha256,
          ...(snapshot ? { collectedAt: snapshot.collectedAt.toISOString() } : {}),
          ...(ctx.includeDiff
            ? await diffPart(deviceId, snapshot, previousText, fromStore, ctx.maxDiffInputBytes)
            : {}),
        };
      });
    }
    if (unhealthy.delete(deviceId)) {
      ctx.enqueue('device-healthy', () => ({
        event: 'device-healthy',
        at,
        ...who,
        sha256After: sha256,
      }));
    }
  };

  const onFailure = (event: Payload<'backup:failure'>) => {
    if (event.permanent) return; // device:blocked tells it
    if (event.consecutiveFailures < ctx.failureThreshold || unhealthy.has(event.deviceId)) return;
    unhealthy.add(event.deviceId);
    const at = ctx.now();
    const who = device(event.deviceId);
    const sha256Before = lastSha.get(event.deviceId);
    ctx.enqueue('backup-failed', () => ({
      event: 'backup-failed',
      at,
      ...who,
      kind: event.kind,
      message: event.message,
      consecutiveFailures: event.consecutiveFailures,
      ...(sha256Before !== undefined ? { sha256Before } : {}),
    }));
  };

  const onBlocked = (event: Payload<'device:blocked'>) => {
    unhealthy.add(event.deviceId);
    const at = ctx.now();
    const who = device(event.deviceId);
    ctx.enqueue('device-blocked', () => ({
      event: 'device-blocked',
      at,
      ...who,
      kind: event.kind,
      message: event.message,
    }));
  };

  const onRemoved = (event: Payload<'device:removed'>) => {
    unhealthy.delete(event.deviceId);
    lastSha.delete(event.deviceId);
    lastText.delete(event.deviceId);
    pending.delete(event.deviceId);
  };

  const detachTap = ctx.snapshots?.onPublished(({ snapshot, previous }) => {
    pending.set(snapshot.deviceId, { snapshot, previous });
  });
  scheduler.on('backup:success', onSuccess);
  scheduler.on('backup:failure', onFailure);
  scheduler.on('device:blocked', onBlocked);
  scheduler.on('device:removed', onRemoved);
  return () => {
    detachTap?.();
    scheduler.off('backup:success', onSuccess);
    scheduler.off('backup:failure', onFailure);
    scheduler.off('device:blocked', onBlocked);
    scheduler.off('device:removed', onRemoved);
  };
}

/** The `diff` or `diffOmitted` of a change, and the previous hash from the store when known. */
async function diffPart(
  deviceId: string,
  snapshot: Snapshot | undefined,
  previousText: string | undefined,
  fromStore: PreviousConfig | undefined,
  maxBytes: number,
): Promise<Pick<Notification, 'diff' | 'diffOmitted'>> {
  if (!snapshot) return { diffOmitted: 'no-previous' };
  if (!snapshot.secretsMasked) return { diffOmitted: 'secrets-not-masked' };
  let oldText = previousText;
  if (oldText === undefined && fromStore) {
    if (!fromStore.secretsMasked) return { diffOmitted: 'secrets-not-masked' };
    oldText = fromStore.text;
  }
  if (oldText === undefined) return { diffOmitted: 'no-previous' };
  if (Buffer.byteLength(oldText) > maxBytes || Buffer.byteLength(snapshot.configText) > maxBytes) {
    return { diffOmitted: 'too-large' };
  }
  let createTwoFilesPatch: typeof CreateTwoFilesPatch;
  try {
    // An optional peer dependency: needed only for diffs.
    ({ createTwoFilesPatch } = await import('diff'));
  } catch {
    return { diffOmitted: 'diff-unavailable' };
  }
  const diff = createTwoFilesPatch(
    `a/${deviceId}`,
    `b/${deviceId}`,
    oldText,
    snapshot.configText,
    undefined,
    undefined,
    { context: 3, maxEditLength: 20_000 },
  );
  return diff === undefined ? { diffOmitted: 'too-large' } : { diff };
}

function checkTargets(options: NotifierOptions): HookTarget[] {
  const targets: HookTarget[] = [];
  for (const [index, webhook] of (options.webhooks ?? []).entries()) {
    let url: URL | undefined;
    try {
      url = new URL(webhook.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new TypeError(`createNotifier: webhooks[${index}].url must be an http(s) URL`);
    }
    if (url.username !== '' || url.password !== '') {
      // fetch refuses such URLs; and the credentials belong in a header, which is never logged.
      throw new TypeError(
        `createNotifier: webhooks[${index}].url must not hold credentials (user:password@); send them in headers (authorization)`,
      );
    }
    checkEvents(`webhooks[${index}]`, webhook.events);
    checkTimeout(`webhooks[${index}]`, webhook.timeoutMs);
    targets.push({ type: 'webhook', ...webhook });
  }
  for (const [index, exec] of (options.execs ?? []).entries()) {
    if (typeof exec.command !== 'string' || exec.command === '') {
      throw new TypeError(`createNotifier: execs[${index}].command must be a non-empty string`);
    }
    if (exec.args !== undefined && !exec.args.every((arg) => typeof arg === 'string')) {
      throw new TypeError(`createNotifier: execs[${index}].args must be strings`);
    }
    checkEvents(`execs[${index}]`, exec.events);
    checkTimeout(`execs[${index}]`, exec.timeoutMs);
    targets.push({ type: 'exec', ...exec });
  }
  return targets;
}

const EVENTS = new Set<string>(NOTIFICATION_EVENTS);

function checkEvents(where: string, events: readonly string[] | undefined): void {
  if (events === undefined) return;
  const unknown = events.filter((event) => !EVENTS.has(event));
  if (unknown.length > 0) {
    throw new TypeError(
      `createNotifier: ${where}.events has unknown ${unknown.map((e) => JSON.stringify(e)).join(', ')}; known: ${[...EVENTS].join(', ')}`,
    );
  }
}

function checkTimeout(where: string, timeoutMs: number | undefined): void {
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`createNotifier: ${where}.timeoutMs must be > 0, got ${String(timeoutMs)}`);
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`createNotifier: ${name} must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`createNotifier: ${name} must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}
