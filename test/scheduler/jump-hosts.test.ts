/**
 * The scheduler and jump hosts (SPEC §8): hop credentials from the same provider, one login to a
 * bastion for every device behind it, and the hop connections closed at stop().
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { isJumpHostRecord } from '../../src/core/device.js';
import { BackupError } from '../../src/core/errors.js';
import type { VersionedCredentials } from '../../src/core/ports.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
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

  it("emits hostkey:pinned for a hop's first key, once, naming the hop", async () => {
    const hop: Ssh2JumpHost = await startSsh2JumpHost();
    cleanups.push(() => hop.close());
    const fleet = await fleetOf(2);
    const via = { id: 'jump1', host: hop.host, port: hop.port };
    const devices = fleet.devices.map((d, i) => ({
      id: `r${i}`,
      host: d.host,
      port: d.port,
      vendor: 'routeros',
      via,
    }));
    const backups = scheduler(
      devices,
      { username: 'jump', password: 'jump-secret' },
      { hostKeys: new MemoryHostKeyStore() },
    );
    const pinned: { deviceId: string; fingerprint: string; jumpHost?: string }[] = [];
    backups.on('hostkey:pinned', (event) => pinned.push(event));
    await backups.start();
    await Promise.all(devices.map((d) => backups.trigger(d.id)));
    const hopPins = pinned.filter((event) => event.jumpHost !== undefined);
    expect(hopPins).toEqual([
      { deviceId: 'jump1', fingerprint: hop.hostKey.fingerprint, jumpHost: 'jump1' },
    ]);
    expect(
      pinned
        .filter((event) => event.jumpHost === undefined)
        .map((e) => e.deviceId)
        .sort(),
    ).toEqual(['r0', 'r1']);
  });

  it('names no jump host as failed when the hop works but cannot reach the device', async () => {
    const hop: Ssh2JumpHost = await startSsh2JumpHost();
    cleanups.push(() => hop.close());
    // A port nothing listens on: the hop's channel to it is refused.
    const fleet = await fleetOf(1);
    const port = fleet.devices[0]!.port;
    await fleet.close();
    const backups = scheduler(
      [
        {
          id: 'r0',
          host: '127.0.0.1',
          port,
          vendor: 'routeros',
          via: { id: 'jump1', host: hop.host, port: hop.port },
        },
      ],
      { username: 'jump', password: 'jump-secret' },
      { hostKeys: new MemoryHostKeyStore() },
    );
    await backups.start();
    const outcome = await backups.trigger('r0');
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/jump host jump1/);
    expect(outcome.jumpHost).toBeUndefined();
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
    const failures: { jumpHost?: string }[] = [];
    backups.on('backup:failure', (event) => failures.push(event));
    await backups.start();
    const outcome = await backups.trigger('r0');
    expect(outcome).toMatchObject({
      status: 'failed',
      kind: 'host-key-mismatch',
      jumpHost: 'jump1',
    });
    expect(failures.map((event) => event.jumpHost)).toEqual(['jump1']);
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

describe('BackupScheduler unblocks the devices behind a jump host when the hop is fixed', () => {
  it("unblocks a device blocked by a refused hop login once the hop's credential version changes", async () => {
    const hop: Ssh2JumpHost = await startSsh2JumpHost({ password: 'jump-secret' });
    cleanups.push(() => hop.close());
    const fleet = await fleetOf(1);
    const device = {
      id: 'r0',
      host: fleet.devices[0]!.host,
      port: fleet.devices[0]!.port,
      vendor: 'routeros',
      via: { id: 'jump1', host: hop.host, port: hop.port },
    };
    let hopCredentials: VersionedCredentials = {
      username: 'jump',
      password: 'wrong',
      version: 'h1',
    };
    const clock = new FakeClock();
    const backups = new BackupScheduler({
      devices: { list: () => Promise.resolve([device]) },
      credentials: {
        get: (record) =>
          Promise.resolve(
            isJumpHostRecord(record)
              ? hopCredentials
              : { username: 'admin', password: 'admin', version: 'd1' },
          ),
      },
      publisher: new MemorySnapshotPublisher(),
      clock,
      initialJitterMs: [HOUR, HOUR],
      refreshIntervalMs: 60_000,
    });
    cleanups.push(() => backups.stop({ graceful: false }));
    const unblocked: unknown[] = [];
    backups.on('device:unblocked', (event) => unblocked.push(event));
    await backups.start();
    const outcome = await backups.trigger('r0');
    expect(outcome).toMatchObject({ status: 'failed', kind: 'auth-failed' });
    expect(outcome.message).toMatch(/jump host jump1/);
    expect(backups.status('r0')?.state).toBe('blocked');

    // The re-check with the hop's credentials unchanged keeps the device blocked.
    await clock.advance(60_000);
    await expect.poll(() => backups.stats().inFlight).toBe(0);
    expect(backups.status('r0')?.state).toBe('blocked');
    expect(unblocked).toEqual([]);

    hopCredentials = { username: 'jump', password: 'jump-secret', version: 'h2' };
    await clock.advance(60_000);
    await expect.poll(() => backups.status('r0')?.lastSuccessAt).toBeDefined();
    expect(unblocked).toEqual([{ deviceId: 'r0', reason: 'credentials' }]);
    expect(hop.logins).toBe(1);
  });

  it("unblocks a device blocked by a changed hop key once the hop's pin is reset, not the device's", async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    const hostKeys = new MemoryHostKeyStore({ jump1: generateHostKey().fingerprint });
    const hopKey = generateHostKey().fingerprint;
    const via = { id: 'jump1', host: 'bastion1.example.test' };
    const device: Device = { id: 'r0', host: '10.0.0.7', vendor: 'routeros', via };
    // A collection through the hop: the hop's key is checked against its pin first.
    const collect: typeof fake.collect = async (options) => {
      const pinned = await hostKeys.get('jump1');
      if (pinned !== undefined && pinned !== hopKey) {
        throw new BackupError({
          kind: 'host-key-mismatch',
          deviceId: options.device.id,
          message: `${options.device.id}: jump host jump1 presented host key ${hopKey}, but ${pinned} is pinned for it`,
          details: { expectedFingerprint: pinned, observedFingerprint: hopKey, hop: 'jump1' },
        });
      }
      return fake.collect(options);
    };
    const backups = new BackupScheduler({
      devices: { list: () => Promise.resolve([device]) },
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher: new MemorySnapshotPublisher(),
      hostKeys,
      clock,
      collect,
      initialJitterMs: [0, 0],
      refreshIntervalMs: 60_000,
    });
    cleanups.push(() => backups.stop({ graceful: false }));
    const unblocked: unknown[] = [];
    backups.on('device:unblocked', (event) => unblocked.push(event));
    await backups.start();
    await clock.advance(1_000);
    expect(backups.status('r0')).toMatchObject({
      state: 'blocked',
      lastErrorKind: 'host-key-mismatch',
    });

    // The device's own pin changing is no fix for the hop's key.
    const deviceKey = generateHostKey().fingerprint;
    fake.setHostKey('r0', deviceKey);
    await hostKeys.set('r0', deviceKey);
    await clock.advance(60_000);
    expect(backups.status('r0')?.state).toBe('blocked');

    await hostKeys.delete('jump1');
    await clock.advance(60_000);
    expect(unblocked).toEqual([{ deviceId: 'r0', reason: 'host-key' }]);
    expect(backups.status('r0')?.lastSuccessAt).toBeDefined();
  });

  it("unblocks when the hop's pin beside the device row changes (via.hostKeyFingerprint)", async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    const hopKey = generateHostKey().fingerprint;
    let via = {
      id: 'jump1',
      host: 'bastion1.example.test',
      hostKeyFingerprint: generateHostKey().fingerprint,
    };
    const list = () => [{ id: 'r0', host: '10.0.0.7', vendor: 'routeros', via }];
    const collect: typeof fake.collect = async (options) => {
      const hop = options.device.via as typeof via;
      if (hop.hostKeyFingerprint !== hopKey) {
        throw new BackupError({
          kind: 'host-key-mismatch',
          deviceId: options.device.id,
          message: `${options.device.id}: jump host jump1 presented another key`,
          details: {
            expectedFingerprint: hop.hostKeyFingerprint,
            observedFingerprint: hopKey,
            hop: 'jump1',
          },
        });
      }
      return fake.collect(options);
    };
    const backups = new BackupScheduler({
      devices: { list: () => Promise.resolve(list()) },
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher: new MemorySnapshotPublisher(),
      hostKeys: { updater: { updateSSHHostKey: () => Promise.resolve() } },
      clock,
      collect,
      initialJitterMs: [0, 0],
      refreshIntervalMs: 60_000,
    });
    cleanups.push(() => backups.stop({ graceful: false }));
    const unblocked: unknown[] = [];
    backups.on('device:unblocked', (event) => unblocked.push(event));
    await backups.start();
    await clock.advance(1_000);
    expect(backups.status('r0')?.state).toBe('blocked');
    await clock.advance(60_000);
    expect(backups.status('r0')?.state).toBe('blocked');

    via = { ...via, hostKeyFingerprint: hopKey };
    await clock.advance(60_000);
    expect(unblocked).toEqual([{ deviceId: 'r0', reason: 'host-key' }]);
    expect(backups.status('r0')?.lastSuccessAt).toBeDefined();
  });
});
