import { connect, createInbox, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import {
  TriggerResponder,
  type TriggerReply,
  type TriggerTarget,
} from '../../src/nats/trigger-responder.js';
import type { AttemptOutcome, DeviceStatus } from '../../src/scheduler/scheduler.js';
import { MemoryLocker } from '../../src/scheduler/memory-locker.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { isValidDeviceId } from '../../src/scheduler/validate.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { NatsService, servicesAvailable } from '../harness/services.js';

const available = servicesAvailable('nats-server');
const devices: Device[] = [
  { id: 'r1', host: 'r1.example.test', vendor: 'routeros', tenantId: 't1' },
  { id: 'r2', host: 'r2.example.test', vendor: 'routeros', tenantId: 't1' },
];

describe.skipIf(!available)('TriggerResponder over NATS with three instances', () => {
  let nats: NatsService;
  let client: NatsConnection;
  const connections: NatsConnection[] = [];
  const responders: TriggerResponder[] = [];
  const schedulers: BackupScheduler[] = [];
  const fakes: FakeCollector[] = [];
  const locker = new MemoryLocker();

  beforeAll(async () => {
    nats = await new NatsService().start();
    client = await connect({ servers: nats.url });
    for (let i = 0; i < 3; i++) {
      const connection = await connect({ servers: nats.url });
      const fake = new FakeCollector({ durationMs: 600 });
      const scheduler = new BackupScheduler({
        devices: { list: () => Promise.resolve(devices) },
        credentials: { get: () => Promise.resolve({ username: 'u', password: 'p' }) },
        publisher: new MemorySnapshotPublisher(),
        collect: fake.collect,
        locker,
        // Nothing scheduled during the test: only triggers run.
        initialJitterMs: [3_600_000, 3_600_000],
      });
      await scheduler.start();
      connections.push(connection);
      fakes.push(fake);
      schedulers.push(scheduler);
      responders.push(new TriggerResponder({ connection, scheduler }));
    }
    await Promise.all(connections.map((c) => c.flush()));
  });

  afterAll(async () => {
    await Promise.all(responders.map((r) => r.close()));
    await Promise.all(schedulers.map((s) => s.stop()));
    await Promise.all([...connections, client].map((c) => c?.close()));
    await nats?.dispose();
  });

  /** Sends one request and collects every reply that arrives within `waitMs`. */
  async function requestAll(payload: unknown, waitMs = 2_500): Promise<TriggerReply[]> {
    const inbox = createInbox();
    const replies: TriggerReply[] = [];
    const sub = client.subscribe(inbox, {
      callback: (_error, msg) =>
        replies.push(JSON.parse(new TextDecoder().decode(msg.data)) as TriggerReply),
    });
    await client.flush();
    client.publish('config.backup.trigger', JSON.stringify(payload), { reply: inbox });
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    sub.unsubscribe();
    return replies;
  }

  it('answers one trigger exactly once, from one instance', async () => {
    const before = fakes.map((f) => f.calls.length);
    const replies = await requestAll({ device_id: 'r1', tenant_id: 't1' });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ status: 'success' });
    expect(replies[0]!.sha256_hash).toMatch(/^[0-9a-f]{64}$/);
    const ran = fakes.map((f, i) => f.calls.length - before[i]!);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('never answers locked while another instance is doing the work', async () => {
    for (let round = 0; round < 3; round++) {
      // Instance `round` is backing r2 up when the trigger arrives at whichever instance NATS picks.
      const working = schedulers[round]!.trigger('r2');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const replies = await requestAll({ device_id: 'r2', tenant_id: 't1' }, 2_000);
      expect(await working).toMatchObject({ status: 'success' });
      expect(replies).toHaveLength(1);
      expect(replies[0]!.status).toBe('success');
    }
  });

  it('answers failed for an unknown device', async () => {
    const replies = await requestAll({ device_id: 'nope', tenant_id: 't1' }, 500);
    expect(replies).toEqual([expect.objectContaining({ status: 'failed', error: 'not-found' })]);
  });

  it('answers failed for a device of another tenant, as if unknown', async () => {
    const replies = await requestAll({ device_id: 'r1', tenant_id: 'other' }, 500);
    expect(replies).toEqual([expect.objectContaining({ status: 'failed', error: 'not-found' })]);
  });

  it('answers failed for a request that is not JSON', async () => {
    const replies = await requestAll('{oops', 500);
    expect(replies[0]).toMatchObject({ status: 'failed', error: 'bad-request' });
  });

  it.each(['core-sw1.example.net', 'lab rtr*1>%2E'])(
    'passes the raw device id %s from the request to the scheduler and answers for it',
    async (deviceId) => {
      const asked: { status: string[]; trigger: string[] } = { status: [], trigger: [] };
      // A scheduler that knows exactly one device, by its raw id.
      const target: TriggerTarget = {
        status: (id) => {
          asked.status.push(id);
          return id === deviceId ? ({ deviceId, tenantId: 't1' } as DeviceStatus) : undefined;
        },
        trigger: (id): Promise<AttemptOutcome> => {
          asked.trigger.push(id);
          return Promise.resolve(
            id === deviceId
              ? { status: 'success', sha256: 'a'.repeat(64), changed: true }
              : { status: 'failed', message: `unknown device ${id}` },
          );
        },
      };
      const connection = await connect({ servers: nats.url });
      const responder = new TriggerResponder({
        connection,
        scheduler: target,
        subject: 'test.raw-id.trigger',
      });
      try {
        await connection.flush();
        const answered = await client.request(
          'test.raw-id.trigger',
          JSON.stringify({ device_id: deviceId, tenant_id: 't1' }),
          { timeout: 5_000 },
        );
        expect(JSON.parse(new TextDecoder().decode(answered.data))).toEqual({
          status: 'success',
          sha256_hash: 'a'.repeat(64),
          message: 'changed',
        });
        expect(asked).toEqual({ status: [deviceId], trigger: [deviceId] });
      } finally {
        await responder.close();
        await connection.close();
      }
    },
  );

  // End to end through a real scheduler, as soon as the scheduler takes FQDN ids (SPEC §7).
  it.skipIf(!isValidDeviceId('core-sw1.example.net'))(
    'backs up an FQDN device through a real scheduler when triggered with its raw id',
    async () => {
      const fqdn = 'core-sw1.example.net';
      const publisher = new MemorySnapshotPublisher();
      const fake = new FakeCollector();
      const scheduler = new BackupScheduler({
        devices: {
          list: () =>
            Promise.resolve([{ id: fqdn, host: '192.0.2.1', vendor: 'cisco-ios', tenantId: 't1' }]),
        },
        credentials: { get: () => Promise.resolve({ username: 'u', password: 'p' }) },
        publisher,
        collect: fake.collect,
        initialJitterMs: [3_600_000, 3_600_000],
      });
      await scheduler.start();
      const connection = await connect({ servers: nats.url });
      const responder = new TriggerResponder({
        connection,
        scheduler,
        subject: 'test.fqdn.trigger',
      });
      try {
        await connection.flush();
        const answered = await client.request(
          'test.fqdn.trigger',
          JSON.stringify({ device_id: fqdn, tenant_id: 't1' }),
          { timeout: 5_000 },
        );
        expect(JSON.parse(new TextDecoder().decode(answered.data))).toMatchObject({
          status: 'success',
        });
        expect(fake.calls.map((call) => call.device.id)).toEqual([fqdn]);
      } finally {
        await responder.close();
        await scheduler.stop();
        await connection.close();
      }
    },
  );

  it('stops answering once closed', async () => {
    const connection = await connect({ servers: nats.url });
    const lone = new TriggerResponder({
      connection,
      scheduler: schedulers[0]!,
      subject: 'test.lone.trigger',
    });
    await connection.flush();
    const answered = await client.request(
      'test.lone.trigger',
      JSON.stringify({ device_id: 'r1' }),
      { timeout: 5_000 },
    );
    expect(JSON.parse(new TextDecoder().decode(answered.data))).toMatchObject({
      status: 'success',
    });
    await lone.close();
    await connection.flush();
    await expect(
      client.request('test.lone.trigger', JSON.stringify({ device_id: 'r1' }), { timeout: 1_000 }),
    ).rejects.toThrow();
    await connection.close();
  });
});
