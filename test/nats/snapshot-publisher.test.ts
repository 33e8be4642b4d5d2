/**
 * NatsSnapshotPublisher against a fake connection: what it sends, how it classifies NATS errors,
 * and its retry timing driven by FakeClock. The real-server behaviour is in the integration tests.
 */
import { ErrorCode, NatsError, type MsgHdrs, type NatsConnection, type PubAck } from 'nats';
import { describe, expect, it } from 'vitest';
import type { BackoffPolicy } from '../../src/core/backoff.js';
import { isBackupError } from '../../src/core/errors.js';
import { NatsSnapshotPublisher, type NatsSnapshotPublisherOptions } from '../../src/nats/index.js';
import { createSnapshot, toWireJson, type Snapshot } from '../../src/publish/index.js';
import { FakeClock } from '../../src/testing/fake-clock.js';

interface JsCall {
  subject: string;
  data: Uint8Array;
  msgID: string | undefined;
  expectedStream: string | undefined;
  resolve: (ack: PubAck) => void;
  reject: (error: unknown) => void;
}

/** Just enough of a NatsConnection: JetStream publishes wait until the test answers them. */
class FakeConnection {
  info: { max_payload: number } | undefined = { max_payload: 1024 * 1024 };
  closed = false;
  readonly jsCalls: JsCall[] = [];
  readonly corePublishes: { subject: string; data: Uint8Array; headers: MsgHdrs | undefined }[] =
    [];
  flushes: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  jetstream() {
    return {
      publish: (
        subject: string,
        data: Uint8Array,
        options: { msgID?: string; expect?: { streamName?: string } },
      ): Promise<PubAck> =>
        new Promise<PubAck>((resolve, reject) => {
          this.jsCalls.push({
            subject,
            data,
            msgID: options.msgID,
            expectedStream: options.expect?.streamName,
            resolve,
            reject,
          });
        }),
    };
  }

  isClosed(): boolean {
    return this.closed;
  }

  publish(subject: string, data: Uint8Array, options: { headers?: MsgHdrs } = {}): void {
    if (this.closed) throw NatsError.errorForCode(ErrorCode.ConnectionClosed);
    this.corePublishes.push({ subject, data, headers: options.headers });
  }

  flush(): Promise<void> {
    return new Promise((resolve, reject) => this.flushes.push({ resolve, reject }));
  }

  asConnection(): NatsConnection {
    return this as unknown as NatsConnection;
  }

  call(index: number): JsCall {
    const call = this.jsCalls[index];
    if (!call) throw new Error(`no JetStream publish #${index} (${this.jsCalls.length} so far)`);
    return call;
  }
}

const fixedBackoff: BackoffPolicy = { delay: () => 1_000 };

function setUp(options: Partial<NatsSnapshotPublisherOptions> = {}) {
  const connection = new FakeConnection();
  const clock = new FakeClock();
  const publisher = new NatsSnapshotPublisher({
    connection: connection.asConnection(),
    clock,
    retryBackoff: fixedBackoff,
    ackTimeoutMs: 2_000,
    ...options,
  });
  return { connection, clock, publisher };
}

function snapshotOf(deviceId: string, configText = `hostname ${deviceId}\nend\n`): Snapshot {
  return createSnapshot({
    deviceId,
    tenantId: 'acme',
    vendor: 'cisco-ios',
    configText,
    collectedAt: new Date('2026-01-01T00:00:00Z'),
  });
}

const ack = (seq: number, duplicate = false): PubAck => ({
  stream: 'CONFIG_SNAPSHOTS',
  seq,
  duplicate,
});
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function apiError(code: number, errCode: number, description: string): NatsError {
  const error = new NatsError(description, String(code));
  error.api_error = { code, err_code: errCode, description };
  return error;
}

describe('NatsSnapshotPublisher (JetStream, fake connection)', () => {
  it('publishes to <prefix>.<device_id> with Nats-Msg-Id <device_id>:<sha256>:<collected_at ms>', async () => {
    const { connection, publisher } = setUp();
    const snapshot = snapshotOf('sw-1');
    const receipt = publisher.publish(snapshot);
    await settle();
    connection.call(0).resolve(ack(7));
    await expect(receipt).resolves.toEqual({
      stream: 'CONFIG_SNAPSHOTS',
      seq: 7,
      duplicate: false,
    });
    expect(connection.call(0).subject).toBe('config.snapshot.create.sw-1');
    expect(connection.call(0).msgID).toBe(`sw-1:${snapshot.sha256}:1767225600000`);
  });

  it('uses a configured subject prefix', async () => {
    const { connection, publisher } = setUp({ subjectPrefix: 'acme.backups' });
    void publisher.publish(snapshotOf('sw-1'));
    await settle();
    expect(connection.call(0).subject).toBe('acme.backups.sw-1');
  });

  it('asks the server to store the message only in the configured stream', async () => {
    const { connection, publisher } = setUp({ stream: { name: 'SNAPS' } });
    void publisher.publish(snapshotOf('sw-1'));
    await settle();
    expect(connection.call(0).expectedStream).toBe('SNAPS');
  });

  it('resends a timed-out publish with the same msg id and subject after the backoff', async () => {
    const { connection, clock, publisher } = setUp();
    const receipt = publisher.publish(snapshotOf('sw-1'));
    await settle();
    connection.call(0).reject(NatsError.errorForCode(ErrorCode.Timeout));
    await clock.advance(1_000);
    connection.call(1).resolve(ack(3, true));
    await expect(receipt).resolves.toEqual({ stream: 'CONFIG_SNAPSHOTS', seq: 3, duplicate: true });
    expect(connection.call(1).msgID).toBe(connection.call(0).msgID);
    expect(connection.call(1).subject).toBe(connection.call(0).subject);
    expect(connection.call(1).data).toEqual(connection.call(0).data);
  });

  it.each([
    ['no responders', () => NatsError.errorForCode(ErrorCode.NoResponders)],
    ['a disconnect', () => NatsError.errorForCode(ErrorCode.Disconnect)],
    ['a JetStream 503', () => apiError(503, 10023, 'insufficient resources')],
  ])('retries after %s', async (_name, makeError) => {
    const { connection, clock, publisher } = setUp();
    void publisher.publish(snapshotOf('sw-1'));
    await settle();
    connection.call(0).reject(makeError());
    await clock.advance(1_000);
    expect(connection.jsCalls).toHaveLength(2);
  });

  it.each([
    ['maximum messages exceeded', 'max_msgs'],
    ['maximum bytes exceeded', 'max_bytes'],
    ['maximum messages per subject exceeded', 'max_msgs_per_subject'],
  ])(
    'fails with publish-failed naming the limit, not a retry, when a full stream answers 503 %s',
    async (description, limit) => {
      const { connection, clock, publisher } = setUp({ stream: { name: 'SNAPS' } });
      const receipt = publisher.publish(snapshotOf('sw-1'));
      await settle();
      connection.call(0).reject(apiError(503, 10077, description));
      const error: unknown = await receipt.catch((e: unknown) => e);
      expect(isBackupError(error, 'publish-failed')).toBe(true);
      expect((error as Error).message).toContain(
        `JetStream stream SNAPS is full (its ${limit} is reached and it has discard: new), so it refused the snapshot of device sw-1`,
      );
      expect(clock.pendingSleepers).toBe(0);
      expect(publisher.stats()).toMatchObject({ retries: 0, failed: 1 });
    },
  );

  it('retries a store failure that names no limit', async () => {
    const { connection, clock, publisher } = setUp();
    void publisher.publish(snapshotOf('sw-1'));
    await settle();
    connection.call(0).reject(apiError(503, 10077, 'store closed'));
    await clock.advance(1_000);
    expect(connection.jsCalls).toHaveLength(2);
  });

  it('fails with payload-too-large when the stream says the message is too big', async () => {
    const { connection, publisher } = setUp();
    const receipt = publisher.publish(snapshotOf('sw-1'));
    await settle();
    connection.call(0).reject(apiError(400, 10054, 'message size exceeds maximum allowed'));
    await expect(receipt).rejects.toSatisfy((error) => isBackupError(error, 'payload-too-large'));
  });

  it('fails with publish-failed when the connection is closed for good', async () => {
    const { connection, publisher } = setUp();
    connection.closed = true;
    const error: unknown = await publisher.publish(snapshotOf('sw-1')).catch((e: unknown) => e);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(/connection is closed/);
    expect(connection.jsCalls).toHaveLength(0);
  });

  it('rejects a message larger than max_payload with payload-too-large naming both sizes, sending nothing', async () => {
    const { connection, publisher } = setUp();
    connection.info = { max_payload: 1_000 };
    const error: unknown = await publisher
      .publish(snapshotOf('sw-1', 'x'.repeat(2_000) + '\n'))
      .catch((e: unknown) => e);
    expect(isBackupError(error, 'payload-too-large')).toBe(true);
    expect((error as Error).message).toMatch(
      /device sw-1 is \d{4} bytes .* max_payload of 1000 bytes/,
    );
    expect(connection.jsCalls).toHaveLength(0);
  });

  it('counts the Nats-Msg-Id header in the message size, as the server does', async () => {
    const { connection, publisher } = setUp();
    const snapshot = snapshotOf('sw-1');
    const payloadBytes = Buffer.byteLength(toWireJson(snapshot));
    const headerBytes = `NATS/1.0\r\nNats-Msg-Id: sw-1:${snapshot.sha256}:1767225600000\r\n\r\n`
      .length;
    connection.info = { max_payload: payloadBytes + headerBytes - 1 };
    await expect(publisher.publish(snapshot)).rejects.toSatisfy((error) =>
      isBackupError(error, 'payload-too-large'),
    );
    connection.info = { max_payload: payloadBytes + headerBytes };
    void publisher.publish(snapshot);
    await settle();
    expect(connection.jsCalls).toHaveLength(1);
  });

  it('rejects an invalid snapshot with publish-failed without sending it', async () => {
    const { connection, publisher } = setUp();
    const tampered = { ...snapshotOf('sw-1'), configText: 'hostname other\nend\n' };
    await expect(publisher.publish(tampered)).rejects.toSatisfy(
      (error) =>
        isBackupError(error, 'publish-failed') && /does not match/.test((error as Error).message),
    );
    expect(connection.jsCalls).toHaveLength(0);
  });

  it('rejects new work with publish-failed when the outbox is full, keeping the waiting work', async () => {
    const { connection, publisher } = setUp({ outbox: { maxItems: 2 } });
    const first = publisher.publish(snapshotOf('sw-1'));
    const second = publisher.publish(snapshotOf('sw-2'));
    const error: unknown = await publisher.publish(snapshotOf('sw-3')).catch((e: unknown) => e);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(/outbox is full \(2 snapshots/);
    await settle();
    connection.call(0).resolve(ack(1));
    connection.call(1).resolve(ack(2));
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('reports outbox length, bytes and counters in stats()', async () => {
    const { connection, clock, publisher } = setUp();
    const a = publisher.publish(snapshotOf('sw-1'));
    const b = publisher.publish(snapshotOf('sw-2'));
    await settle();
    expect(publisher.stats()).toMatchObject({ outboxLength: 2, published: 0 });
    expect(publisher.stats().outboxBytes).toBeGreaterThan(200);
    connection.call(0).reject(NatsError.errorForCode(ErrorCode.Timeout));
    connection.call(1).resolve(ack(9, true));
    await clock.advance(1_000);
    connection.call(2).resolve(ack(10));
    await Promise.all([a, b]);
    expect(publisher.stats()).toEqual({
      outboxLength: 0,
      outboxBytes: 0,
      published: 2,
      duplicates: 1,
      retries: 1,
      failed: 0,
    });
  });

  it('rejects a waiting publish with the signal reason when its signal aborts', async () => {
    const { connection, clock, publisher } = setUp();
    const controller = new AbortController();
    const receipt = publisher.publish(snapshotOf('sw-1'), { signal: controller.signal });
    await settle();
    connection.call(0).reject(NatsError.errorForCode(ErrorCode.Timeout));
    await settle();
    const reason = new Error('attempt time limit');
    controller.abort(reason);
    await expect(receipt).rejects.toBe(reason);
    await clock.runAll();
    expect(connection.jsCalls).toHaveLength(1);
    expect(publisher.stats()).toMatchObject({ outboxLength: 0, failed: 1 });
  });

  it('on close rejects waiting publishes with cancelled and leaves no timer', async () => {
    const { connection, clock, publisher } = setUp();
    const receipt = publisher.publish(snapshotOf('sw-1'));
    await settle();
    connection.call(0).reject(NatsError.errorForCode(ErrorCode.Timeout));
    await settle();
    expect(clock.pendingSleepers).toBe(1);
    await publisher.close();
    const error: unknown = await receipt.catch((e: unknown) => e);
    expect(isBackupError(error, 'cancelled')).toBe(true);
    expect((error as Error).message).toMatch(
      /closed before NATS acknowledged the snapshot of device sw-1/,
    );
    expect(clock.pendingSleepers).toBe(0);
  });

  it('rejects publishes after close with publish-failed', async () => {
    const { publisher } = setUp();
    await publisher.close();
    await expect(publisher.publish(snapshotOf('sw-1'))).rejects.toSatisfy((error) =>
      isBackupError(error, 'publish-failed'),
    );
  });

  it('never puts the config text into an error message', async () => {
    const { connection, publisher } = setUp();
    connection.info = { max_payload: 100 };
    const error: unknown = await publisher
      .publish(snapshotOf('sw-1', 'enable secret 5 $1$SECRET$\nend\n'))
      .catch((e: unknown) => e);
    expect(JSON.stringify(error) + String(error)).not.toMatch(/SECRET/);
  });

  it('logs one warning per outage and one note on recovery, never the config text', async () => {
    const lines: { level: string; obj: object; msg: string | undefined }[] = [];
    const record =
      (level: string) =>
      (obj: object, msg?: string): void => {
        lines.push({ level, obj, msg });
      };
    const logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const { connection, clock, publisher } = setUp({ logger });
    const receipt = publisher.publish(snapshotOf('sw-1', 'enable secret 5 $1$SECRET$\nend\n'));
    await settle();
    connection.call(0).reject(NatsError.errorForCode(ErrorCode.Timeout));
    await clock.advance(1_000);
    connection.call(1).reject(NatsError.errorForCode(ErrorCode.Timeout));
    await clock.advance(1_000);
    connection.call(2).resolve(ack(1));
    await receipt;
    expect(lines.map((line) => line.level)).toEqual(['warn', 'info']);
    expect(JSON.stringify(lines)).not.toMatch(/SECRET/);
  });

  it('refuses a subject prefix with a wildcard', () => {
    expect(() => setUp({ subjectPrefix: 'config.*' })).toThrow(/subjectPrefix/);
  });

  it('refuses stream options in core mode', () => {
    expect(() => setUp({ jetstream: false, stream: { ensure: true } })).toThrow(/need JetStream/);
  });
});

describe('NatsSnapshotPublisher (core NATS, fake connection)', () => {
  it('publishes with the Nats-Msg-Id header and resolves once the server confirmed the flush', async () => {
    const { connection, publisher } = setUp({ jetstream: false });
    const snapshot = snapshotOf('sw-1');
    const receipt = publisher.publish(snapshot);
    await settle();
    expect(connection.corePublishes[0]?.subject).toBe('config.snapshot.create.sw-1');
    expect(connection.corePublishes[0]?.headers?.get('Nats-Msg-Id')).toBe(
      `sw-1:${snapshot.sha256}:1767225600000`,
    );
    connection.flushes[0]?.resolve();
    await expect(receipt).resolves.toEqual({ stream: '', seq: 0, duplicate: false });
  });

  it('fails with publish-failed when the flush is not confirmed within ackTimeoutMs, without retrying', async () => {
    const { connection, clock, publisher } = setUp({ jetstream: false });
    const receipt = publisher.publish(snapshotOf('sw-1'));
    receipt.catch(() => {});
    await clock.advance(2_000);
    const error: unknown = await receipt.catch((e: unknown) => e);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(/within 2000 ms .*at-most-once/);
    expect(connection.corePublishes).toHaveLength(1);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('fails with publish-failed when the flush fails on a disconnect', async () => {
    const { connection, publisher } = setUp({ jetstream: false });
    const receipt = publisher.publish(snapshotOf('sw-1'));
    await settle();
    connection.flushes[0]?.reject(NatsError.errorForCode(ErrorCode.Disconnect));
    await expect(receipt).rejects.toSatisfy((error) => isBackupError(error, 'publish-failed'));
  });

  it('rejects with the signal reason when the signal aborts while it waits for the flush', async () => {
    const { clock, publisher } = setUp({ jetstream: false });
    const controller = new AbortController();
    const receipt = publisher.publish(snapshotOf('sw-1'), { signal: controller.signal });
    await settle();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(receipt).rejects.toBe(reason);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('on close rejects a publish waiting for its flush with cancelled', async () => {
    const { connection, publisher } = setUp({ jetstream: false });
    const receipt = publisher.publish(snapshotOf('sw-1'));
    receipt.catch(() => {});
    await settle();
    const closing = publisher.close();
    await expect(receipt).rejects.toSatisfy((error) => isBackupError(error, 'cancelled'));
    connection.flushes[0]?.resolve();
    await closing;
  });
});
