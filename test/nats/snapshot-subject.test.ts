/**
 * Device ids in snapshot subjects (SPEC §7), against a real nats-server with JetStream.
 */
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../src/core/backoff.js';
import { NatsSnapshotPublisher } from '../../src/nats/index.js';
import { createSnapshot, decodeSubjectToken, fromWireJson } from '../../src/publish/index.js';
import { NatsService, servicesAvailable } from '../harness/services.js';

const available = servicesAvailable('nats-server');

describe.skipIf(!available)('NatsSnapshotPublisher subjects for device ids', () => {
  const server = new NatsService();
  let nc: NatsConnection;

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

  it.each([
    ['core-sw1.example.net', 'config.snapshot.create.core-sw1%2Eexample%2Enet'],
    [
      '2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13',
      'config.snapshot.create.2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13',
    ],
    ['rack 4 *edge>', 'config.snapshot.create.rack%204%20%2Aedge%3E'],
  ])('publishes device %j on %s, with the id unchanged in device_id', async (deviceId, subject) => {
    const publisher = new NatsSnapshotPublisher({
      connection: nc,
      stream: { ensure: true },
      ackTimeoutMs: 2_000,
      retryBackoff: new ExponentialBackoff({ initialMs: 50, maxMs: 200 }),
    });
    try {
      const receipt = await publisher.publish(
        createSnapshot({ deviceId, tenantId: 'acme', vendor: 'cisco-ios', configText: 'end\n' }),
      );
      const jsm = await nc.jetstreamManager();
      const stored = await jsm.streams.getMessage(receipt.stream, { seq: receipt.seq });
      expect(stored.subject).toBe(subject);
      expect(decodeSubjectToken(stored.subject.split('.').at(-1)!)).toBe(deviceId);
      expect(fromWireJson(stored.data).deviceId).toBe(deviceId);
    } finally {
      await publisher.close();
    }
  });

  it('keeps the shared connection up while publishing the longest allowed id', async () => {
    const publisher = new NatsSnapshotPublisher({
      connection: nc,
      stream: { ensure: true },
      ackTimeoutMs: 2_000,
    });
    const deviceId = '.'.repeat(255);
    try {
      const receipt = await publisher.publish(
        createSnapshot({ deviceId, tenantId: 'acme', vendor: 'cisco-ios', configText: 'end\n' }),
      );
      expect(receipt.duplicate).toBe(false);
      expect(nc.isClosed()).toBe(false);
      await nc.flush();
    } finally {
      await publisher.close();
    }
  });
});
