import { setMaxListeners } from 'node:events';
import {
  BackupScheduler,
  FileHostKeyStore,
  type AttemptOutcome,
  type Device,
  type DeviceSource,
} from '../index.js';
import { explainFailure, hopsOf, type AdviceContext, type ExplainedFailure } from './advice.js';
import { BACKUP_USAGE, parseBackupArgs, type BackupArgs, type PipelineArgs } from './args.js';
import { inventoryCredentials, requireSecrets } from './credentials.js';
import { EXIT } from './exit.js';
import { GitPusher } from './git-push.js';
import { finishHooks, prepareHooks } from './hooks.js';
import type { Notifier } from '../hooks/index.js';
import { loadInventoryWithSources } from './http-inventory.js';
import { inventoryOptionsOf, type Inventory } from './inventory.js';
import { writeLine, type CliIO } from './io.js';
import { errorText } from '../core/errors.js';
import { libraryLogger } from './library-log.js';
import { checkOutDir, checkPinFileWritable, withCreatedOutDir } from './preflight.js';
import { requireTelnetLibrary } from './telnet-preflight.js';
import { telnetWarning } from './telnet-warning.js';
import { createProgress, type BackupProgress } from './progress.js';
import { openPublisher, SetupError } from './publishers.js';
import { interruption, type Interrupted } from './signals.js';
import {
  formatReport,
  summarize,
  summaryJson,
  type BackupSummary,
  type DeviceResult,
} from './summary.js';

/** What a `backup` came to: its exit code and, when devices were attempted, the summary. */
export interface BackupRun {
  readonly exitCode: number;
  readonly summary?: BackupSummary;
}

/**
 * `confsnap backup`: parses the arguments and backs up every device once. Bad usage, a bad
 * inventory or a failed setup are thrown (see `reportCliError`); device failures are in the summary.
 */
export async function backupCommand(argv: readonly string[], io: CliIO): Promise<BackupRun> {
  const args = parseBackupArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout.write(BACKUP_USAGE);
    return { exitCode: EXIT.ok };
  }
  return backupInventory(args, io);
}

/**
 * Backs up every device of the inventory once, with the library's own pipeline: a
 * `BackupScheduler` over the inventory, `refresh()`, then `trigger()` for every device — so the
 * concurrency limit, host-key pinning and publishing are exactly those of `confsnap run`. The
 * schedule itself is never started.
 */
export async function backupInventory(args: BackupArgs, io: CliIO): Promise<BackupRun> {
  const { inventory, skipped } = await loadInventoryWithSources(args.inventory, {
    cwd: io.cwd,
    env: io.env,
    ...inventoryOptionsOf(args),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  for (const line of skipped) writeLine(io.stderr, `warning skipped ${line}`);
  await requireSecrets(inventory, io.env);
  await requireTelnetLibrary(inventory.devices);
  const createdOut = await checkOutDir(args.out);
  const { hostKeys, opened } = await withCreatedOutDir(createdOut, async () => ({
    hostKeys: await openHostKeys(args.knownHosts),
    opened: await openPublisher({
      out: args.out,
      git: args.git,
      natsUrl: args.natsUrl,
      ignore: [args.knownHosts],
      warn: (message) => writeLine(io.stderr, `warning: ${message}`),
    }),
  }));
  const telnet = telnetWarning(inventory.devices);
  if (telnet !== undefined) writeLine(io.stderr, `warning: ${telnet}`);
  for (const skipped of inventory.skippedDevices) writeLine(io.stderr, `warning: ${skipped}`);
  const began = performance.now();
  // Until the progress display exists, and after it ended, warnings are plain lines.
  const display: { progress?: BackupProgress } = {};
  const warn = (message: string): void => {
    const line = `warning: ${message}`;
    if (display.progress) display.progress.note(line);
    else writeLine(io.stderr, line);
  };
  const explain = (result: DeviceResult): ExplainedFailure =>
    explainFailure(
      result.kind,
      result.message,
      adviceContext(args, inventory, result.id, 'backup'),
      result,
    );
  let results: DeviceResult[];
  let notifier: Notifier | undefined;
  try {
    const hooks = await prepareHooks({
      inventory,
      webhookUrls: args.webhooks ?? [],
      env: io.env,
      out: args.out,
      maskSecrets: args.maskSecrets,
      publisher: opened.publisher,
      logger: libraryLogger(warn),
    });
    const scheduler = new BackupScheduler({
      ...pipelineOptions(args),
      devices: staticSource(inventory.devices),
      collectors: inventory.collectors,
      credentials: inventoryCredentials((id) => inventory.credentials.get(id), io.env),
      publisher: hooks?.publisher ?? opened.publisher,
      hostKeys,
      logger: libraryLogger(warn),
    });
    notifier = hooks?.attach(scheduler);
    scheduler.on('warning', (e) => warn(`${e.deviceId ? `${e.deviceId}: ` : ''}${e.message}`));
    scheduler.on('device:invalid', (e) => warn(`invalid device ${e.message}`));
    try {
      results = await triggerAll(scheduler, inventory.devices, args, io, display, explain);
    } finally {
      await scheduler.stop({ graceful: false });
    }
  } catch (error) {
    await notifier?.close({ graceMs: 0 });
    throw error;
  } finally {
    await opened.close();
  }
  if (args.gitPush !== undefined && !interruption(io.signal)) {
    // After every commit of the run; its outcome is reported and never changes the exit code.
    await new GitPusher({
      dir: args.out,
      remote: args.gitPush,
      report: (outcome) =>
        writeLine(io.stderr, outcome.ok ? outcome.line : `warning: ${outcome.line}`),
    }).pushNow();
  }
  const summary = summarize(results);
  if (notifier) await finishHooks(notifier, summary, performance.now() - began, warn);
  if (args.json) {
    writeLine(io.stdout, summaryJson(summary));
  } else {
    io.stdout.write(
      formatReport(summary, {
        out: args.out,
        elapsedMs: performance.now() - began,
        explain,
        secretsMasked: secretsMaskedOf(inventory.devices, args.maskSecrets),
      }),
    );
  }
  const interrupted = interruption(io.signal);
  if (interrupted) {
    const left = summary.total - summary.succeeded;
    writeLine(
      io.stderr,
      `confsnap: ${interrupted.message}; ${left === 0 ? 'every device was backed up' : `${left} of ${summary.total} devices not backed up`}`,
    );
    return { exitCode: interrupted.exitCode, summary };
  }
  return { exitCode: summary.succeeded === summary.total ? EXIT.ok : EXIT.failed, summary };
}

/** Triggers every device at once; the scheduler's semaphore lets `concurrency` of them run. */
async function triggerAll(
  scheduler: BackupScheduler,
  devices: readonly Device[],
  args: BackupArgs,
  io: CliIO,
  display: { progress?: BackupProgress },
  explain: (result: DeviceResult) => ExplainedFailure,
): Promise<DeviceResult[]> {
  const startedAt = new Map<string, number>();
  scheduler.on('backup:start', ({ deviceId }) => startedAt.set(deviceId, performance.now()));
  writeLine(
    io.stderr,
    `Backing up ${devices.length} device${devices.length === 1 ? '' : 's'} into ${args.out}` +
      ` (${args.git ? 'git, ' : ''}${args.natsUrl ? 'NATS, ' : ''}${args.concurrency} at a time)`,
  );
  const progress = createProgress(
    io,
    devices.map((device) => device.id),
  );
  display.progress = progress;
  // Every waiting attempt listens to this signal: a fleet is more than Node's default of 10.
  const cancel = new AbortController();
  setMaxListeners(0, cancel.signal);
  const forwardCancel = (): void => cancel.abort(io.signal?.reason);
  if (io.signal?.aborted) forwardCancel();
  else io.signal?.addEventListener('abort', forwardCancel, { once: true });
  try {
    await scheduler.refresh();
    return await Promise.all(
      devices.map(async (device) => {
        const outcome = await scheduler.trigger(device.id, { signal: cancel.signal });
        const start = startedAt.get(device.id);
        let result = toResult(
          device.id,
          outcome,
          start === undefined ? undefined : performance.now() - start,
          interruption(io.signal),
        );
        if (device.transport === 'telnet') result = { ...result, transport: 'telnet' };
        const { message } = result.status === 'success' ? result : explain(result);
        progress.deviceDone({ ...result, ...(message === undefined ? {} : { message }) });
        return result;
      }),
    );
  } finally {
    io.signal?.removeEventListener('abort', forwardCancel);
    progress.stop();
    display.progress = undefined;
  }
}

/** The scheduler options `backup` and `run` share. */
export function pipelineOptions(args: PipelineArgs) {
  return {
    concurrency: args.concurrency,
    ...(args.timeoutMs === undefined
      ? {}
      : { connectTimeoutMs: args.timeoutMs, commandTimeoutMs: args.timeoutMs }),
    ...(args.legacySsh ? { algorithms: 'legacy' as const } : {}),
    maskSecrets: args.maskSecrets,
  };
}

/**
 * The pin file, checked up front: a damaged file would otherwise fail every device, and one that
 * cannot be written would let every backup succeed without ever pinning a host key. `forWriting`
 * (the default) also checks that it can be written; `hostkeys list` only reads it.
 *
 * @throws {SetupError} (exit 2) naming the file.
 */
export async function openHostKeys(path: string, forWriting = true): Promise<FileHostKeyStore> {
  if (forWriting) await checkPinFileWritable(path);
  const store = new FileHostKeyStore(path);
  try {
    await store.entries();
  } catch (error) {
    throw new SetupError(`the known-hosts file cannot be used: ${errorText(error)}`, 2);
  }
  return store;
}

/** What the advice for one device may refer to. */
export function adviceContext(
  args: PipelineArgs,
  inventory: Inventory,
  deviceId: string,
  command: 'backup' | 'run',
): AdviceContext {
  const device = inventory.devices.find((candidate) => candidate.id === deviceId);
  const credentials = inventory.credentials.get(deviceId);
  return {
    deviceId,
    command,
    knownHostsFile: args.knownHosts,
    outDir: args.out,
    legacySsh: args.legacySsh,
    ...(device ? { host: device.host, ...(device.port ? { port: device.port } : {}) } : {}),
    ...(device?.transport === undefined ? {} : { transport: device.transport }),
    ...(device?.ssh === undefined ? {} : { ssh: device.ssh }),
    ...(credentials ? { credentials } : {}),
    ...(device?.via === undefined ? {} : { via: hopsOf(device.via, inventory.credentials) }),
    ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
    ...(args.natsUrl === undefined ? {} : { natsUrl: args.natsUrl }),
  };
}

function staticSource(devices: readonly Device[]): DeviceSource {
  const byId = new Map(devices.map((device) => [device.id, device]));
  return {
    list: () => Promise.resolve(devices),
    get: (id) => Promise.resolve(byId.get(id)),
  };
}

function toResult(
  id: string,
  outcome: AttemptOutcome,
  durationMs: number | undefined,
  interrupted: Interrupted | undefined,
): DeviceResult {
  const duration = { durationMs: Math.max(0, durationMs ?? 0) };
  if (interrupted && outcome.status === 'failed' && outcome.kind === 'cancelled') {
    // The library says "cancelled by its caller"; the user pressed Ctrl-C (or sent SIGTERM).
    outcome = {
      ...outcome,
      message:
        durationMs === undefined
          ? `not started: ${interrupted.message}`
          : `${id}: ${interrupted.message} before it finished`,
    };
  }
  if (outcome.status === 'success') {
    return {
      id,
      status: 'success',
      ...(outcome.sha256 === undefined ? {} : { sha256: outcome.sha256 }),
      changed: outcome.changed ?? false,
      ...duration,
    };
  }
  const message = outcome.message === undefined ? {} : { message: outcome.message };
  // Cancelled before it started (Ctrl-C while it waited for a slot): not attempted, not failed.
  if (outcome.status === 'failed' && !(outcome.kind === 'cancelled' && durationMs === undefined)) {
    return {
      id,
      status: 'failed',
      ...(outcome.kind ? { kind: outcome.kind } : {}),
      ...message,
      ...(outcome.jumpHost === undefined ? {} : { jumpHost: outcome.jumpHost }),
      ...(outcome.stage === undefined ? {} : { stage: outcome.stage }),
      ...duration,
    };
  }
  return {
    id,
    status: 'skipped',
    ...(outcome.kind ? { kind: outcome.kind } : {}),
    ...(outcome.message === undefined && outcome.reason !== undefined
      ? { message: `skipped: ${outcome.reason}` }
      : message),
    ...duration,
  };
}

/**
 * Whether the devices' secrets are masked: each device's own `mask_secrets` (the inventory's),
 * else the command line's default; `{ masked, total }` when only some are.
 */
export function secretsMaskedOf(
  devices: readonly Device[],
  byDefault: boolean,
): boolean | { masked: number; total: number } {
  const masked = devices.filter((device) => device.maskSecrets ?? byDefault).length;
  if (masked === devices.length) return devices.length > 0 || byDefault;
  // Masking turned off by the inventory itself: not said to be `--no-mask-secrets`.
  if (masked === 0 && !byDefault) return false;
  return { masked, total: devices.length };
}
