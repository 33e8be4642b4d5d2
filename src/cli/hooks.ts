/**
 * The CLI's hooks: the inventory's `hooks:` section and `--webhook URL`, turned into a notifier
 * of `confsnap/hooks` for `backup` and `run`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectorySnapshotPublisher, maskSecretsInText, type BackupScheduler } from '../index.js';
import type { SnapshotPublisher } from '../core/ports.js';
import type { Logger } from '../core/logger.js';
import type { Notifier, NotifierOptions, PreviousConfig } from '../hooks/index.js';
import type { Inventory } from './inventory.js';
import { isHttpUrl, type ExecSpec, type WebhookSpec } from './inventory/hooks.js';
import { SetupError } from './publishers.js';

/** How long the CLI waits for deliveries still queued when it ends. */
export const HOOKS_CLOSE_GRACE_MS = 10_000;

/** The hooks of one command, before and after its scheduler exists. */
export interface CliHooks {
  /** The publisher to give the scheduler: `publisher` behind a tap the notifier reads. */
  readonly publisher: SnapshotPublisher;
  /** Starts notifying about `scheduler`'s events. */
  attach(scheduler: BackupScheduler): Notifier;
}

/** What {@link prepareHooks} needs. */
export interface PrepareHooksOptions {
  readonly inventory: Inventory;
  /** `--webhook URL`s: every event to each. */
  readonly webhookUrls: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The output directory, where the previous `.cfg` files are (for diffs of one-shot runs). */
  readonly out: string;
  /** The command line's default of secret masking (`--no-mask-secrets` turns it off). */
  readonly maskSecrets: boolean;
  readonly publisher: SnapshotPublisher;
  readonly logger: Logger;
  /** The inventory as it is now (`run` re-reads it). Default: `inventory`. */
  readonly current?: () => Inventory;
}

/**
 * The hooks the inventory and the command line ask for, or `undefined` when there are none.
 * Reads every environment variable they name now.
 *
 * @throws {SetupError} (exit 2) naming a variable that is not set — never its value; when
 * `include_diff` is on and the optional package `diff` is not installed.
 */
export async function prepareHooks(options: PrepareHooksOptions): Promise<CliHooks | undefined> {
  const spec = options.inventory.hooks;
  const webhooks = [
    ...(spec?.webhooks ?? []).map((webhook, index) => webhookOf(webhook, index, options.env)),
    ...options.webhookUrls.map((url) => ({ url })),
  ];
  const execs = (spec?.execs ?? []).map((exec, index) => execOf(exec, index, options.env));
  if (webhooks.length === 0 && execs.length === 0) return undefined;
  const includeDiff = spec?.includeDiff === true;
  if (includeDiff) {
    try {
      await import('diff');
    } catch {
      throw new SetupError(
        'hooks.include_diff needs the package diff: npm install diff (next to confsnap)',
        2,
      );
    }
  }
  const { createNotifier, SnapshotTap } = await import('../hooks/index.js');
  const current = options.current ?? (() => options.inventory);
  const tap = new SnapshotTap(options.publisher, {
    // The `.cfg` file the directory publisher is about to replace: a one-shot backup has no
    // other "before". It counts as masked only when masking it again changes nothing.
    readPrevious: async (deviceId): Promise<PreviousConfig | undefined> => {
      const inventory = current();
      const device = inventory.devices.find((candidate) => candidate.id === deviceId);
      if (!device) return undefined;
      const path = join(options.out, DirectorySnapshotPublisher.fileNameOf(deviceId));
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      const rules = inventory.collectors.get(device.vendor)?.secrets ?? [];
      const masking = device.maskSecrets ?? options.maskSecrets;
      return { text, secretsMasked: masking && maskSecretsInText(text, rules) === text };
    },
  });
  const notifierOptions: NotifierOptions = {
    webhooks,
    execs,
    snapshots: tap,
    includeDiff,
    logger: options.logger,
    ...(spec?.failureThreshold === undefined ? {} : { failureThreshold: spec.failureThreshold }),
  };
  return {
    publisher: tap,
    attach: (scheduler) => createNotifier(scheduler, notifierOptions),
  };
}

function required(env: PrepareHooksOptions['env'], name: string, where: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new SetupError(`${where} names the environment variable ${name}, which is not set`, 2);
  }
  return value;
}

function webhookOf(spec: WebhookSpec, index: number, env: PrepareHooksOptions['env']) {
  const where = `hooks.webhooks[${index}]`;
  const url = spec.url ?? required(env, spec.urlEnv!, `${where}.url_env`);
  if (!isHttpUrl(url)) {
    throw new SetupError(
      `${where}.url_env: ${spec.urlEnv} must hold an http(s) URL without user:password@`,
      2,
    );
  }
  const headers: Record<string, string> = { ...spec.headers };
  for (const [header, name] of Object.entries(spec.headersEnv)) {
    headers[header] = required(env, name, `${where}.headers_env.${header}`);
  }
  return {
    url,
    headers,
    ...(spec.events ? { events: spec.events } : {}),
    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
  };
}

function execOf(spec: ExecSpec, index: number, env: PrepareHooksOptions['env']) {
  const where = `hooks.execs[${index}]`;
  const passed: Record<string, string> = {};
  for (const name of spec.passEnv) passed[name] = required(env, name, `${where}.pass_env`);
  return {
    command: spec.command,
    args: spec.args,
    env: { ...spec.env, ...passed },
    ...(spec.events ? { events: spec.events } : {}),
    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
  };
}

/**
 * Ends a one-shot run's hooks: sends `run-finished` with its counts and waits (at most
 * {@link HOOKS_CLOSE_GRACE_MS}) for every delivery; says on `warn` what was not delivered.
 */
export async function finishHooks(
  notifier: Notifier,
  summary: { total: number; succeeded: number; failed: number; changed: number },
  durationMs: number,
  warn: (message: string) => void,
): Promise<void> {
  // Deliveries run side by side: let the run's own notifications go first, so that receivers
  // see run-finished last.
  await notifier.flush({ signal: AbortSignal.timeout(HOOKS_CLOSE_GRACE_MS) }).catch(() => {});
  notifier.runFinished({
    devices: summary.total,
    succeeded: summary.succeeded,
    failed: summary.failed,
    changed: summary.changed,
    skipped: summary.total - summary.succeeded - summary.failed,
    durationMs: Math.round(durationMs),
  });
  await closeHooks(notifier, warn);
}

/** Closes the notifier (waiting at most {@link HOOKS_CLOSE_GRACE_MS}) and reports what was lost. */
export async function closeHooks(
  notifier: Notifier,
  warn: (message: string) => void,
): Promise<void> {
  await notifier.close({ graceMs: HOOKS_CLOSE_GRACE_MS });
  const { failed, dropped } = notifier.stats();
  if (failed + dropped > 0) {
    warn(`hooks: ${failed} notification(s) failed and ${dropped} dropped; see the lines above`);
  }
}
