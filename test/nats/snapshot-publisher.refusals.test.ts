/**
 * What a real nats-server refuses for good, and what it loses: a publish line over its
 * max_control_line, a full stream under `discard: new`, a subject the stream does not capture, a
 * stream deleted or lost with the server's store. Each refusal fails that one publish promptly
 * with `publish-failed`; the other snapshots keep getting through.
 */
import { rmSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiscardPolicy, connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../src/core/backoff.js';
import { isBackupError } from '../../src/core/errors.js';
import { NatsSnapshotPublisher, type NatsSnapshotPublisherOptions } from '../../src/nats/index.js';
import {
  createSnapshot,
  fromWireJson,
  type PublishReceipt,
  type Snapshot,
} from '../../src/publish/index.js';
import { NatsService, servicesAvailable } from '../harness/services.js';

const available = servicesAvailable('nats-server');
const STREAM = 'CONFIG_SNAPSHOTS';
/** Longer than any prompt answer needs; on the old code the refused publish waited this long. */
const GIVE_UP_MS = 12_000;

/** A nats-server with extra lines in its configuration file. */
class ConfiguredNatsService extends NatsService {
  constructor(readonly extraConfig: string[]) {
    super();
  }
  protected override command(): { file: string; args: string[] } {
    const command = super.command();
    appendFileSync(join(this.dir, 'nats.conf'), this.extraConfig.join('\n') + '\n');
    return command;
  }
}

function snapshotOf(deviceId: string, minute = 0, configText = `hostname ${deviceId}\n`): Snapshot {
  return createSnapshot({
    deviceId,
    tenantId: 'acme',
    vendor: 'cisco-ios',
    collectedAt: new Date(Date.UTC(2026, 2, 7, 12, minute)),
    configText,
  });
}

/** The error a promise rejects with, or a failure naming what it resolved with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => new Error(`expected a rejection, resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

/** Milliseconds `promise` takes to settle. */
async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await promise;
  return { value, ms: Date.now() - started };
}

function makePublisherFactory(connection: () => NatsConnection) {
  const publishers: NatsSnapshotPublisher[] = [];
  return {
    create(options: Partial<NatsSnapshotPublisherOptions> = {}): NatsSnapshotPublisher {
      const publisher = new NatsSnapshotPublisher({
        connection: connection(),
        ackTimeoutMs: 2_000,
        retryBackoff: new ExponentialBackoff({ initialMs: 50, maxMs: 200 }),
        ...options,
      });
      publishers.push(publisher);
      return publisher;
    },
    async closeAll(): Promise<void> {
      await Promise.all(publishers.splice(0).map((publisher) => publisher.close()));
    },
  };
}

describe.skipIf(!available)(
  'NatsSnapshotPublisher and a publish line over max_control_line',
  () => {
    // Short ids stay well under 512 bytes of publish line; the long (but valid: 250 bytes) one
    // does not, so the server answers -ERR and closes the shared connection on it.
    const server = new ConfiguredNatsService(['max_control_line: 512']);
    const prefix = `config.snapshot.${'p'.repeat(280)}`;
    const longId = `core-${'x'.repeat(245)}`;
    let nc: NatsConnection;
    const publishers = makePublisherFactory(() => nc);

    beforeAll(async () => {
      await server.start();
      nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    });

    afterAll(async () => {
      await publishers.closeAll();
      await nc?.close();
      await server.dispose();
    });

    it('fails the refused snapshot promptly with publish-failed and keeps publishing the others', async () => {
      const publisher = publishers.create({ subjectPrefix: prefix, stream: { ensure: true } });
      await publisher.ensureStream();
      const secret = 'enable secret 5 $1$NOTLOGGED$';
      const bad = publisher.publish(snapshotOf(longId, 0, `${secret}\n`), {
        signal: AbortSignal.timeout(GIVE_UP_MS),
      });
      const good = ['sw-1', 'sw-2', 'sw-3', 'sw-4', 'sw-5'].map((id) =>
        publisher.publish(snapshotOf(id), { signal: AbortSignal.timeout(GIVE_UP_MS) }),
      );

      const { value: error, ms } = await timed(rejection(bad));
      expect(isBackupError(error, 'publish-failed'), String(error)).toBe(true);
      const { message } = error as Error;
      expect(message).toContain(`NATS refused the snapshot of device ${longId}`);
      expect(message).toContain('maximum control line exceeded');
      expect(message).toMatch(/max_control_line/);
      expect(JSON.stringify(error) + message).not.toContain('NOTLOGGED');
      // Prompt: less than one ack timeout (2 s) — the -ERR is the answer, and the lone re-send
      // waits for the reconnect instead of being lost in it — not the caller's time limit.
      expect(ms).toBeLessThan(1_900);

      const receipts = await Promise.all(good);
      expect(receipts.every((receipt) => receipt.stream === STREAM)).toBe(true);

      // Later snapshots do not wait behind the refused one: it is gone from the outbox.
      expect(publisher.stats().outboxLength).toBe(0);
      const later = await timed(
        publisher.publish(snapshotOf('sw-6'), { signal: AbortSignal.timeout(GIVE_UP_MS) }),
      );
      expect(later.value.duplicate).toBe(false);
      expect(later.ms).toBeLessThan(1_000);

      const jsm = await nc.jetstreamManager();
      const stored = new Set<string>();
      const { state } = await jsm.streams.info(STREAM);
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
        stored.add(fromWireJson((await jsm.streams.getMessage(STREAM, { seq })).data).deviceId);
      }
      expect([...stored].sort()).toEqual(['sw-1', 'sw-2', 'sw-3', 'sw-4', 'sw-5', 'sw-6']);
      expect(publisher.stats()).toMatchObject({ published: 6, failed: 1, outboxLength: 0 });
    }, 30_000);
  },
);

describe.skipIf(!available)('NatsSnapshotPublisher and streams that refuse or vanish', () => {
  const server = new NatsService();
  let nc: NatsConnection;
  const publishers = makePublisherFactory(() => nc);

  beforeAll(async () => {
    await server.start();
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });

  afterAll(async () => {
    await nc?.close();
    await server.dispose();
  });

  beforeEach(async () => {
    const jsm = await nc.jetstreamManager();
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
  });

  afterEach(async () => {
    await publishers.closeAll();
  });

  it.each([
    ['max_msgs', { max_msgs: 2 }, /its max_msgs of 2 is reached/],
    ['max_bytes', { max_bytes: 1_000 }, /its max_bytes of 1000 is reached/],
  ])(
    'fails a publish into a stream full by %s under discard: new with publish-failed at once, naming the limit',
    async (_limit, limits, named) => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({
        name: 'TINY',
        subjects: ['config.snapshot.>'],
        discard: DiscardPolicy.New,
        ...limits,
      });
      const publisher = publishers.create({ stream: { name: 'TINY' } });
      await publisher.publish(snapshotOf('sw-1', 0));
      await publisher.publish(snapshotOf('sw-2', 1));

      const { value: error, ms } = await timed(
        rejection(
          publisher.publish(snapshotOf('sw-3', 2), { signal: AbortSignal.timeout(GIVE_UP_MS) }),
        ),
      );
      expect(isBackupError(error, 'publish-failed'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(named);
      expect((error as Error).message).toContain('JetStream stream TINY is full (its max_');
      expect((error as Error).message).toContain('refused the snapshot of device sw-3');
      expect(ms).toBeLessThan(1_000);
      expect(publisher.stats()).toMatchObject({ retries: 0, failed: 1, outboxLength: 0 });
      expect((await jsm.streams.info('TINY')).state.messages).toBe(2);
    },
  );

  it('fails a publish whose subject the configured stream does not capture with publish-failed at once', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'ELSEWHERE', subjects: ['backups.other.>'] });
    const publisher = publishers.create({ stream: { name: 'ELSEWHERE' } });

    const { value: error, ms } = await timed(
      rejection(publisher.publish(snapshotOf('sw-1'), { signal: AbortSignal.timeout(GIVE_UP_MS) })),
    );
    expect(isBackupError(error, 'publish-failed'), String(error)).toBe(true);
    expect((error as Error).message).toContain(
      'JetStream stream ELSEWHERE does not capture the subject config.snapshot.create.sw-1 (its subjects: backups.other.>)',
    );
    expect((error as Error).message).toContain('add config.snapshot.create.> to the stream');
    expect(ms).toBeLessThan(1_000);
  });

  it('with ensure, creates the stream again when it is deleted mid-run and stores the next snapshot', async () => {
    const publisher = publishers.create({ stream: { ensure: true } });
    const first = await publisher.publish(snapshotOf('sw-1', 0));
    expect(first).toEqual({ stream: STREAM, seq: 1, duplicate: false });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(STREAM);

    const { value: receipt, ms } = await timed(
      publisher.publish(snapshotOf('sw-1', 1), { signal: AbortSignal.timeout(GIVE_UP_MS) }),
    );
    expect(receipt).toEqual({ stream: STREAM, seq: 1, duplicate: false });
    expect(ms).toBeLessThan(3_000);
    const info = await jsm.streams.info(STREAM);
    expect(info.state.messages).toBe(1);
    expect(info.config.discard).toBe(DiscardPolicy.New);
  });
});

describe.skipIf(!available)(
  'NatsSnapshotPublisher and a server that restarts with an empty store',
  () => {
    const server = new NatsService();
    let nc: NatsConnection;
    const publishers = makePublisherFactory(() => nc);

    beforeAll(async () => {
      await server.start();
      nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    });

    afterAll(async () => {
      await publishers.closeAll();
      await nc?.close();
      await server.dispose();
    });

    it('with ensure, creates the stream again on the fresh server and stores the next snapshots', async () => {
      const warnings: string[] = [];
      const logger = {
        debug: () => {},
        info: () => {},
        warn: (_obj: object, msg?: string) => void warnings.push(msg ?? ''),
        error: () => {},
      };
      const publisher = publishers.create({ stream: { ensure: true }, logger });
      await publisher.publish(snapshotOf('sw-1', 0));

      await server.stop();
      rmSync(join(server.dir, 'js'), { recursive: true, force: true });
      await server.start();

      const receipts: PublishReceipt[] = await Promise.all(
        ['sw-1', 'sw-2'].map((id) =>
          publisher.publish(snapshotOf(id, 1), { signal: AbortSignal.timeout(GIVE_UP_MS) }),
        ),
      );
      expect(receipts.map((receipt) => receipt.stream)).toEqual([STREAM, STREAM]);
      const info = await (await nc.jetstreamManager()).streams.info(STREAM);
      expect(info.state.messages).toBe(2);
      expect(warnings).toContain(
        'the JetStream stream was gone (deleted, or the server restarted without its store); created it again',
      );
    }, 30_000);
  },
);
