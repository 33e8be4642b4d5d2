/**
 * NatsSnapshotPublisher against a real nats-server with JetStream (test/harness).
 */
import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DiscardPolicy,
  RetentionPolicy,
  connect,
  nanos,
  type NatsConnection,
} from 'nats';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../src/core/backoff.js';
import { isBackupError } from '../../src/core/errors.js';
import { NatsSnapshotPublisher, type NatsSnapshotPublisherOptions } from '../../src/nats/index.js';
import { createSnapshot, fromWireJson, type Snapshot } from '../../src/publish/index.js';
import { NatsService, servicesAvailable } from '../harness/services.js';

const available = servicesAvailable('nats-server');
const STREAM = 'CONFIG_SNAPSHOTS';

function routerSnapshot(
  deviceId = 'rtr-1',
  configText = `/system identity\nset name=${deviceId}\n`,
): Snapshot {
  return createSnapshot({
    deviceId,
    tenantId: 'acme',
    vendor: 'routeros',
    routerosVersion: '7.16.2',
    collectedAt: new Date('2026-03-07T12:00:00Z'),
    configText,
  });
}

describe.skipIf(!available)('NatsSnapshotPublisher with a real nats-server', () => {
  const server = new NatsService();
  let nc: NatsConnection;
  const publishers: NatsSnapshotPublisher[] = [];

  function publisherWith(
    options: Partial<NatsSnapshotPublisherOptions> = {},
  ): NatsSnapshotPublisher {
    const publisher = new NatsSnapshotPublisher({
      connection: nc,
      stream: { ensure: true },
      ackTimeoutMs: 2_000,
      retryBackoff: new ExponentialBackoff({ initialMs: 50, maxMs: 200 }),
      ...options,
    });
    publishers.push(publisher);
    return publisher;
  }

  beforeAll(async () => {
    await server.start();
    nc = await connect({ servers: server.url });
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
    await Promise.all(publishers.splice(0).map((publisher) => publisher.close()));
  });

  it('stores a message with exactly the wire fields and types, the msg-id header and a matching hash', async () => {
    const snapshot = routerSnapshot();
    const receipt = await publisherWith().publish(snapshot);

    expect(receipt).toEqual({ stream: STREAM, seq: 1, duplicate: false });
    const jsm = await nc.jetstreamManager();
    const stored = await jsm.streams.getMessage(STREAM, { seq: receipt.seq });
    expect(stored.subject).toBe('config.snapshot.create.rtr-1');
    expect(stored.header.get('Nats-Msg-Id')).toBe(`rtr-1:${snapshot.sha256}:1772884800000`);
    const wire = JSON.parse(new TextDecoder().decode(stored.data)) as Record<string, unknown>;
    expect(Object.keys(wire)).toEqual([
      'device_id',
      'tenant_id',
      'routeros_version',
      'vendor',
      'collected_at',
      'sha256_hash',
      'config_text',
      'normalization_version',
    ]);
    expect(wire).toEqual({
      device_id: 'rtr-1',
      tenant_id: 'acme',
      routeros_version: '7.16.2',
      vendor: 'routeros',
      collected_at: '2026-03-07T12:00:00.000Z',
      sha256_hash: snapshot.sha256,
      config_text: snapshot.configText,
      normalization_version: 2,
    });
    expect(Number.isInteger(wire.normalization_version)).toBe(true);
    expect(wire.collected_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(wire.sha256_hash).toBe(
      createHash('sha256')
        .update(Buffer.from(String(wire.config_text), 'utf8'))
        .digest('hex'),
    );
  });

  it('is read, validated and acked by a durable pull consumer written as a backend would write it', async () => {
    const snapshot = routerSnapshot();
    await publisherWith().publish(snapshot);

    const jsm = await nc.jetstreamManager();
    await jsm.consumers.add(STREAM, {
      durable_name: 'backend',
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'config.snapshot.create.>',
    });
    const consumer = await nc.jetstream().consumers.get(STREAM, 'backend');
    const message = await consumer.next({ expires: 5_000 });
    expect(message).not.toBeNull();
    expect(message!.headers?.get('Nats-Msg-Id')).toBe(`rtr-1:${snapshot.sha256}:1772884800000`);
    expect(fromWireJson(message!.data)).toEqual(snapshot);
    await message!.ackAck();
    const info = await jsm.consumers.info(STREAM, 'backend');
    expect(info.num_ack_pending + info.num_pending).toBe(0);
  });

  it('stores one collection published twice inside the dedup window once, the second receipt a duplicate', async () => {
    const publisher = publisherWith();
    const first = await publisher.publish(routerSnapshot());
    const second = await publisher.publish(routerSnapshot());

    expect(first).toEqual({ stream: STREAM, seq: 1, duplicate: false });
    expect(second).toEqual({ stream: STREAM, seq: 1, duplicate: true });
    const info = await (await nc.jetstreamManager()).streams.info(STREAM);
    expect(info.state.messages).toBe(1);
    expect(publisher.stats()).toMatchObject({ published: 2, duplicates: 1 });
  });

  it('keeps a rollback A -> B -> A inside the dedup window: the stream holds all three, a retry of the last is a duplicate', async () => {
    const publisher = publisherWith();
    const collected = (minute: number, text: string): Snapshot =>
      createSnapshot({
        deviceId: 'rtr-1',
        tenantId: 'acme',
        vendor: 'routeros',
        collectedAt: new Date(Date.UTC(2026, 2, 7, 12, minute)),
        configText: text,
      });
    const a1 = collected(0, '/ip address\nadd address=10.0.0.1/24\n');
    const b = collected(1, '/ip address\nadd address=10.0.0.2/24\n');
    const a2 = collected(2, '/ip address\nadd address=10.0.0.1/24\n');
    expect(a2.sha256).toBe(a1.sha256);

    const receipts = [];
    for (const snapshot of [a1, b, a2]) receipts.push(await publisher.publish(snapshot));
    const retry = await publisher.publish(a2);

    expect(receipts).toEqual([
      { stream: STREAM, seq: 1, duplicate: false },
      { stream: STREAM, seq: 2, duplicate: false },
      { stream: STREAM, seq: 3, duplicate: false },
    ]);
    expect(retry).toEqual({ stream: STREAM, seq: 3, duplicate: true });
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(STREAM)).state.messages).toBe(3);
    const latest = await jsm.streams.getMessage(STREAM, {
      last_by_subj: 'config.snapshot.create.rtr-1',
    });
    expect(fromWireJson(latest.data)).toEqual(a2);
    expect(latest.header.get('Nats-Msg-Id')).toBe(
      `rtr-1:${a1.sha256}:${Date.UTC(2026, 2, 7, 12, 2)}`,
    );
  });

  it('stores a changed config of the same device as a new message', async () => {
    const publisher = publisherWith();
    await publisher.publish(routerSnapshot('rtr-1', 'a\n'));
    const changed = await publisher.publish(routerSnapshot('rtr-1', 'b\n'));
    expect(changed).toEqual({ stream: STREAM, seq: 2, duplicate: false });
  });

  it('ensureStream creates the stream limited by age only, discard new, with the dedup window', async () => {
    const outcome = await publisherWith().ensureStream();

    expect(outcome).toBe('created');
    const { config } = await (await nc.jetstreamManager()).streams.info(STREAM);
    expect(config).toMatchObject({
      subjects: ['config.snapshot.>'],
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_age: nanos(7 * 24 * 60 * 60_000),
      max_msgs: -1,
      max_bytes: -1,
      duplicate_window: nanos(15 * 60_000),
    });
  });

  it('ensureStream changes nothing when the stream already has its settings', async () => {
    await publisherWith().ensureStream();
    await expect(publisherWith().ensureStream()).resolves.toBe('unchanged');
  });

  it('ensureStream brings an existing stream to its settings and keeps the rest', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({
      name: STREAM,
      subjects: ['legacy.snapshots.>'],
      discard: DiscardPolicy.Old,
      max_msgs_per_subject: 50,
    });

    await expect(publisherWith().ensureStream()).resolves.toBe('updated');
    const { config } = await jsm.streams.info(STREAM);
    expect(config).toMatchObject({
      subjects: ['legacy.snapshots.>', 'config.snapshot.>'],
      discard: DiscardPolicy.New,
      duplicate_window: nanos(15 * 60_000),
      max_msgs_per_subject: 50,
    });
  });

  it('keeps retrying while no stream captures the subject and completes once one does', async () => {
    const publisher = publisherWith({ stream: undefined });
    const receipt = publisher.publish(routerSnapshot());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publisher.stats()).toMatchObject({ outboxLength: 1 });
    expect(publisher.stats().retries).toBeGreaterThan(0);

    await (
      await nc.jetstreamManager()
    ).streams.add({ name: 'BACKEND_OWNED', subjects: ['config.snapshot.>'] });
    await expect(receipt).resolves.toMatchObject({ stream: 'BACKEND_OWNED', duplicate: false });
  });

  it('fails with publish-failed when another stream than the configured one captures the subject', async () => {
    await (
      await nc.jetstreamManager()
    ).streams.add({ name: 'OTHER', subjects: ['config.snapshot.>'] });
    const publisher = publisherWith({ stream: { name: STREAM } });
    const error: unknown = await publisher.publish(routerSnapshot()).catch((e: unknown) => e);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(/rtr-1.*expected stream does not match/);
  });

  it('in core mode delivers the message with its header to a subscriber that is listening', async () => {
    const subscription = nc.subscribe('config.snapshot.create.>', { max: 1 });
    const snapshot = routerSnapshot();
    const receipt = await publisherWith({ jetstream: false, stream: undefined }).publish(snapshot);

    expect(receipt).toEqual({ stream: '', seq: 0, duplicate: false });
    for await (const message of subscription) {
      expect(message.headers?.get('Nats-Msg-Id')).toBe(`rtr-1:${snapshot.sha256}:1772884800000`);
      expect(fromWireJson(message.data)).toEqual(snapshot);
    }
  });
});

describe.skipIf(!available)(
  'NatsSnapshotPublisher against a server with a 1 MiB max_payload',
  () => {
    const server = new NatsService({ maxPayloadBytes: 1024 * 1024 });
    let nc: NatsConnection;

    beforeAll(async () => {
      await server.start();
      nc = await connect({ servers: server.url });
    });

    afterAll(async () => {
      await nc?.close();
      await server.dispose();
    });

    it('rejects a 2 MiB config with payload-too-large naming both sizes, and sends nothing', async () => {
      const publisher = new NatsSnapshotPublisher({ connection: nc, stream: { ensure: true } });
      await publisher.ensureStream();
      const outMsgsBefore = nc.stats().outMsgs;
      const big = routerSnapshot('rtr-big', '# filler\n'.repeat((2 * 1024 * 1024) / 9));

      const error: unknown = await publisher.publish(big).catch((e: unknown) => e);
      await publisher.close();

      expect(isBackupError(error, 'payload-too-large')).toBe(true);
      expect((error as Error).message).toMatch(
        /device rtr-big is 2\d{6} bytes .* max_payload of 1048576 bytes/,
      );
      expect(nc.stats().outMsgs).toBe(outMsgsBefore);
      const info = await (await nc.jetstreamManager()).streams.info(STREAM);
      expect(info.state.messages).toBe(0);
    });
  },
);
