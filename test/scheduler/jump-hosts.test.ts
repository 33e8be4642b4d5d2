/**
 * The scheduler and jump hosts (SPEC §8): hop credentials from the same provider, one login to a
 * bastion for every device behind it, and the hop connections closed at stop().
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { isJumpHostRecord } from '../../src/core/device.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { MemoryHostKeyStore } from '../../src/ssh/host-keys.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import {
  generateHostKey,
  startSimulatedFleet,
  type SimulatedFleet,
} from '../../src/testing/simulated/index.js';
import { servicesAvailable, SshdService } from '../harness/services.js';
import { startSsh2JumpHost, type Ssh2JumpHost } from '../harness/ssh2-jump-host.js';

const HOUR = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fleetOf(count: number): Promise<SimulatedFleet> {
  const fleet = await startSimulatedFleet(
    Array.from({ length: count }, (_, i) => ({
      vendor: 'routeros' as const,
      config: `/system identity\nset name=r${i}\n`,
    })),
  );
  cleanups.push(() => fleet.close());
  return fleet;
}

function scheduler(
  devices: readonly Device[],
  hopCredentials: { username: string; password?: string; privateKey?: string },
  extra: Partial<ConstructorParameters<typeof BackupScheduler>[0]> = {},
): BackupScheduler {
  const made = new BackupScheduler({
    devices: { list: () => Promise.resolve(devices) },
    credentials: {
      get: (record) =>
        Promise.resolve(
          isJumpHostRecord(record) ? hopCredentials : { username: 'admin', password: 'admin' },
        ),
    },
    publisher: new MemorySnapshotPublisher(),
    initialJitterMs: [HOUR, HOUR],
    refreshIntervalMs: HOUR,
    connectTimeoutMs: 10_000,
    ...extra,
  });
  cleanups.push(() => made.stop({ graceful: false }));
  return made;
}

describe('BackupScheduler with devices behind a jump host', () => {
  it('closes the hop connection at stop()', async () => {
    const hop: Ssh2JumpHost = await startSsh2JumpHost();
    cleanups.push(() => hop.close());
    const fleet = await fleetOf(3);
    const via = { id: 'jump1', host: hop.host, port: hop.port };
    const devices = fleet.devices.map((d, i) => ({
      id: `r${i}`,
      host: d.host,
      port: d.port,
      vendor: 'routeros',
      via,
    }));
    const hostKeys = new MemoryHostKeyStore();
    const backups = scheduler(devices, { username: 'jump', password: 'jump-secret' }, { hostKeys });
    await backups.start();
    const outcomes = await Promise.all(devices.map((d) => backups.trigger(d.id)));
    expect(outcomes.map((o) => o.status)).toEqual(['success', 'success', 'success']);
    expect(hop.logins).toBe(1);
    expect(await hostKeys.get('jump1')).toBe(hop.hostKey.fingerprint);
    expect(hop.openConnections).toBe(1);
    await backups.stop();
    await expect.poll(() => hop.openConnections).toBe(0);
  });

  it('blocks the devices behind an impostor hop, naming it in hostkey:mismatch, with no credential sent to it', async () => {
    const impostor: Ssh2JumpHost = await startSsh2JumpHost();
    cleanups.push(() => impostor.close());
    const fleet = await fleetOf(1);
    const device = {
      id: 'r0',
      host: fleet.devices[0]!.host,
      port: fleet.devices[0]!.port,
      vendor: 'routeros',
      via: { id: 'jump1', host: impostor.host, port: impostor.port },
    };
    const pinned = generateHostKey().fingerprint;
    const hostKeys = new MemoryHostKeyStore({ jump1: pinned });
    const backups = scheduler(
      [device],
      { username: 'jump', password: 'jump-secret' },
      { hostKeys },
    );
    const mismatches: unknown[] = [];
    backups.on('hostkey:mismatch', (event) => mismatches.push(event));
    await backups.start();
    const outcome = await backups.trigger('r0');
    expect(outcome).toMatchObject({ status: 'failed', kind: 'host-key-mismatch' });
    expect(outcome.message).toMatch(/^r0: jump host jump1 \(127\.0\.0\.1:\d+\) presented host key/);
    expect(mismatches).toEqual([
      {
        deviceId: 'r0',
        expectedFingerprint: pinned,
        observedFingerprint: impostor.hostKey.fingerprint,
        jumpHost: 'jump1',
      },
    ]);
    expect(backups.status('r0')?.state).toBe('blocked');
    expect(impostor.credentialAttempts).toBe(0);
    expect(fleet.devices[0]!.authAttempts).toBe(0);
  });

  it.skipIf(!servicesAvailable('sshd'))(
    'logs in to an OpenSSH bastion once for 40 devices backed up at once',
    async () => {
      const sshd = new SshdService({
        hostKeyTypes: ['ed25519'],
        logLevel: 'INFO',
        extraConfig: ['AllowTcpForwarding yes'],
      });
      await sshd.start();
      cleanups.push(() => sshd.dispose());
      const fleet = await fleetOf(40);
      const via = { id: 'bastion1', host: '127.0.0.1', port: sshd.port };
      const devices = fleet.devices.map((d, i) => ({
        id: `r${i}`,
        host: d.host,
        port: d.port,
        vendor: 'routeros',
        via,
      }));
      const backups = scheduler(
        devices,
        { username: sshd.user, privateKey: sshd.clientKey.privateKey },
        { concurrency: 40 },
      );
      await backups.start();
      const outcomes = await Promise.all(devices.map((d) => backups.trigger(d.id)));
      expect(outcomes.filter((o) => o.status === 'success')).toHaveLength(40);
      await backups.stop();
      await expect.poll(() => sshd.countOutput(/Accepted publickey for/)).toBe(1);
      await expect.poll(() => sshd.countOutput(/Disconnected from user/)).toBe(1);
    },
  );
});
