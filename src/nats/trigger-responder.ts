import type { Msg, NatsConnection, Subscription } from 'nats';
import { unlimitedController } from '../core/abort.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { AttemptOutcome, DeviceStatus } from '../scheduler/scheduler.js';

/** The subject manual triggers are requested on. */
export const DEFAULT_TRIGGER_SUBJECT = 'config.backup.trigger';
/** The queue group of the responders: exactly one instance answers each request. */
export const DEFAULT_TRIGGER_QUEUE = 'confsnap-trigger';

/** A trigger request as it travels (SPEC §2). */
export interface TriggerRequest {
  device_id: string;
  tenant_id?: string;
}

/** A trigger reply as it travels (SPEC §2). */
export interface TriggerReply {
  status: 'success' | 'failed' | 'locked';
  sha256_hash?: string;
  message?: string;
  error?: string;
}

/** What the responder needs of a scheduler. */
export interface TriggerTarget {
  trigger(
    deviceId: string,
    options?: { signal?: AbortSignal; tenantId?: string },
  ): Promise<AttemptOutcome>;
  status(deviceId: string): DeviceStatus | undefined;
}

/** Options of {@link TriggerResponder}. */
export interface TriggerResponderOptions {
  /** The service's existing connection. */
  connection: NatsConnection;
  /** Usually a `BackupScheduler`. */
  scheduler: TriggerTarget;
  /** Default `config.backup.trigger`. */
  subject?: string;
  /** Default `confsnap-trigger`. Every instance must use the same queue group. */
  queue?: string;
  logger?: Logger;
}

/**
 * Answers manual backup triggers over NATS request-reply: one subscription in a queue group, so with
 * several poller instances exactly one of them answers each request. The request is
 * `{"device_id","tenant_id"}`; the reply `{"status":"success"|"failed"|"locked","sha256_hash"?,
 * "message"?,"error"?}`, where `error` is the failure kind.
 *
 * @example
 * ```ts
 * const responder = new TriggerResponder({ connection: nc, scheduler });
 * // elsewhere: await nc.request('config.backup.trigger', JSON.stringify({ device_id: 'r1', tenant_id: 't1' }), { timeout: 330_000 });
 * await responder.close();
 * ```
 */
export class TriggerResponder {
  readonly #scheduler: TriggerTarget;
  readonly #logger: Logger;
  readonly #subscription: Subscription;
  // Every request being answered listens to this signal.
  readonly #stop = unlimitedController();
  readonly #inFlight = new Set<Promise<void>>();
  #closed: Promise<void> | undefined;

  constructor(options: TriggerResponderOptions) {
    this.#scheduler = options.scheduler;
    this.#logger = options.logger ?? silentLogger;
    this.#subscription = options.connection.subscribe(options.subject ?? DEFAULT_TRIGGER_SUBJECT, {
      queue: options.queue ?? DEFAULT_TRIGGER_QUEUE,
      callback: (error, msg) => {
        if (error) {
          this.#logger.warn({ error: error.message }, 'trigger subscription error');
          return;
        }
        const handling = this.#handle(msg);
        this.#inFlight.add(handling);
        void handling.finally(() => this.#inFlight.delete(handling));
      },
    });
  }

  /** Requests answered or being answered, for tests and metrics. */
  get pending(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops taking requests; requests being worked on are aborted and answered `failed`
   * (`cancelled`). Resolves when every answer was sent.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      // Drain, not unsubscribe: requests already delivered to this client still get an answer
      // (a queue group would not deliver them to another instance).
      try {
        await this.#subscription.drain();
      } catch {
        this.#subscription.unsubscribe();
      }
      this.#stop.abort();
      await Promise.allSettled([...this.#inFlight]);
    })();
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #handle(msg: Msg): Promise<void> {
    const reply = await this.#answer(msg.data).catch((error: unknown): TriggerReply => ({
      status: 'failed',
      message: `the trigger failed unexpectedly (${error instanceof Error ? error.message : 'error'})`,
    }));
    if (!msg.reply) return;
    try {
      msg.respond(JSON.stringify(reply));
    } catch (error) {
      this.#logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'could not answer a trigger',
      );
    }
  }

  async #answer(data: Uint8Array): Promise<TriggerReply> {
    const request = parseRequest(data);
    if (typeof request === 'string')
      return { status: 'failed', error: 'bad-request', message: request };
    const deviceId = request.device_id;
    const known = this.#scheduler.status(deviceId);
    if (
      known &&
      request.tenant_id !== undefined &&
      known.tenantId !== undefined &&
      known.tenantId !== request.tenant_id
    ) {
      // Answer as for an unknown device: one tenant learns nothing about another's devices.
      return { status: 'failed', error: 'not-found', message: `unknown device ${deviceId}` };
    }
    this.#logger.info({ deviceId }, 'manual backup requested');
    const outcome = await this.#scheduler.trigger(deviceId, {
      signal: this.#stop.signal,
      ...(request.tenant_id !== undefined ? { tenantId: request.tenant_id } : {}),
    });
    switch (outcome.status) {
      case 'success':
        return {
          status: 'success',
          sha256_hash: outcome.sha256!,
          message: outcome.changed ? 'changed' : 'unchanged',
        };
      case 'locked':
        return {
          status: 'locked',
          message: outcome.message ?? `${deviceId} is being backed up by another instance`,
        };
      case 'skipped':
        return {
          status: 'failed',
          error: 'skipped',
          message: outcome.message ?? `${deviceId} was skipped (${outcome.reason ?? 'unknown'})`,
        };
      case 'failed':
        return {
          status: 'failed',
          error: outcome.kind ?? (known ? 'failed' : 'not-found'),
          message: outcome.message ?? 'the backup failed',
        };
    }
  }
}

function parseRequest(data: Uint8Array): TriggerRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return 'the request is not JSON; expected {"device_id":"…","tenant_id":"…"}';
  }
  if (typeof value !== 'object' || value === null) return 'the request must be a JSON object';
  const { device_id: deviceId, tenant_id: tenantId } = value as Record<string, unknown>;
  if (typeof deviceId !== 'string' || deviceId === '')
    return 'device_id must be a non-empty string';
  if (tenantId !== undefined && tenantId !== null && typeof tenantId !== 'string') {
    return 'tenant_id must be a string';
  }
  return typeof tenantId === 'string'
    ? { device_id: deviceId, tenant_id: tenantId }
    : { device_id: deviceId };
}
