import { setMaxListeners } from 'node:events';
import {
  ErrorCode,
  Events,
  NatsError,
  headers as natsHeaders,
  type JetStreamClient,
  type JetStreamPublishOptions,
  type NatsConnection,
  type PubAck,
  type Status,
} from 'nats';
import { linkedAbortController, raceSignal } from '../core/abort.js';
import { ExponentialBackoff, type BackoffPolicy } from '../core/backoff.js';
import { systemClock, type Clock } from '../core/clock.js';
import { BackupError, isBackupError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { encodeSubjectToken } from '../publish/device-id.js';
import {
  isSubjectToken,
  toWireJson,
  type PublishOptions,
  type PublishReceipt,
  type Snapshot,
  type SnapshotPublisher,
} from '../publish/snapshot.js';
import { admitSnapshot } from '../publish/admission.js';
import { Outbox, type SendFailure } from './outbox.js';
import {
  DEFAULT_SNAPSHOT_DUPLICATE_WINDOW_MS,
  DEFAULT_SNAPSHOT_MAX_AGE_MS,
  DEFAULT_SNAPSHOT_STREAM_NAME,
  DEFAULT_SNAPSHOT_STREAM_SUBJECTS,
  apiErrorCode,
  ensureSnapshotStream,
  exceededStreamLimit,
  subjectCovers,
  type EnsureStreamOutcome,
  type SnapshotStreamSettings,
  type StreamLimitName,
} from './stream.js';

/** Default subject prefix: snapshots go to `config.snapshot.create.<device_id>` (SPEC §5). */
export const DEFAULT_SNAPSHOT_SUBJECT_PREFIX = 'config.snapshot.create';

/** The JetStream stream {@link NatsSnapshotPublisher} publishes into. */
export interface NatsSnapshotStreamOptions {
  /**
   * Name of the stream. Default `CONFIG_SNAPSHOTS`. When `stream` is given at all, every publish
   * also tells the server to store it only in this stream (`Nats-Expected-Stream`), so a subject
   * captured by some other stream fails loudly instead of landing elsewhere.
   */
  name?: string;
  /**
   * Create the stream, or bring an existing one to the settings below, before the first publish
   * (idempotent; safe with many instances). Default `false`: the backend owns the stream.
   * See `ensureStream()` for exactly what is set.
   */
  ensure?: boolean;
  /** Subjects of a created stream. Default `config.snapshot.>` (or `<subjectPrefix>.>` if that does not cover the prefix). */
  subjects?: readonly string[];
  /** How long the stream keeps a snapshot for the backend to consume. Default 7 days; 0 = forever. */
  maxAgeMs?: number;
  /** JetStream dedup window for `Nats-Msg-Id`. Default 15 min (see `DEFAULT_SNAPSHOT_DUPLICATE_WINDOW_MS`). */
  duplicateWindowMs?: number;
  /** Replicas of a created stream (clusters). Default 1. Not changed on an existing stream. */
  replicas?: number;
}

/** Bounds of the outbox where publishes wait while NATS does not acknowledge them. */
export interface NatsOutboxOptions {
  /** Most publishes waiting at once; more are rejected with `publish-failed`. Default 1000. */
  maxItems?: number;
  /** Most encoded bytes waiting at once; more are rejected with `publish-failed`. Default 64 MiB. */
  maxBytes?: number;
  /** Most publishes awaiting a PubAck at once while NATS answers. Default 32. */
  maxInFlight?: number;
}

/** Options of {@link NatsSnapshotPublisher}. */
export interface NatsSnapshotPublisherOptions {
  /** The service's existing connection. The publisher never closes it. */
  connection: NatsConnection;
  /** Snapshots go to `<subjectPrefix>.<device_id>`. Default `config.snapshot.create`. */
  subjectPrefix?: string;
  /**
   * `true` (default): JetStream, at-least-once with server-side dedup — resolves only on a PubAck.
   * `false`: core NATS for servers without JetStream, **at-most-once**: the publish resolves once
   * the server has received the message (a flush round trip), nothing stores it, subscribers that
   * are not connected at that moment never see it, and nothing is retried.
   */
  jetstream?: boolean;
  /** The stream to publish into; see {@link NatsSnapshotStreamOptions}. JetStream only. */
  stream?: NatsSnapshotStreamOptions;
  /** How long one try waits for the PubAck (or, core mode, for the flush). Default 5 000 ms. */
  ackTimeoutMs?: number;
  /** Bounds of the outbox. JetStream only. */
  outbox?: NatsOutboxOptions;
  /**
   * Delay between retry rounds while NATS does not acknowledge. Default exponential from 250 ms to
   * 5 s with equal jitter.
   */
  retryBackoff?: BackoffPolicy;
  /** Time source for retry delays and core-mode deadlines. Default `systemClock`. */
  clock?: Clock;
  /** Gets one warning per outage and one note per recovery; never a snapshot's text. */
  logger?: Logger;
}

/** Counters of a {@link NatsSnapshotPublisher}. Every `publish` call ends up in exactly one of `published` or `failed`, or is still waiting in the outbox. */
export interface NatsSnapshotPublisherStats {
  /** Publishes waiting for a PubAck right now (queued or in flight). */
  readonly outboxLength: number;
  /** Encoded bytes (payload + headers) of those publishes. */
  readonly outboxBytes: number;
  /** Publishes acknowledged, duplicates included. */
  readonly published: number;
  /** Of `published`, those the stream already held (dedup-window hits). */
  readonly duplicates: number;
  /** Tries that failed in a retryable way (timeout, no responders, disconnect, a server `-ERR` while others were in flight) and were queued again. */
  readonly retries: number;
  /** Publishes that rejected, for any reason, including a caller's abort and `close()`. */
  readonly failed: number;
}

interface OutboundMessage {
  readonly deviceId: string;
  readonly subject: string;
  readonly msgId: string;
  readonly data: Uint8Array;
  readonly bytes: number;
}

const DEFAULT_ACK_TIMEOUT_MS = 5_000;
const DEFAULT_OUTBOX_MAX_ITEMS = 1_000;
const DEFAULT_OUTBOX_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_IN_FLIGHT = 32;
const MSG_ID_HEADER = 'Nats-Msg-Id';
/** JetStream: "message size exceeds maximum allowed". */
const JS_MESSAGE_TOO_LARGE = 10054;

const RETRYABLE_CODES: ReadonlySet<string> = new Set<string>([
  ErrorCode.Timeout,
  ErrorCode.NoResponders, // also JetStream "not enabled" / temporarily unavailable: same code
  ErrorCode.Disconnect,
  ErrorCode.ConnectionRefused,
  ErrorCode.ConnectionTimeout,
  ErrorCode.JetStream408RequestTimeout,
]);

/**
 * Publishes snapshots to NATS JetStream so that nothing acknowledged is ever lost (SPEC §5).
 *
 * - Subject `<subjectPrefix>.<device_id>`, header
 *   `Nats-Msg-Id: <device_id>:<sha256>:<collected_at as epoch ms>` (see {@link snapshotMsgId});
 *   resolves only when the server's PubAck arrived, with `{ stream, seq, duplicate }`.
 * - A message larger than the server's `max_payload` is rejected with `payload-too-large` before
 *   anything is sent.
 * - While NATS does not answer (timeout, no responders, disconnected), publishes wait in a bounded
 *   FIFO outbox and are re-sent with the **same** msg id after a backoff until acknowledged — the
 *   server's dedup window makes a re-send of a message that was in fact stored harmless. A full
 *   outbox rejects new publishes with `publish-failed`; it never drops waiting ones. While sends
 *   fail, one probe at a time goes out; the first acknowledgement opens the window again. While
 *   the connection is down, a send waits for the reconnect (at most `ackTimeoutMs`) instead of
 *   making a request nats.js would leave unanswered.
 *   "No responders" is retried too, so a stream that does not exist (yet) shows as publishes
 *   waiting in the outbox and one logged warning, until the stream appears or the caller aborts.
 *   With `stream.ensure`, each such retry first ensures the stream again, so a stream that was
 *   deleted or lost with the server's store is created again (and a warning logged). With a
 *   `stream.name` and no `ensure`, a stream that exists but does not capture the subject fails
 *   the publish with `publish-failed` at once, naming its subjects.
 * - A stream full under `discard: new` (its `max_msgs`, `max_bytes` or `max_msgs_per_subject`
 *   reached) fails the publish with `publish-failed` at once, naming the limit; it is not retried.
 * - A message the server refuses with a `-ERR` — a publish line longer than its
 *   `max_control_line` (the server then closes the connection), a publish permissions violation —
 *   never holds up the others: the messages in flight when the `-ERR` came are sent again one at a
 *   time, and the one the server refuses on its own fails with `publish-failed` naming the device
 *   and the server's words, while the rest are acknowledged as usual.
 * - A stored message whose PubAck was lost is re-sent; the server reports it as a duplicate with
 *   the original sequence, so the receipt then says `duplicate: true`. This holds as long as the
 *   outage is shorter than the stream's duplicate window (default 15 min); after a longer one a
 *   re-send can store a second copy — never zero copies.
 * - A publish whose `signal` aborts rejects at once with `signal.reason` and is not retried any
 *   more (it may still have been stored; it is never reported as stored).
 * - `close()` stops retrying, rejects waiting publishes with `cancelled`, waits for the tries in
 *   flight to settle and leaves no timer. It does not close the connection.
 *
 * @example
 * ```ts
 * import { connect } from 'nats';
 * import { NatsSnapshotPublisher } from 'confsnap/nats';
 *
 * const nc = await connect({ servers: 'nats://nats:4222', maxReconnectAttempts: -1 });
 * const publisher = new NatsSnapshotPublisher({
 *   connection: nc,
 *   stream: { ensure: true },
 *   ackTimeoutMs: 5_000,
 *   outbox: { maxItems: 1_000, maxBytes: 64 * 1024 * 1024 },
 * });
 * const receipt = await publisher.publish(snapshot, { signal });
 * // { stream: 'CONFIG_SNAPSHOTS', seq: 42, duplicate: false }
 * await publisher.close();
 * ```
 */
export class NatsSnapshotPublisher implements SnapshotPublisher {
  /** The subject prefix in use. */
  readonly subjectPrefix: string;
  /** Whether this publisher uses JetStream (`false`: core NATS, at-most-once). */
  readonly jetstream: boolean;
  readonly #connection: NatsConnection;
  readonly #js: JetStreamClient | undefined;
  readonly #ackTimeoutMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #stream: (SnapshotStreamSettings & { ensure: boolean }) | undefined;
  readonly #outbox: Outbox<OutboundMessage, PublishReceipt>;
  readonly #closeController = new AbortController();
  readonly #coreSends = new Set<Promise<unknown>>();
  #streamReady: Promise<EnsureStreamOutcome> | undefined;
  #streamEnsured = false;
  readonly #serverErrorListeners = new Set<(report: ServerErrorReport) => void>();
  #statusWatch: { stop?: () => void } | undefined;
  /** Set from a disconnect until the reconnect, which resolves it. */
  #reconnected: { promise: Promise<void>; resolve: () => void } | undefined;
  #published = 0;
  #duplicates = 0;
  #failed = 0;
  #closed = false;

  /** @throws {RangeError} on an invalid subject prefix, timeout, bound or stream setting. */
  constructor(options: NatsSnapshotPublisherOptions) {
    this.#connection = options.connection;
    this.subjectPrefix = options.subjectPrefix ?? DEFAULT_SNAPSHOT_SUBJECT_PREFIX;
    if (!this.subjectPrefix.split('.').every(isSubjectToken)) {
      throw new RangeError(
        `subjectPrefix must be dot-separated NATS subject tokens without wildcards or white space, got ${JSON.stringify(this.subjectPrefix)}`,
      );
    }
    this.jetstream = options.jetstream ?? true;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    if (!Number.isInteger(this.#ackTimeoutMs) || this.#ackTimeoutMs < 1) {
      throw new RangeError(
        `ackTimeoutMs must be an integer >= 1, got ${String(options.ackTimeoutMs)}`,
      );
    }
    this.#clock = options.clock ?? systemClock;
    // Every core-mode publish waiting for its flush listens on this signal; a fleet has more than 10.
    setMaxListeners(0, this.#closeController.signal);
    this.#logger = options.logger ?? silentLogger;
    if (!this.jetstream && options.stream) {
      throw new RangeError('stream options need JetStream; remove them or set jetstream: true');
    }
    this.#stream = options.stream && streamSettings(options.stream, this.subjectPrefix);
    this.#js = this.jetstream
      ? this.#connection.jetstream({ timeout: this.#ackTimeoutMs })
      : undefined;
    this.#outbox = new Outbox<OutboundMessage, PublishReceipt>({
      maxItems: options.outbox?.maxItems ?? DEFAULT_OUTBOX_MAX_ITEMS,
      maxBytes: options.outbox?.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES,
      maxInFlight: options.outbox?.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      clock: this.#clock,
      backoff:
        options.retryBackoff ??
        new ExponentialBackoff({ initialMs: 250, maxMs: 5_000, jitter: 'equal' }),
      send: (message) => this.#sendJetStream(message),
      classify: (error, message, alone) => this.#classify(error, message, alone),
      onOutage: (error, waiting) =>
        this.#logger.warn(
          { outboxLength: waiting, error: describeError(error) },
          'NATS does not acknowledge snapshots; they wait in the outbox and are retried with the same msg id',
        ),
      onRecovery: (outageMs, waiting) =>
        this.#logger.info(
          { outageMs, outboxLength: waiting, retries: this.#outbox.retries },
          'NATS acknowledges snapshots again',
        ),
    });
    if (this.jetstream) this.#watchServerErrors();
  }

  /**
   * Publishes `snapshot` and resolves with the PubAck (JetStream) once it is stored.
   *
   * Rejects with a `BackupError`: `payload-too-large` (nothing was sent), `publish-failed` (invalid
   * snapshot, outbox full, the server refused it, the connection is closed), `cancelled` (the
   * publisher was closed while it waited) — or with `signal.reason` when `signal` aborts.
   */
  publish(snapshot: Snapshot, options: PublishOptions = {}): Promise<PublishReceipt> {
    const result = this.#publish(snapshot, options.signal);
    result.then(
      (receipt) => {
        this.#published++;
        if (receipt.duplicate) this.#duplicates++;
      },
      () => {
        this.#failed++;
      },
    );
    return result;
  }

  /** Counters and the outbox's size right now. */
  stats(): NatsSnapshotPublisherStats {
    return {
      outboxLength: this.#outbox.length,
      outboxBytes: this.#outbox.bytes,
      published: this.#published,
      duplicates: this.#duplicates,
      retries: this.#outbox.retries,
      failed: this.#failed,
    };
  }

  /**
   * Creates the stream, or updates an existing one, to: the configured subjects (added when not
   * covered), limits retention and file storage (when created), `max_age` = `maxAgeMs`, no message or
   * byte limit (when created), `discard: new`, `duplicate_window` = `duplicateWindowMs`. Resolves with
   * what it did; calling it again when nothing changed does nothing (`unchanged`).
   *
   * With `stream.ensure: true` the publisher calls this itself before its first publish; call it
   * at start-up to fail fast on a misconfiguration.
   *
   * @throws {BackupError} `publish-failed` when NATS refuses or does not answer; rejects with
   * `signal.reason` when `signal` aborts.
   */
  async ensureStream(options: PublishOptions = {}): Promise<EnsureStreamOutcome> {
    if (!this.#js) {
      throw new BackupError({
        kind: 'publish-failed',
        message: 'ensureStream() needs JetStream (jetstream: true)',
      });
    }
    const settings = this.#stream ?? streamSettings({}, this.subjectPrefix);
    try {
      const outcome = await raceSignal(this.#ensureNow(settings), options.signal);
      this.#streamReady ??= Promise.resolve(outcome);
      return outcome;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new BackupError({
        kind: 'publish-failed',
        message: `could not create or update the JetStream stream ${settings.name}: ${describeError(error).message}`,
        cause: error,
      });
    }
  }

  /**
   * Stops retrying, rejects every waiting publish with a `cancelled` BackupError, waits for tries in
   * flight to settle (at most `ackTimeoutMs`), and resolves with no timer left. Later publishes
   * reject with `publish-failed`. The connection stays open: it belongs to the service.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#closeController.abort();
      this.#statusWatch?.stop?.();
    }
    await this.#outbox.close(
      (message) =>
        new BackupError({
          kind: 'cancelled',
          deviceId: message.deviceId,
          message: `NatsSnapshotPublisher was closed before NATS acknowledged the snapshot of device ${message.deviceId}; it may not be stored — publish it again`,
        }),
    );
    await Promise.allSettled([...this.#coreSends]);
  }

  /** Same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #publish(snapshot: Snapshot, signal: AbortSignal | undefined): Promise<PublishReceipt> {
    const { deviceId, checked: json } = admitSnapshot(snapshot, {
      publisher: 'NatsSnapshotPublisher',
      closed: this.#closed,
      signal,
      notDone: 'published',
      check: toWireJson,
    });
    const message = this.#encode(snapshot, deviceId, json);
    if (!this.#js) return this.#publishCore(message, signal);
    if (!this.#outbox.hasRoomFor(message.bytes)) {
      throw new BackupError({
        kind: 'publish-failed',
        deviceId,
        message: `NATS outbox is full (${this.#outbox.length} snapshots, ${this.#outbox.bytes} bytes wait for an acknowledgement); the snapshot of device ${deviceId} (${message.bytes} bytes) was not queued — check the NATS server, it will be retried with the next attempt`,
        details: {
          outboxLength: this.#outbox.length,
          outboxBytes: this.#outbox.bytes,
          messageBytes: message.bytes,
        },
      });
    }
    return this.#outbox.push(message, message.bytes, signal);
  }

  #encode(snapshot: Snapshot, deviceId: string, json: string): OutboundMessage {
    const data = new TextEncoder().encode(json);
    const msgId = snapshotMsgId(snapshot);
    const bytes = data.byteLength + headerBytes(msgId);
    const maxPayload = this.#connection.info?.max_payload;
    if (maxPayload !== undefined && bytes > maxPayload) {
      throw payloadTooLarge(deviceId, bytes, maxPayload);
    }
    return {
      deviceId,
      subject: `${this.subjectPrefix}.${encodeSubjectToken(snapshot.deviceId)}`,
      msgId,
      data,
      bytes,
    };
  }

  async #sendJetStream(message: OutboundMessage): Promise<PublishReceipt> {
    if (this.#connection.isClosed()) throw connectionClosed(message.deviceId);
    const streamReady = this.#stream?.ensure ? this.#ensureOnce(this.#stream) : undefined;
    if (this.#stream && streamReady) {
      try {
        await streamReady;
      } catch (error) {
        throw new StreamSetupError(this.#stream.name, error);
      }
    }
    const options: Partial<JetStreamPublishOptions> = {
      msgID: message.msgId,
      timeout: this.#ackTimeoutMs,
      ...(this.#stream ? { expect: { streamName: this.#stream.name } } : {}),
    };
    // A server that refuses the message with a `-ERR` (often closing the connection with it)
    // never answers its request: the -ERR is the only news of the refusal, so stop waiting on it.
    await this.#untilConnected();
    const refusal = this.#nextServerError(message);
    const publishing = this.#js!.publish(message.subject, message.data, options);
    publishing.catch(() => {});
    let ack: PubAck;
    try {
      ack = await Promise.race([publishing, refusal.promise]);
    } catch (error) {
      throw await this.#explainFailure(error, message, streamReady);
    } finally {
      refusal.dispose();
    }
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  /**
   * Turns a failed publish that will fail the same way every time into a `BackupError`, and
   * arranges a re-ensure when the stream is gone; other errors are returned as they are.
   */
  async #explainFailure(
    error: unknown,
    message: OutboundMessage,
    streamReady: Promise<EnsureStreamOutcome> | undefined,
  ): Promise<unknown> {
    const limit = exceededStreamLimit(error);
    if (limit) return this.#streamFull(message, limit, error);
    if (describeError(error).code !== ErrorCode.NoResponders || !this.#stream) return error;
    if (this.#stream.ensure) {
      // No stream captures the subject: deleted, or the server came back without its store.
      // The next try ensures it again (once for all the tries that failed together).
      if (this.#streamReady === streamReady) this.#streamReady = undefined;
      return error;
    }
    return (await this.#subjectNotCaptured(message, this.#stream.name)) ?? error;
  }

  /** The `publish-failed` of a stream that is full under `discard: new`, naming the limit. */
  async #streamFull(
    message: OutboundMessage,
    limit: StreamLimitName,
    cause: unknown,
  ): Promise<BackupError> {
    const { deviceId } = message;
    let streamName = this.#stream?.name;
    let limitValue: number | undefined;
    try {
      const jsm = await this.#connection.jetstreamManager({ timeout: this.#ackTimeoutMs });
      streamName ??= await jsm.streams.find(message.subject);
      limitValue = (await jsm.streams.info(streamName)).config[limit];
    } catch {
      // The limit's name is enough to act on; its value is a courtesy.
    }
    const stream =
      streamName === undefined ? 'The JetStream stream' : `JetStream stream ${streamName}`;
    const value = limitValue === undefined ? '' : ` of ${limitValue}`;
    return new BackupError({
      kind: 'publish-failed',
      deviceId,
      message: `${stream} is full (its ${limit}${value} is reached and it has discard: new), so it refused the snapshot of device ${shortened(deviceId)}; raise or remove ${limit} on the stream, or let its consumer delete what it has read`,
      details: {
        limit,
        ...(limitValue === undefined ? {} : { limitValue }),
        ...(streamName === undefined ? {} : { stream: streamName }),
      },
      cause,
    });
  }

  /**
   * After "no responders": the `publish-failed` of a stream that exists but does not capture the
   * subject, or undefined when it does, when it does not exist (yet), or when NATS does not say.
   */
  async #subjectNotCaptured(
    message: OutboundMessage,
    streamName: string,
  ): Promise<BackupError | undefined> {
    let subjects: readonly string[];
    try {
      const jsm = await this.#connection.jetstreamManager({ timeout: this.#ackTimeoutMs });
      subjects = (await jsm.streams.info(streamName)).config.subjects ?? [];
    } catch {
      return undefined;
    }
    if (subjects.some((subject) => subjectCovers(subject, message.subject))) return undefined;
    return new BackupError({
      kind: 'publish-failed',
      deviceId: message.deviceId,
      message: `JetStream stream ${streamName} does not capture the subject ${shortened(message.subject)} (its subjects: ${subjects.join(', ') || 'none'}), so the snapshot of device ${shortened(message.deviceId)} was not stored; add ${this.subjectPrefix}.> to the stream's subjects`,
      details: { stream: streamName, subjects: subjects.join(', ') },
    });
  }

  /** Ensures the stream once per publisher; a failed try is forgotten so the next send tries again. */
  #ensureOnce(settings: SnapshotStreamSettings): Promise<EnsureStreamOutcome> {
    if (!this.#streamReady) {
      const ready = this.#ensureNow(settings);
      this.#streamReady = ready;
      ready.then(
        (outcome) => {
          if (outcome === 'created' && this.#streamEnsured) {
            this.#logger.warn(
              { stream: settings.name },
              'the JetStream stream was gone (deleted, or the server restarted without its store); created it again',
            );
          }
          this.#streamEnsured = true;
        },
        () => {
          if (this.#streamReady === ready) this.#streamReady = undefined;
        },
      );
    }
    return this.#streamReady;
  }

  /**
   * Follows the `-ERR`s the server sends on the connection, so a send can learn that the server
   * refused it. A connection without a status stream (a test double) simply reports none.
   */
  #watchServerErrors(): void {
    const connection = this.#connection;
    if (typeof connection.status !== 'function') return;
    const statuses = connection.status();
    this.#statusWatch = statuses as { stop?: () => void };
    void (async () => {
      try {
        for await (const status of statuses) {
          if (status.type === Events.Disconnect) {
            this.#reconnected ??= resolvable();
            continue;
          }
          if (status.type === Events.Reconnect) {
            this.#reconnected?.resolve();
            this.#reconnected = undefined;
            continue;
          }
          if (status.type !== Events.Error) continue;
          const report = serverErrorReport(connection, status);
          for (const listener of [...this.#serverErrorListeners]) listener(report);
        }
      } catch {
        // The connection closed: no more errors to follow.
      }
    })();
  }

  /**
   * While the connection is down, waits for the reconnect, at most `ackTimeoutMs`: nats.js leaves
   * a request made while it reconnects unanswered, so sending it would only wait out the timeout.
   * Still down after that: a retryable disconnect, nothing sent.
   */
  async #untilConnected(): Promise<void> {
    const reconnected = this.#reconnected;
    if (!reconnected) return;
    const { controller, dispose } = linkedAbortController(this.#closeController.signal);
    try {
      const timedOut = this.#clock.sleep(this.#ackTimeoutMs, controller.signal).then(() => true);
      timedOut.catch(() => {});
      if (await Promise.race([reconnected.promise.then(() => false), timedOut])) {
        throw NatsError.errorForCode(ErrorCode.Disconnect);
      }
    } finally {
      controller.abort();
      dispose();
    }
  }

  /** Rejects with a {@link ServerRefusal} at the next `-ERR` that may be about `message`. */
  #nextServerError(message: OutboundMessage): { promise: Promise<never>; dispose: () => void } {
    let listener: ((report: ServerErrorReport) => void) | undefined;
    const promise = new Promise<never>((_, reject) => {
      listener = (report) => {
        if (mayConcern(report, message.subject)) reject(new ServerRefusal(report));
      };
      this.#serverErrorListeners.add(listener);
    });
    promise.catch(() => {});
    return { promise, dispose: () => this.#serverErrorListeners.delete(listener!) };
  }

  async #ensureNow(settings: SnapshotStreamSettings): Promise<EnsureStreamOutcome> {
    const jsm = await this.#connection.jetstreamManager({ timeout: this.#ackTimeoutMs });
    return ensureSnapshotStream(jsm, settings);
  }

  #classify(error: unknown, message: OutboundMessage, alone: boolean): SendFailure {
    const { deviceId } = message;
    if (isBackupError(error)) return { retry: false, error };
    if (error instanceof ServerRefusal) {
      // Sent with others, any of them may be the one refused: send each again on its own.
      if (!alone) return { retry: true, isolate: true };
      return { retry: false, error: refusedByServer(message, error.report) };
    }
    if (error instanceof StreamSetupError) {
      if (isRetryable(error.cause)) return { retry: true };
      return {
        retry: false,
        error: new BackupError({
          kind: 'publish-failed',
          deviceId,
          message: `could not create or update the JetStream stream ${error.streamName}, so the snapshot of device ${deviceId} was not published: ${describeError(error.cause).message}`,
          cause: error.cause,
        }),
      };
    }
    if (isRetryable(error)) return { retry: true };
    const code = describeError(error).code;
    if (code === ErrorCode.MaxPayloadExceeded) {
      const maxPayload = this.#connection.info?.max_payload ?? 0;
      return { retry: false, error: payloadTooLarge(deviceId, message.bytes, maxPayload, error) };
    }
    if (apiErrorCode(error) === JS_MESSAGE_TOO_LARGE) {
      // The stream's own max_msg_size, which can be below the server's max_payload.
      return { retry: false, error: payloadTooLarge(deviceId, message.bytes, 0, error) };
    }
    if (code === ErrorCode.ConnectionClosed || code === ErrorCode.ConnectionDraining) {
      return { retry: false, error: connectionClosed(deviceId, error) };
    }
    return {
      retry: false,
      error: new BackupError({
        kind: 'publish-failed',
        deviceId,
        message: `NATS refused the snapshot of device ${deviceId} on ${message.subject}: ${describeError(error).message}`,
        cause: error,
      }),
    };
  }

  async #publishCore(
    message: OutboundMessage,
    signal: AbortSignal | undefined,
  ): Promise<PublishReceipt> {
    const { deviceId } = message;
    if (this.#connection.isClosed()) throw connectionClosed(deviceId);
    const headers = natsHeaders();
    headers.set(MSG_ID_HEADER, message.msgId);
    try {
      this.#connection.publish(message.subject, message.data, { headers });
    } catch (error) {
      throw this.#classifyCore(error, message);
    }
    const flushed = this.#connection.flush();
    const tracked = flushed.catch(() => {});
    this.#coreSends.add(tracked);
    void tracked.finally(() => this.#coreSends.delete(tracked));
    const timer = new AbortController();
    const { controller, dispose } = linkedAbortController(
      signal,
      this.#closeController.signal,
      timer.signal,
    );
    try {
      await Promise.race([
        flushed,
        this.#clock.sleep(this.#ackTimeoutMs, controller.signal).then(() => {
          throw new BackupError({
            kind: 'publish-failed',
            deviceId,
            message: `NATS did not confirm the snapshot of device ${deviceId} within ${this.#ackTimeoutMs} ms (core NATS, at-most-once: it may or may not have reached subscribers)`,
          });
        }),
      ]);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (this.#closeController.signal.aborted) {
        throw new BackupError({
          kind: 'cancelled',
          deviceId,
          message: `NatsSnapshotPublisher was closed before the server confirmed the snapshot of device ${deviceId}; it may not have been delivered`,
          cause: error,
        });
      }
      if (isBackupError(error)) throw error;
      throw this.#classifyCore(error, message);
    } finally {
      timer.abort();
      dispose();
    }
    return { stream: '', seq: 0, duplicate: false };
  }

  #classifyCore(error: unknown, message: OutboundMessage): BackupError {
    const failure = this.#classify(error, message, true);
    if (!failure.retry && isBackupError(failure.error)) return failure.error;
    return new BackupError({
      kind: 'publish-failed',
      deviceId: message.deviceId,
      message: `NATS did not take the snapshot of device ${message.deviceId} (core NATS, not retried): ${describeError(error).message}`,
      cause: error,
    });
  }
}

/** A `-ERR` the server sent while a publish was in flight. */
interface ServerErrorReport {
  /** The nats.js error code, e.g. `NATS_PROTOCOL_ERR`, `PERMISSIONS_VIOLATION`. */
  readonly code: ErrorCode;
  /** The server's own words, e.g. `maximum control line exceeded`, when nats.js kept them. */
  readonly text: string | undefined;
  /** What a permissions violation names: `publish` or `subscription`, and the subject. */
  readonly operation: string | undefined;
  readonly subject: string | undefined;
}

/**
 * Whether a `-ERR` may be the server's answer to a publish on `subject`. Errors about the
 * connection as a whole (authorization, expired credentials, a stale connection) are not, nor is
 * a permissions violation that names another subject or a subscription.
 */
function mayConcern(report: ServerErrorReport, subject: string): boolean {
  if (report.code === ErrorCode.PermissionsViolation) {
    if (report.subject === undefined) return true;
    return report.operation === 'publish' && report.subject === subject;
  }
  if (report.code !== ErrorCode.ProtocolError) return false;
  return !/stale connection/iu.test(report.text ?? '');
}

/** The server sent a `-ERR` while the publish was in flight. */
class ServerRefusal extends Error {
  override readonly name = 'ServerRefusal';
  constructor(readonly report: ServerErrorReport) {
    super(`the NATS server sent an error: ${report.text ?? report.code}`);
  }
}

function serverErrorReport(connection: NatsConnection, status: Status): ServerErrorReport {
  const code = typeof status.data === 'string' ? (status.data as ErrorCode) : ErrorCode.Unknown;
  // nats.js hands the status stream only the error's code; the server's words stay on the
  // protocol handler as its last error.
  const lastError = (
    connection as { protocol?: { lastError?: { code?: unknown; message?: unknown } } }
  ).protocol?.lastError;
  const text =
    lastError?.code === code && typeof lastError.message === 'string'
      ? lastError.message.replace(/^'(.*)'$/su, '$1')
      : undefined;
  return {
    code,
    text,
    operation: status.permissionContext?.operation,
    subject: status.permissionContext?.subject,
  };
}

function refusedByServer(message: OutboundMessage, report: ServerErrorReport): BackupError {
  const words = report.text === undefined ? report.code : `"${report.text}"`;
  const hint = /control line/iu.test(report.text ?? '')
    ? ` The publish line holds the subject (${Buffer.byteLength(message.subject)} bytes here): shorten the subject prefix or the device id, or raise max_control_line on the server (4096 bytes by default).`
    : '';
  return new BackupError({
    kind: 'publish-failed',
    deviceId: message.deviceId,
    message: `NATS refused the snapshot of device ${shortened(message.deviceId)}: the server answered its publish with ${words}; it is not retried.${hint}`,
    details: {
      serverError: report.text ?? report.code,
      subjectBytes: Buffer.byteLength(message.subject),
    },
    cause: new ServerRefusal(report),
  });
}

function resolvable(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** `text` cut to a length that keeps an error message readable. */
function shortened(text: string, maxChars = 255): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length} characters)`;
}

/** A failure to ensure the stream, kept apart from a failure to publish. */
class StreamSetupError extends Error {
  override readonly name = 'StreamSetupError';
  constructor(
    readonly streamName: string,
    cause: unknown,
  ) {
    super(`could not ensure stream ${streamName}`, { cause });
  }
}

function streamSettings(
  options: NatsSnapshotStreamOptions,
  subjectPrefix: string,
): SnapshotStreamSettings & { ensure: boolean } {
  const ownSubject = `${subjectPrefix}.*`;
  const subjects = options.subjects
    ? [...options.subjects]
    : DEFAULT_SNAPSHOT_STREAM_SUBJECTS.some((subject) => subjectCovers(subject, ownSubject))
      ? [...DEFAULT_SNAPSHOT_STREAM_SUBJECTS]
      : [`${subjectPrefix}.>`];
  if (!subjects.some((subject) => subjectCovers(subject, ownSubject))) {
    throw new RangeError(
      `stream subjects ${JSON.stringify(subjects)} do not cover the publish subjects ${ownSubject}`,
    );
  }
  const settings = {
    name: options.name ?? DEFAULT_SNAPSHOT_STREAM_NAME,
    subjects,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_SNAPSHOT_MAX_AGE_MS,
    duplicateWindowMs: options.duplicateWindowMs ?? DEFAULT_SNAPSHOT_DUPLICATE_WINDOW_MS,
    replicas: options.replicas ?? 1,
    ensure: options.ensure ?? false,
  };
  if (!/^[^.*>\s/\\]+$/u.test(settings.name)) {
    throw new RangeError(
      `stream name ${JSON.stringify(settings.name)} is not a valid JetStream stream name`,
    );
  }
  if (!Number.isFinite(settings.maxAgeMs) || settings.maxAgeMs < 0) {
    throw new RangeError(
      `stream maxAgeMs must be >= 0 (0 = no age limit), got ${String(settings.maxAgeMs)}`,
    );
  }
  if (!Number.isFinite(settings.duplicateWindowMs) || settings.duplicateWindowMs <= 0) {
    throw new RangeError(
      `stream duplicateWindowMs must be > 0, got ${String(settings.duplicateWindowMs)}`,
    );
  }
  if (settings.maxAgeMs > 0 && settings.duplicateWindowMs > settings.maxAgeMs) {
    throw new RangeError(
      `stream duplicateWindowMs (${settings.duplicateWindowMs}) must not exceed maxAgeMs (${settings.maxAgeMs})`,
    );
  }
  if (!Number.isInteger(settings.replicas) || settings.replicas < 1) {
    throw new RangeError(
      `stream replicas must be an integer >= 1, got ${String(settings.replicas)}`,
    );
  }
  return settings;
}

/**
 * The `Nats-Msg-Id` of a snapshot (SPEC §5): `<device_id>:<sha256_hash>:<collected_at as epoch ms>`.
 * It names one collection: every retry of its publish carries the same id, so JetStream stores it
 * once however often it is re-sent, while a later collection — even of a text the stream already
 * holds, as in a rollback A → B → A — has a new id and is stored.
 *
 * @example
 * ```ts
 * snapshotMsgId(snapshot); // 'rtr-1:0e35821d…793a:1772884800000'
 * ```
 */
export function snapshotMsgId(snapshot: Snapshot): string {
  return `${snapshot.deviceId}:${snapshot.sha256}:${snapshot.collectedAt.getTime()}`;
}

/** Bytes the `Nats-Msg-Id` header adds to the message, exactly as nats.js encodes it. */
function headerBytes(msgId: string): number {
  return Buffer.byteLength(`NATS/1.0\r\n${MSG_ID_HEADER}: ${msgId}\r\n\r\n`, 'utf8');
}

function isRetryable(error: unknown): boolean {
  const { code } = describeError(error);
  if (code !== undefined && RETRYABLE_CODES.has(code)) return true;
  const apiError = (error as { api_error?: { code?: unknown } } | null)?.api_error;
  // A JetStream 5xx (e.g. "insufficient resources", no leader yet) is a state that passes.
  return typeof apiError?.code === 'number' && apiError.code >= 500;
}

function payloadTooLarge(
  deviceId: string,
  messageBytes: number,
  maxPayloadBytes: number,
  cause?: unknown,
): BackupError {
  return new BackupError({
    kind: 'payload-too-large',
    deviceId,
    message:
      maxPayloadBytes > 0
        ? `the snapshot of device ${deviceId} is ${messageBytes} bytes as a NATS message, more than the server's max_payload of ${maxPayloadBytes} bytes; raise max_payload on the NATS server (nothing was sent)`
        : `the stream refused the snapshot of device ${deviceId} (${messageBytes} bytes as a NATS message) as larger than its max_msg_size; raise the stream's max_msg_size`,
    details: { messageBytes, maxPayloadBytes },
    ...(cause === undefined ? {} : { cause }),
  });
}

function connectionClosed(deviceId: string, cause?: unknown): BackupError {
  return new BackupError({
    kind: 'publish-failed',
    deviceId,
    message: `the NATS connection is closed, so the snapshot of device ${deviceId} cannot be published; the service must reconnect`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A NATS error's code and message, for logs and error messages (no payload in either). */
function describeError(error: unknown): { code: string | undefined; message: string } {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : undefined,
      message: typeof message === 'string' ? message : 'unknown error',
    };
  }
  return { code: undefined, message: String(error) };
}
