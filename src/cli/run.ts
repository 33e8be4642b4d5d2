import { stat } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { NatsConnection } from 'nats';
import { BackupScheduler, type Device, type DeviceSource, type UnblockReason } from '../index.js';
import type { TriggerResponder } from '../nats/index.js';
import { explainFailure } from './advice.js';
import { parseRunArgs, RUN_USAGE, type RunArgs } from './args.js';
import { adviceContext, openHostKeys, pipelineOptions } from './backup.js';
import { findSecretProblems, inventoryCredentials, requireSecrets } from './credentials.js';
import { EXIT } from './exit.js';
import { GitPusher } from './git-push.js';
import { closeHooks, prepareHooks } from './hooks.js';
import { schedulerMetricsText } from './metrics.js';
import type { Notifier } from '../hooks/index.js';
import { loadInventoryWithSources } from './http-inventory.js';
import {
  InventoryError,
  inventoryOptionsOf,
  type Inventory,
  type LoadInventoryOptions,
} from './inventory.js';
import { formatDuration, writeLine, type CliIO } from './io.js';
import { errorText } from '../core/errors.js';
import { libraryLogger } from './library-log.js';
import { checkOutDir, withCreatedOutDir } from './preflight.js';
import { NATS_PUBLISH_DEADLINE_MS, openPublisher, SetupError } from './publishers.js';
import { requireTelnetLibrary, telnetLibraryProblem } from './telnet-preflight.js';
import { telnetWarning, transportNote } from './telnet-warning.js';
import { redactUrl } from './redact.js';
import { DEFAULT_HTTP_TOKEN_ENV } from './http/address.js';
import type { ReloadResult } from './http/app.js';
import { AccessRule } from './http/auth.js';
import type { RunningHttpApi } from './http/server.js';

/** How long `run` lets backups in progress finish after SIGINT/SIGTERM before aborting them. */
export const RUN_STOP_GRACE_MS = 10_000;
/** The first backups start within this long (or the interval, if shorter), spread at random. */
export const RUN_FIRST_BACKUPS_WITHIN_MS = 60_000;
const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** `confsnap run`: parses the arguments and runs the schedule until `io.signal` aborts. */
export async function runCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseRunArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout.write(RUN_USAGE);
    return EXIT.ok;
  }
  return runDaemon(args, io);
}

/**
 * Runs the inventory on the library's `BackupScheduler` until `io.signal` aborts (SIGINT/SIGTERM in
 * `main.ts`), then stops everything it opened: the trigger responder, the scheduler (letting
 * backups in progress finish for up to 10 s), the publishers, the NATS connection and the Redis
 * client. Resolves with exit code 0 after a clean stop. Each reload request (`io.onReload`: SIGHUP)
 * re-reads the inventory at once and applies it through the scheduler's `refresh()`; an inventory
 * that cannot be used is reported and the last good one kept.
 */
export async function runDaemon(args: RunArgs, io: CliIO): Promise<number> {
  const log = (line: string): void => writeLine(io.stderr, `${new Date().toISOString()} ${line}`);
  const source = new InventorySource(args.inventory, io.cwd, log, io.env, inventoryOptionsOf(args));
  // Subscribed first, so that a SIGHUP during start-up does not end the daemon.
  let reload: (() => Promise<void>) | undefined;
  let reloading = Promise.resolve();
  const unsubscribe = io.onReload?.(() => {
    if (!reload) {
      log('SIGHUP: still starting; the inventory is read as part of it');
      return;
    }
    const action = reload;
    reloading = reloading
      .then(action)
      .catch((error: unknown) => log(`warning the reload failed: ${errorText(error)}`));
  });
  try {
    return await runScheduler(args, io, log, source, (action) => (reload = action));
  } finally {
    unsubscribe?.();
    await reloading;
  }
}

async function runScheduler(
  args: RunArgs,
  io: CliIO,
  log: (line: string) => void,
  source: InventorySource,
  onReloadReady: (reload: () => Promise<void>) => void,
): Promise<number> {
  // Before anything is read or opened: an HTTP API that may not start is a setup mistake.
  const access = args.http === undefined ? undefined : httpAccess(args, io.env);
  await source.load();
  await requireSecrets(source.current, io.env);
  await requireTelnetLibrary(source.current.devices);
  const createdOut = await checkOutDir(args.out);
  const { hostKeys, opened } = await withCreatedOutDir(createdOut, async () => ({
    hostKeys: await openHostKeys(args.knownHosts),
    opened: await openPublisher({
      out: args.out,
      git: args.git,
      natsUrl: args.natsUrl,
      ignore: [args.knownHosts],
      warn: (message) => log(`warning: ${message}`),
    }),
  }));
  let redis: Redis | undefined;
  let responder: TriggerResponder | undefined;
  let notifier: Notifier | undefined;
  let httpApi: RunningHttpApi | undefined;
  const pusher =
    args.gitPush === undefined
      ? undefined
      : new GitPusher({
          dir: args.out,
          remote: args.gitPush,
          report: (outcome) => log(outcome.ok ? outcome.line : `warning ${outcome.line}`),
        });
  try {
    const redisUrl = args.redisUrl;
    redis =
      redisUrl === undefined
        ? undefined
        : await withCreatedOutDir(createdOut, () => openRedis(redisUrl, log));
    const hooks = await prepareHooks({
      inventory: source.current,
      current: () => source.current,
      webhookUrls: args.webhooks ?? [],
      env: io.env,
      out: args.out,
      maskSecrets: args.maskSecrets,
      publisher: opened.publisher,
      logger: libraryLogger((line) => log(`warning ${line}`)),
    });
    const scheduler = new BackupScheduler({
      ...pipelineOptions(args),
      ...(redis ? await redisPorts(redis, args.intervalMs) : {}),
      devices: source,
      collectors: source.current.collectors,
      credentials: inventoryCredentials((id) => source.current.credentials.get(id), io.env),
      publisher: hooks?.publisher ?? opened.publisher,
      hostKeys,
      intervalMs: args.intervalMs,
      initialJitterMs: [0, Math.min(args.intervalMs, RUN_FIRST_BACKUPS_WITHIN_MS)],
      stopGraceMs: RUN_STOP_GRACE_MS,
      logger: libraryLogger((line) => log(`warning ${line}`)),
    });
    notifier = hooks?.attach(scheduler);
    const telnet = telnetWarning(source.current.devices);
    if (telnet !== undefined) log(`warning ${telnet}`);
    let started = false;
    let stopping = false;
    logEvents(scheduler, log, args, source, () => started);
    // A changed config is committed by the time its success is told; pushes run beside the
    // backups and never delay them.
    if (pusher) scheduler.on('backup:success', (e) => e.changed && pusher.request());
    // One reload at a time, whether SIGHUP or POST /api/reload asked for it.
    let reloads: Promise<unknown> = Promise.resolve();
    const reloadInventory = (why: string): Promise<ReloadResult> => {
      const next = reloads.then(async (): Promise<ReloadResult> => {
        log(`${why}: re-reading the inventory ${args.inventory}`);
        source.rereadOnNextList();
        const listed = await scheduler.refresh();
        const secretProblems = await findSecretProblems(
          source.current.devices,
          (id) => source.current.credentials.get(id),
          io.env,
        );
        for (const problem of secretProblems) log(`warning ${problem}`);
        const problems =
          source.readProblems ?? (listed ? [] : ['the device list could not be read']);
        return {
          ok: problems.length === 0,
          devices: scheduler.stats().devices,
          ...(problems.length === 0 ? {} : { problems }),
          ...(secretProblems.length === 0 ? {} : { warnings: secretProblems }),
        };
      });
      reloads = next.catch(() => {});
      return next;
    };
    if (args.http !== undefined && access !== undefined) {
      const { ConfigHistory } = await import('./http/history.js');
      const { startHttpApi } = await import('./http/server.js');
      const metrics = await schedulerMetricsText(scheduler, notifier, (line) =>
        log(`note: ${line}`),
      );
      httpApi = await startHttpApi(args.http, {
        scheduler,
        ...(metrics ? { metrics } : {}),
        history: new ConfigHistory(args.out),
        access,
        groupOf: (id) => source.current.deviceGroups?.get(id),
        adviceFor: (id, failure) =>
          explainFailure(
            failure.kind,
            failure.message,
            adviceContext(args, source.current, id, 'run'),
            failure,
          ).advice,
        reload: () => reloadInventory('POST /api/reload'),
        notReady: () => (stopping ? 'stopping' : started ? undefined : 'starting'),
      });
      log(
        `HTTP API and web UI on ${httpApi.url} (${access.tokenRequired ? `token from ${args.httpTokenEnv ?? DEFAULT_HTTP_TOKEN_ENV} required` : 'no token: this machine only'})`,
      );
    }
    await scheduler.start();
    started = true;
    onReloadReady(async () => {
      await reloadInventory('SIGHUP');
    });
    if (opened.connection) {
      logNatsOutages(opened.connection, redactUrl(args.natsUrl ?? ''), log);
      const { TriggerResponder } = await import('../nats/index.js');
      responder = new TriggerResponder({
        connection: opened.connection,
        scheduler,
        logger: libraryLogger((line) => log(`warning ${line}`)),
      });
    }
    log(
      `confsnap run: ${plural(source.current.devices.length, 'device')} from ${args.inventory}, every ` +
        `${formatDuration(args.intervalMs)}, into ${args.out}` +
        `${args.git ? ` (git${args.gitPush ? `, pushed to ${redactUrl(args.gitPush)}` : ''})` : ''}${args.natsUrl ? `, NATS ${redactUrl(args.natsUrl)}` : ''}` +
        `${args.redisUrl ? `, Redis ${redactUrl(args.redisUrl)}` : ''}` +
        `; first backups within ${formatDuration(Math.min(args.intervalMs, RUN_FIRST_BACKUPS_WITHIN_MS))}. Stop with Ctrl-C or SIGTERM; SIGHUP re-reads the inventory.`,
    );
    await aborted(io.signal);
    stopping = true;
    const inFlight = scheduler.stats().slotsHeld;
    onReloadReady(() => Promise.resolve());
    log(
      inFlight > 0
        ? `stopping: letting ${plural(inFlight, 'backup')} in progress finish (at most ${formatDuration(RUN_STOP_GRACE_MS)})`
        : 'stopping',
    );
    await responder?.close();
    responder = undefined;
    await httpApi?.close();
    httpApi = undefined;
    await scheduler.stop();
    if (notifier) await closeHooks(notifier, (message) => log(`warning ${message}`));
  } finally {
    await notifier?.close({ graceMs: 0 });
    await httpApi?.close();
    await responder?.close();
    await opened.close();
    if (redis) await closeRedis(redis);
    await pusher?.idle();
  }
  log('stopped');
  return EXIT.ok;
}

/**
 * Who may use `--http`: the token from the environment variable `--http-token-env` names.
 *
 * @throws {SetupError} (exit 2) beyond loopback without a token, or for a token too short.
 */
function httpAccess(args: RunArgs, env: Readonly<Record<string, string | undefined>>): AccessRule {
  const tokenEnv = args.httpTokenEnv ?? DEFAULT_HTTP_TOKEN_ENV;
  const token = env[tokenEnv];
  if (args.httpTokenEnv !== undefined && (token === undefined || token.trim() === '')) {
    throw new SetupError(
      `--http-token-env ${tokenEnv}: the variable ${tokenEnv} is not set or empty; set it to a long random secret (e.g. openssl rand -hex 32)`,
      2,
    );
  }
  const rule = AccessRule.for(args.http!.host, token, tokenEnv);
  if (typeof rule === 'string') throw new SetupError(rule, 2);
  return rule;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  // Without a signal (never from main.ts) the daemon runs until the process is killed.
  if (!signal) return new Promise<void>(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

const UNBLOCK_REASONS: Readonly<Record<UnblockReason, string>> = {
  credentials: 'its credentials changed',
  'host-key': 'its host-key pin changed',
  manual: 'unblocked by hand',
  trigger: 'a manual trigger succeeded',
  elsewhere: 'another instance backed it up',
};

function logEvents(
  scheduler: BackupScheduler,
  log: (line: string) => void,
  args: RunArgs,
  source: InventorySource,
  started: () => boolean,
): void {
  scheduler.on('backup:success', (e) => {
    log(
      `ok      ${e.deviceId}${transportNote(e.transport)}  ${e.changed ? 'changed  ' : 'unchanged'}  sha256 ${e.sha256.slice(0, 12)}  ${formatDuration(e.durationMs)}`,
    );
  });
  scheduler.on('backup:failure', (e) => {
    const explained = explainFailure(
      e.kind,
      e.message,
      adviceContext(args, source.current, e.deviceId, 'run'),
      e,
    );
    // Said once: most permanent failures' messages already say what unblocks the device.
    const saysBlocked = /blocked until|not tried again/.test(explained.message ?? '');
    const next = e.permanent
      ? saysBlocked
        ? ''
        : e.jumpHost === undefined
          ? 'blocked until its secret or pin changes'
          : `blocked until the secret or pin of jump host ${e.jumpHost} changes`
      : e.nextAttemptAt === undefined
        ? ''
        : `next attempt in ${formatDuration(Math.max(0, e.nextAttemptAt - Date.now()))}`;
    log(
      `failed  ${e.deviceId}${transportNote(e.transport)}  ${e.kind}  ${explained.message}${next ? ` (${next})` : ''}`,
    );
    log(`        → ${explained.advice}`);
  });
  scheduler.on('backup:skipped', (e) => log(`skipped ${e.deviceId}  ${e.reason}`));
  scheduler.on('device:unblocked', (e) =>
    log(`unblocked ${e.deviceId}: ${UNBLOCK_REASONS[e.reason]}`),
  );
  scheduler.on('device:added', (e) => {
    if (started()) log(`added   ${e.deviceId} (from the inventory)`);
  });
  scheduler.on('device:removed', (e) => log(`removed ${e.deviceId} (no longer in the inventory)`));
  scheduler.on('hostkey:pinned', (e) => log(`pinned  ${e.deviceId}  host key ${e.fingerprint}`));
  scheduler.on('warning', (e) => log(`warning ${e.deviceId ? `${e.deviceId}: ` : ''}${e.message}`));
  scheduler.on('refresh:error', (e) => log(`warning ${e.message}`));
  scheduler.on('device:invalid', (e) => log(`warning invalid device ${e.message}`));
}

/**
 * The inventory file as a `DeviceSource`: re-read at every refresh (every minute) when its size or
 * modification time changed, and whenever {@link InventorySource.rereadOnNextList} asks. A broken
 * edit is reported once and the last good inventory is kept.
 */
export class InventorySource implements DeviceSource {
  #current: Inventory | undefined;
  #byId = new Map<string, Device>();
  #stamp = '';
  #badStamp = '';
  #forced = false;
  #readProblems: readonly string[] | undefined;

  constructor(
    readonly file: string,
    readonly cwd: string,
    readonly log: (line: string) => void,
    readonly env: Readonly<Record<string, string | undefined>> = {},
    /** `--format` and `--collector`. */
    readonly options: Pick<LoadInventoryOptions, 'format' | 'collectorFiles'> = {},
  ) {}

  /** The inventory in use. */
  get current(): Inventory {
    if (!this.#current) throw new Error('InventorySource: load() first');
    return this.#current;
  }

  /** Reads the inventory. @throws {InventoryError} when it cannot be used. */
  async load(): Promise<Inventory> {
    const stamp = await this.#stampNow();
    this.#use(await this.#read(), stamp);
    return this.current;
  }

  /** Why the last re-read inventory was not used; `undefined` when the last read was good. */
  get readProblems(): readonly string[] | undefined {
    return this.#readProblems;
  }

  /** Makes the next `list()` read the file even when it looks unchanged (a reload on SIGHUP). */
  rereadOnNextList(): void {
    this.#forced = true;
  }

  async list(): Promise<readonly Device[]> {
    const stamp = await this.#stampNow().catch((error: unknown) => `missing:${errorText(error)}`);
    const forced = this.#forced;
    this.#forced = false;
    if (forced || (stamp !== this.#stamp && stamp !== this.#badStamp)) {
      try {
        const telnetBefore = new Set(telnetIds(this.current.devices));
        this.#use(await this.#read(), stamp);
        this.log(`inventory re-read: ${this.current.devices.length} devices`);
        await this.#warnNewlyTelnet(telnetBefore);
      } catch (error) {
        this.#badStamp = stamp;
        const problems =
          error instanceof InventoryError ? error.message.split('\n') : [errorText(error)];
        this.#readProblems = problems;
        this.log(
          `warning the changed inventory cannot be used; keeping the last good one (${this.current.devices.length} devices):`,
        );
        for (const problem of problems) this.log(`          ${problem}`);
      }
    }
    return this.current.devices;
  }

  get(id: string): Promise<Device | undefined> {
    return Promise.resolve(this.#byId.get(id));
  }

  /**
   * The start-up warnings again, for the devices the re-read inventory added as telnet or switched
   * to telnet: they were never warned about.
   */
  async #warnNewlyTelnet(telnetBefore: ReadonlySet<string>): Promise<void> {
    const newly = this.current.devices.filter(
      (device) => device.transport === 'telnet' && !telnetBefore.has(device.id),
    );
    const warning = telnetWarning(newly);
    if (warning === undefined) return;
    this.log(
      `warning the re-read inventory: ${warning.replace(/^(one device|\d+ devices) use/, '$1 now use')}`,
    );
    const problem = await telnetLibraryProblem(newly);
    if (problem !== undefined) this.log(`warning ${problem}`);
  }

  /** The inventory, with the devices of its HTTP source (records that cannot be used are logged). */
  async #read(): Promise<Inventory> {
    const { inventory, skipped } = await loadInventoryWithSources(this.file, {
      ...this.options,
      cwd: this.cwd,
      env: this.env,
    });
    for (const line of skipped) this.log(`warning skipped ${line}`);
    return inventory;
  }

  #use(inventory: Inventory, stamp: string): void {
    this.#current = inventory;
    this.#byId = new Map(inventory.devices.map((device) => [device.id, device]));
    this.#stamp = stamp;
    this.#badStamp = '';
    this.#readProblems = undefined;
    for (const skipped of inventory.skippedDevices) this.log(`warning ${skipped}`);
  }

  async #stampNow(): Promise<string> {
    const info = await stat(this.file);
    return `${info.mtimeMs}:${info.size}:${info.ino}`;
  }
}

function telnetIds(devices: readonly Device[]): string[] {
  return devices.filter((device) => device.transport === 'telnet').map((device) => device.id);
}

async function openRedis(url: string, log: (line: string) => void): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const shown = redactUrl(url);
  // Fail fast while Redis is down: the adapters answer "unknown"/"unavailable" at once instead of
  // queueing commands, and backups go on without Redis.
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
  let down = false;
  let started = false;
  redis.on('error', (error: unknown) => {
    if (down || !started) return;
    down = true;
    log(
      `warning Redis at ${shown} is unreachable (${errorText(error)}); backing up without it until it is back`,
    );
  });
  redis.on('ready', () => {
    if (down) log(`Redis at ${shown} is back`);
    down = false;
  });
  // At start, a refused login is a setup problem (exit 2): running on without locks would hide it.
  const refusal = await new Promise<Error | undefined>((resolve) => {
    let firstError: unknown;
    const finish = (outcome: Error | undefined): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      resolve(outcome);
    };
    const onReady = (): void => finish(undefined);
    const onError = (error: unknown): void => {
      if (isRedisAuthError(error)) finish(error as Error);
      else firstError ??= error;
    };
    const timer = setTimeout(() => {
      if (firstError !== undefined) {
        down = true;
        log(
          `warning Redis at ${shown} is unreachable (${errorText(firstError)}); backing up without it until it is back`,
        );
      }
      finish(undefined);
    }, REDIS_CONNECT_TIMEOUT_MS);
    redis.once('ready', onReady);
    redis.on('error', onError);
  });
  started = true;
  if (refusal) {
    redis.disconnect();
    throw new SetupError(
      `Redis at ${shown} refused the login (${errorText(refusal)}); check the user and password in --redis (percent-encode @ as %40)`,
      2,
    );
  }
  return redis;
}

/** An answer of Redis that says the credentials are wrong, missing or lack a permission. */
function isRedisAuthError(error: unknown): boolean {
  return /^(WRONGPASS|NOAUTH|NOPERM)\b/.test(errorText(error).trim());
}

/**
 * One line when the NATS connection is lost and one when it is back, as for Redis: meanwhile
 * snapshots wait in the outbox and triggers go unanswered. Ends with the connection.
 */
function logNatsOutages(
  connection: NatsConnection,
  shownUrl: string,
  log: (line: string) => void,
): void {
  void (async () => {
    // Loaded only here, as elsewhere in the CLI: without --nats, nats is never imported.
    const { Events } = await import('nats');
    let down = false;
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect && !down) {
        down = true;
        log(
          `warning NATS at ${shownUrl} is unreachable; snapshots wait for it (up to ${formatDuration(NATS_PUBLISH_DEADLINE_MS)} each) and triggers go unanswered until it is back`,
        );
      } else if (status.type === Events.Reconnect && down) {
        down = false;
        log(`NATS at ${shownUrl} is back`);
      }
    }
  })().catch(() => {});
}

async function redisPorts(redis: Redis, intervalMs: number) {
  const { RedisLastSuccessStore, RedisLocker, RedisOnlineGate } = await import('../redis/index.js');
  return {
    onlineGate: new RedisOnlineGate({ redis }),
    locker: new RedisLocker({ redis }),
    lastSuccess: new RedisLastSuccessStore({ redis, ttlMs: 3 * intervalMs }),
  };
}

async function closeRedis(redis: Redis): Promise<void> {
  try {
    if (redis.status === 'ready') await redis.quit();
  } catch {
    // already gone
  } finally {
    redis.disconnect();
  }
}
