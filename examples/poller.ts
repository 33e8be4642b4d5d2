/**
 * Embedding confsnap in an existing poller service: devices and pinned host keys come from the
 * service's own database, credentials from its secret store, snapshots go to JetStream, and
 * several instances share one Redis.
 */
import { Redis } from 'ioredis';
import { connect } from 'nats';
import {
  BackupScheduler,
  type CredentialProvider,
  type Device,
  type DeviceSource,
  type Logger,
  type SSHHostKeyUpdater,
} from 'confsnap';
import { NatsSnapshotPublisher, TriggerResponder } from 'confsnap/nats';
import { RedisLastSuccessStore, RedisLocker, RedisOnlineGate } from 'confsnap/redis';

/** The part of the service's database client this example needs (e.g. a `pg` Pool fits). */
interface Database {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

interface DeviceRow {
  id: string;
  tenant_id: string;
  address: string;
  ssh_port: number | null;
  vendor: string;
  os_version: string | null;
  ssh_host_key: string | null;
}

/** The service's secret store. */
interface SecretStore {
  read(path: string): Promise<{ username: string; password: string; version: string } | undefined>;
}

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    host: row.address,
    vendor: row.vendor,
    ...(row.ssh_port ? { port: row.ssh_port } : {}),
    ...(row.os_version ? { version: row.os_version } : {}),
    ...(row.ssh_host_key ? { hostKeyFingerprint: row.ssh_host_key } : {}),
  };
}

export async function startBackups(db: Database, secrets: SecretStore, logger: Logger) {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  // Fail fast while Redis is down: no offline queue.
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });

  const devices: DeviceSource = {
    list: async () =>
      (await db.query<DeviceRow>('SELECT * FROM devices WHERE backup_enabled')).rows.map(toDevice),
    get: async (id) => {
      const { rows } = await db.query<DeviceRow>('SELECT * FROM devices WHERE id = $1', [id]);
      return rows[0] && toDevice(rows[0]);
    },
  };
  const credentials: CredentialProvider = {
    get: (device) => secrets.read(`network/${device.tenantId ?? 'default'}/${device.id}`),
  };
  // Pins live beside the device row: read as device.hostKeyFingerprint, written back here.
  const updater: SSHHostKeyUpdater = {
    async updateSSHHostKey(deviceId, fingerprint) {
      await db.query(
        'UPDATE devices SET ssh_host_key = $1 WHERE id = $2 AND ssh_host_key IS NULL',
        [fingerprint, deviceId],
      );
    },
  };

  const publisher = new NatsSnapshotPublisher({ connection: nc, stream: { ensure: true } });
  const scheduler = new BackupScheduler({
    devices,
    credentials,
    publisher,
    hostKeys: { updater },
    onlineGate: new RedisOnlineGate({ redis, logger }),
    locker: new RedisLocker({ redis, logger }),
    lastSuccess: new RedisLastSuccessStore({ redis }),
    logger,
    concurrency: 20,
  });
  scheduler.on('backup:failure', (e) => logger.warn(e, 'backup failed'));
  scheduler.on('device:blocked', (e) => logger.error(e, 'device blocked: needs an operator'));
  scheduler.on('hostkey:mismatch', (e) => logger.error(e, 'host key changed: possible impostor'));
  await scheduler.start();
  const responder = new TriggerResponder({ connection: nc, scheduler, logger });

  return async function stopBackups(): Promise<void> {
    await responder.close();
    await scheduler.stop();
    await publisher.close();
    await nc.drain();
    await redis.quit();
  };
}
