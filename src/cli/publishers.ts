import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { NatsConnection } from 'nats';
import {
  BackupError,
  DirectorySnapshotPublisher,
  type PublishOptions,
  type PublishReceipt,
  type Snapshot,
  type SnapshotPublisher,
} from '../index.js';
import type { NatsSnapshotPublisher } from '../nats/index.js';
import { errorText } from '../core/errors.js';
import { libraryLogger } from './library-log.js';
import { natsServers } from './nats-servers.js';
import { redactUrl } from './redact.js';

/** Something that keeps a command from starting: a missing git, an unreachable NATS. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
  constructor(
    message: string,
    /** 2 for what the command line asked wrongly, 1 for what the environment lacks. */
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** How long a snapshot may wait for NATS' acknowledgement before the attempt fails. */
export const NATS_PUBLISH_DEADLINE_MS = 30_000;
/** How long connecting to NATS may take at start-up. */
export const NATS_CONNECT_TIMEOUT_MS = 5_000;
const NATS_DRAIN_TIMEOUT_MS = 5_000;

/**
 * Publishes every snapshot to the directory and to NATS, and acknowledges it only when both did.
 * The receipt is the directory's, so "changed" means "the file changed". NATS gets a deadline of
 * its own: while NATS does not answer, a snapshot would otherwise wait in the outbox and hold the
 * device's concurrency slot for as long; after the deadline the attempt fails with
 * `publish-failed` and the device is retried like any failure.
 */
export class FanOutPublisher implements SnapshotPublisher {
  readonly #directory: DirectorySnapshotPublisher;
  readonly #nats: NatsSnapshotPublisher;
  readonly #deadlineMs: number;

  constructor(
    directory: DirectorySnapshotPublisher,
    nats: NatsSnapshotPublisher,
    deadlineMs = NATS_PUBLISH_DEADLINE_MS,
  ) {
    this.#directory = directory;
    this.#nats = nats;
    this.#deadlineMs = deadlineMs;
  }

  async publish(snapshot: Snapshot, options: PublishOptions = {}): Promise<PublishReceipt> {
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(
        new BackupError({
          kind: 'publish-failed',
          deviceId: snapshot.deviceId,
          message: `${snapshot.deviceId}: NATS did not acknowledge the snapshot within ${this.#deadlineMs / 1_000} s; check the server and that a JetStream stream captures config.snapshot.create.>`,
        }),
      );
    }, this.#deadlineMs);
    const onAbort = (): void => deadline.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const [file, nats] = await Promise.allSettled([
        this.#directory.publish(snapshot, options),
        this.#nats.publish(snapshot, { signal: deadline.signal }),
      ]);
      if (file.status === 'rejected') throw file.reason;
      if (nats.status === 'rejected') throw nats.reason;
      return file.value;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The NATS publisher's counters (its outbox), shown in the scheduler's `stats()`. */
  stats(): unknown {
    return this.#nats.stats();
  }

  async close(): Promise<void> {
    await Promise.all([this.#directory.close(), this.#nats.close()]);
  }
}

/** The publisher of a `backup` or `run`, and how to close it with its connection. */
export interface OpenedPublisher {
  readonly publisher: SnapshotPublisher;
  /** The NATS connection, when `--nats` was given (the trigger responder of `run` uses it). */
  readonly connection: NatsConnection | undefined;
  /** Closes the publishers, then drains and closes the NATS connection. */
  close(): Promise<void>;
}

/** Options of {@link openPublisher}. */
export interface OpenPublisherOptions {
  readonly out: string;
  readonly git: boolean;
  readonly natsUrl: string | undefined;
  /** Files the CLI keeps in `out` that are not snapshots (the pin file): kept out of git. */
  readonly ignore?: readonly string[];
  /** Told about a degraded but working setup, e.g. a stream that could not be checked. */
  readonly warn: (message: string) => void;
}

/**
 * The directory publisher (with git when asked), fanned out to JetStream when `natsUrl` is given.
 *
 * @throws {SetupError} when git is missing (`--git`), NATS cannot be reached, or no JetStream stream
 * captures the snapshot subjects.
 */
export async function openPublisher(options: OpenPublisherOptions): Promise<OpenedPublisher> {
  if (options.git) await requireGit();
  try {
    await mkdir(options.out, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new SetupError(
      `cannot create the output directory ${options.out} (${errorText(error)})`,
      1,
    );
  }
  const directory = new DirectorySnapshotPublisher({
    dir: options.out,
    git: options.git,
    ignore: options.ignore ?? [],
  });
  if (options.natsUrl === undefined) {
    return { publisher: directory, connection: undefined, close: () => directory.close() };
  }
  const { connect } = await import('nats');
  const shownUrl = redactUrl(options.natsUrl);
  const servers = natsServers(options.natsUrl);
  let connection: NatsConnection;
  try {
    connection = await connect({
      ...servers,
      name: 'confsnap',
      timeout: NATS_CONNECT_TIMEOUT_MS,
      maxReconnectAttempts: -1,
    });
  } catch (error) {
    throw new SetupError(`cannot connect to NATS at ${shownUrl}: ${errorText(error)}`, 1);
  }
  try {
    await checkStream(connection, options.warn);
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
  const { NatsSnapshotPublisher } = await import('../nats/index.js');
  const nats = new NatsSnapshotPublisher({ connection, logger: libraryLogger(options.warn) });
  const publisher = new FanOutPublisher(directory, nats);
  return {
    publisher,
    connection,
    async close() {
      await publisher.close();
      await drain(connection);
    },
  };
}

/** Fails fast when no stream would store the snapshots; they would only wait for the deadline. */
async function checkStream(connection: NatsConnection, warn: (message: string) => void) {
  const subject = 'config.snapshot.create.confsnap-check';
  try {
    const manager = await connection.jetstreamManager({ timeout: NATS_CONNECT_TIMEOUT_MS });
    await manager.streams.find(subject);
  } catch (error) {
    const text = errorText(error);
    if (/no stream matches/i.test(text)) {
      throw new SetupError(
        "no JetStream stream captures config.snapshot.create.<device_id>; create one first, e.g. nats stream add CONFIG_SNAPSHOTS --subjects 'config.snapshot.>' --defaults",
        1,
      );
    }
    if (/503|no responders|not enabled/i.test(text)) {
      throw new SetupError('the NATS server has no JetStream; enable JetStream on it', 1);
    }
    warn(
      `could not check the JetStream stream for config.snapshot.create.> (${text}); publishing anyway`,
    );
  }
}

async function drain(connection: NatsConnection): Promise<void> {
  if (connection.isClosed()) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), NATS_DRAIN_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([connection.drain().then(() => 'drained'), timeout]);
    if (outcome === 'timeout') await connection.close();
  } catch {
    await connection.close().catch(() => {});
  } finally {
    clearTimeout(timer);
  }
}

function requireGit(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('git', ['--version'], { windowsHide: true }, (error) => {
      if (error)
        reject(new SetupError('--git needs git on the PATH; install git or leave out --git', 2));
      else resolve();
    });
  });
}
