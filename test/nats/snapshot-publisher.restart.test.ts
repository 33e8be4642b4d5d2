/**
 * The promise of the outbox, against a real nats-server that goes away mid-publish: every
 * snapshot ends up in the stream exactly once, and no receipt claims a message the stream lacks.
 */
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../src/core/backoff.js';
import { NatsSnapshotPublisher, snapshotMsgId } from '../../src/nats/index.js';
import {
  createSnapshot,
  fromWireJson,
  type PublishReceipt,
  type Snapshot,
} from '../../src/publish/index.js';
import { NatsService, servicesAvailable } from '../harness/services.js';

const available = servicesAvailable('nats-server');
const STREAM = 'CONFIG_SNAPSHOTS';
const COUNT = 200;
const STOP_AFTER = 60;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function snapshotOf(i: number): Snapshot {
  return createSnapshot({
    deviceId: `dev-${i}`,
    tenantId: 'acme',
    vendor: 'routeros',
    collectedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    configText: `/system identity\nset name=dev-${i}\n`,
  });
}

describe.skipIf(!available)('NatsSnapshotPublisher across a server restart', () => {
  const server = new NatsService();
  let nc: NatsConnection;

  beforeAll(async () => {
    await server.start();
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  });

  afterAll(async () => {
    await nc?.close();
    await server.dispose();
  });

  it('stores every one of 200 snapshots exactly once when the server stops mid-publish and returns 3 s later', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    const publisher = new NatsSnapshotPublisher({
      connection: nc,
      stream: { ensure: true },
      ackTimeoutMs: 1_000,
      retryBackoff: new ExponentialBackoff({ initialMs: 100, maxMs: 1_000, jitter: 'equal' }),
    });
    try {
      await publisher.ensureStream();
      const snapshots = Array.from({ length: COUNT }, (_, i) => snapshotOf(i));
      const receipts: Promise<PublishReceipt>[] = [];
      let restarted: Promise<void> | undefined;
      for (const [i, snapshot] of snapshots.entries()) {
        receipts.push(publisher.publish(snapshot));
        if (i === STOP_AFTER) {
          restarted = server.stop().then(async () => {
            await sleep(3_000);
            await server.start();
          });
        }
        await sleep(5);
      }
      expect(publisher.stats().outboxLength).toBeGreaterThan(0);
      await restarted;

      const settled = await Promise.allSettled(receipts);
      const rejected = settled.filter((result) => result.status === 'rejected');
      expect(rejected).toEqual([]);
      const acknowledged = settled.map(
        (result) => (result as PromiseFulfilledResult<PublishReceipt>).value,
      );

      // Exactly once: one message per msg id, and no other message.
      const jsm = await nc.jetstreamManager();
      const { state } = await jsm.streams.info(STREAM);
      expect(state.messages).toBe(COUNT);
      const storedBySeq = new Map<number, string>();
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
        const message = await jsm.streams.getMessage(STREAM, { seq });
        const stored = fromWireJson(message.data);
        expect(message.header.get('Nats-Msg-Id')).toBe(snapshotMsgId(stored));
        storedBySeq.set(seq, message.header.get('Nats-Msg-Id'));
      }
      const expectedIds = snapshots.map(snapshotMsgId);
      expect(new Set(storedBySeq.values())).toEqual(new Set(expectedIds));

      // Nothing reported acknowledged that is not: each receipt points at its own message.
      for (const [i, receipt] of acknowledged.entries()) {
        expect(receipt.stream).toBe(STREAM);
        expect(storedBySeq.get(receipt.seq)).toBe(expectedIds[i]);
      }

      expect(publisher.stats()).toMatchObject({
        outboxLength: 0,
        outboxBytes: 0,
        published: COUNT,
        failed: 0,
      });
      expect(publisher.stats().retries).toBeGreaterThan(0);
    } finally {
      await publisher.close();
      // Give late rejections a turn to surface before looking.
      await sleep(50);
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  }, 30_000);
});
