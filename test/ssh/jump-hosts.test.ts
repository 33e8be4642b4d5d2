/**
 * Jump hosts (SPEC §8): a real OpenSSH sshd as the bastion, simulated devices behind it, one shared
 * connection per hop, host-key pinning of hops, one deadline, and errors that name the hop.
 */
import { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Credentials, Device, JumpHost } from '../../src/core/device.js';
import { isJumpHostRecord } from '../../src/core/device.js';
import { isBackupError, type BackupError } from '../../src/core/errors.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { MemoryHostKeyStore } from '../../src/ssh/host-keys.js';
import { fingerprintOf } from '../../src/ssh/fingerprint.js';
import { JumpHostPool } from '../../src/ssh/jump-hosts.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import {
  generateHostKey,
  startSimulatedDevice,
  startSimulatedFleet,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
  type SimulatedFleet,
} from '../../src/testing/simulated/index.js';
import { freePort, servicesAvailable, SshdService } from '../harness/services.js';
import { startSsh2JumpHost, type Ssh2JumpHost } from '../harness/ssh2-jump-host.js';
import { sampleConfig } from '../fixtures/configs.js';

const available = servicesAvailable('sshd');
const CONFIG = '/system identity\nset name=r1\n';
const DEVICE_CREDENTIALS: Credentials = { username: 'admin', password: 'admin' };
const LOGINS = /Accepted publickey for/;
const TELNET_CREDENTIALS = {
  username: 'backup',
  password: 'Telnet-pass-behind-a-hop',
};
const ENABLE_SECRET = 'En4ble-behind-a-hop';

function hostKeyFingerprintOf(publicKeyLine: string): string {
  return fingerprintOf(Buffer.from(publicKeyLine.trim().split(/\s+/)[1]!, 'base64'));
}

async function failure(promise: Promise<unknown>): Promise<BackupError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
  return error;
}

describe.skipIf(!available)('jump hosts through OpenSSH sshd', () => {
  let sshd: SshdService;
  let fleet: SimulatedFleet;
  let bastion: JumpHost;
  const pools: JumpHostPool[] = [];
  /** Who the provider was asked for: device ids and hop ids, with the hop flag. */
  let asked: { id: string; hop: boolean }[] = [];

  beforeAll(async () => {
    sshd = new SshdService({
      hostKeyTypes: ['ed25519'],
      logLevel: 'INFO',
      extraConfig: ['AllowTcpForwarding yes'],
    });
    await sshd.start();
    fleet = await startSimulatedFleet(
      Array.from({ length: 12 }, (_, i) => ({
        vendor: 'routeros' as const,
        config: CONFIG.replace('r1', `r${i}`),
      })),
    );
    bastion = { id: 'bastion1', host: '127.0.0.1', port: sshd.port };
  });
  afterAll(async () => {
    await fleet?.close();
    await sshd?.dispose();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  function pool(
    options: Partial<ConstructorParameters<typeof JumpHostPool>[0]> = {},
  ): JumpHostPool {
    asked = [];
    const made = new JumpHostPool({
      credentials: {
        get: (record) => {
          asked.push({ id: record.id, hop: isJumpHostRecord(record) });
          return Promise.resolve(
            isJumpHostRecord(record)
              ? { username: sshd.user, privateKey: sshd.clientKey.privateKey }
              : DEVICE_CREDENTIALS,
          );
        },
      },
      ...options,
    });
    pools.push(made);
    return made;
  }

  const behind = (device: SimulatedDevice, i: number, via: Device['via'] = bastion): Device => ({
    id: `r${i}`,
    host: device.host,
    port: device.port,
    vendor: 'routeros',
    via,
  });

  it('backs up 12 devices behind one bastion with one login to it, at most maxChannelsPerHop at once', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const jumpHosts = pool({ maxChannelsPerHop: 3, hostKeys });
    const loginsBefore = sshd.countOutput(LOGINS);
    let mostAtOnce = 0;
    const sampler = setInterval(() => {
      const open = fleet.devices.reduce((sum, d) => sum + d.openConnections, 0);
      mostAtOnce = Math.max(mostAtOnce, open);
    }, 2);
    try {
      const results = await Promise.all(
        fleet.devices.map((device, i) =>
          collectConfig({
            device: behind(device, i),
            credentials: DEVICE_CREDENTIALS,
            hostKeys,
            jumpHosts,
          }),
        ),
      );
      expect(results.map((r) => r.text.includes(`set name=r${results.indexOf(r)}`))).toEqual(
        Array(12).fill(true),
      );
    } finally {
      clearInterval(sampler);
    }
    await expect.poll(() => sshd.countOutput(LOGINS) - loginsBefore).toBe(1);
    expect(jumpHosts.loginCount).toBe(1);
    expect(mostAtOnce).toBeGreaterThan(0);
    expect(mostAtOnce).toBeLessThanOrEqual(3);
    // The hop was asked for once, as a jump host; its key pinned under its id, beside the devices'.
    expect(asked.filter((a) => a.hop)).toEqual([{ id: 'bastion1', hop: true }]);
    expect(await hostKeys.get('bastion1')).toBe(
      hostKeyFingerprintOf(sshd.hostKeys.ed25519.publicKey),
    );
    expect(await hostKeys.get('r0')).toBe(fleet.devices[0]!.hostKeyFingerprint);
  });

  it("turns Nagle's algorithm off on the TCP connection to the bastion, which carries every device's small packets", async () => {
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    try {
      const jumpHosts = pool();
      await collectConfig({
        device: behind(fleet.devices[2]!, 2),
        credentials: DEVICE_CREDENTIALS,
        jumpHosts,
      });
      const toBastion = setNoDelay.mock.contexts.filter(
        (socket, i) =>
          socket instanceof Socket &&
          socket.remotePort === sshd.port &&
          setNoDelay.mock.calls[i]![0] === true,
      );
      expect(toBastion).toHaveLength(1);
    } finally {
      setNoDelay.mockRestore();
    }
  });

  it('keeps the hop connection for the next device, and closes it when idle', async () => {
    const clock = new FakeClock({ now: Date.now() });
    const jumpHosts = pool({ clock, idleTimeoutMs: 60_000 });
    const device = behind(fleet.devices[0]!, 0);
    await collectConfig({ device, credentials: DEVICE_CREDENTIALS, jumpHosts, clock });
    await collectConfig({ device, credentials: DEVICE_CREDENTIALS, jumpHosts, clock });
    expect(jumpHosts.loginCount).toBe(1);
    expect(jumpHosts.connectionCount).toBe(1);
    await clock.advance(60_000);
    expect(jumpHosts.connectionCount).toBe(0);
    await collectConfig({ device, credentials: DEVICE_CREDENTIALS, jumpHosts, clock });
    expect(jumpHosts.loginCount).toBe(2);
  });

  it('fails host-key-mismatch naming the hop when the bastion presents another key, sending it no credential', async () => {
    const loginsBefore = sshd.countOutput(/Accepted|Failed|Connection closed by authenticating/);
    const other = generateHostKey();
    const hostKeys = new MemoryHostKeyStore({ bastion1: other.fingerprint });
    const jumpHosts = pool({ hostKeys });
    const error = await failure(
      collectConfig({
        device: behind(fleet.devices[0]!, 0),
        credentials: DEVICE_CREDENTIALS,
        hostKeys,
        jumpHosts,
      }),
    );
    expect(error.kind).toBe('host-key-mismatch');
    expect(error.deviceId).toBe('r0');
    expect(error.details).toMatchObject({
      hop: 'bastion1',
      expectedFingerprint: other.fingerprint,
      observedFingerprint: hostKeyFingerprintOf(sshd.hostKeys.ed25519.publicKey),
    });
    expect(error.message).toMatch(
      /^r0: jump host bastion1 \(127\.0\.0\.1:\d+\) presented host key/,
    );
    expect(error.message).toContain('no credentials were sent');
    expect(sshd.countOutput(/Accepted|Failed|Connection closed by authenticating/)).toBe(
      loginsBefore,
    );
    expect(fleet.devices[0]!.openConnections).toBe(0);
  });

  it('names the hop that refused the connection', async () => {
    const closedPort = await freePort();
    const error = await failure(
      collectConfig({
        device: behind(fleet.devices[0]!, 0, {
          id: 'bastion9',
          host: '127.0.0.1',
          port: closedPort,
        }),
        credentials: DEVICE_CREDENTIALS,
        jumpHosts: pool(),
      }),
    );
    expect(error.kind).toBe('connection-refused');
    expect(error.details?.hop).toBe('bastion9');
    expect(error.message).toBe(
      `r0: jump host bastion9 (127.0.0.1:${closedPort}) refused the connection; check that SSH is enabled on the device and the port is right`,
    );
  });

  it('reports a device the bastion cannot connect to as connection-refused from the hop', async () => {
    const closedPort = await freePort();
    const error = await failure(
      collectConfig({
        device: {
          id: 'gone',
          host: '127.0.0.1',
          port: closedPort,
          vendor: 'routeros',
          via: bastion,
        },
        credentials: DEVICE_CREDENTIALS,
        jumpHosts: pool(),
      }),
    );
    expect(error.kind).toBe('connection-refused');
    expect(error.message).toBe(
      `gone: 127.0.0.1:${closedPort} refused the connection from jump host bastion1 (127.0.0.1:${sshd.port}); check that SSH is enabled on the device and the port is right`,
    );
  });

  it('a telnet port closed behind the bastion is connection-refused from it, with telnet advice', async () => {
    const closedPort = await freePort();
    const error = await failure(
      collectConfig({
        device: {
          id: 'sw9',
          host: '127.0.0.1',
          port: closedPort,
          vendor: 'cisco-ios',
          transport: 'telnet',
          via: bastion,
        },
        credentials: TELNET_CREDENTIALS,
        jumpHosts: pool(),
      }),
    );
    expect(error.kind).toBe('connection-refused');
    expect(error.details?.hop).toBe('bastion1');
    expect(error.message).toBe(
      `sw9: 127.0.0.1:${closedPort} refused the connection from jump host bastion1 (127.0.0.1:${sshd.port}); check that telnet is enabled on the device and the port is right (telnet's default is 23)`,
    );
  });

  it('counts the hops in connectTimeoutMs: a stalled bastion is connect-timeout naming it', async () => {
    const stalled = await startSimulatedDevice({
      vendor: 'routeros',
      config: CONFIG,
      faults: { stallMidHandshake: true },
    });
    try {
      const error = await failure(
        collectConfig({
          device: behind(fleet.devices[0]!, 0, {
            id: 'slow-jump',
            host: stalled.host,
            port: stalled.port,
          }),
          credentials: DEVICE_CREDENTIALS,
          jumpHosts: pool(),
          connectTimeoutMs: 300,
        }),
      );
      expect(error.kind).toBe('connect-timeout');
      expect(error.deviceId).toBe('r0');
      expect(error.details).toMatchObject({ hop: 'slow-jump', connectTimeoutMs: 300 });
      expect(error.message).toMatch(
        /^r0: jump host slow-jump \(127\.0\.0\.1:\d+\): no SSH session within connectTimeoutMs \(300 ms/,
      );
    } finally {
      await stalled.close();
    }
  });

  it('goes through two hops: OpenSSH first, an ssh2 jump host second', async () => {
    const second = await startSsh2JumpHost();
    try {
      const jumpHosts = new JumpHostPool({
        credentials: {
          get: (record) =>
            Promise.resolve(
              record.id === 'bastion1'
                ? { username: sshd.user, privateKey: sshd.clientKey.privateKey }
                : record.id === 'site-jump'
                  ? { username: 'jump', password: 'jump-secret' }
                  : undefined,
            ),
        },
      });
      pools.push(jumpHosts);
      const via = [bastion, { id: 'site-jump', host: second.host, port: second.port }];
      const results = await Promise.all(
        fleet.devices.slice(0, 4).map((device, i) =>
          collectConfig({
            device: behind(device, i, via),
            credentials: DEVICE_CREDENTIALS,
            jumpHosts,
          }),
        ),
      );
      expect(results).toHaveLength(4);
      expect(second.logins).toBe(1);
      expect(second.channels).toBe(4);
      expect(jumpHosts.loginCount).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('backs up telnet devices behind the bastion: each TELNET session runs in a channel of the one login', async () => {
    const telnetDevices = await Promise.all(
      (['cisco-ios', 'cisco-asa', 'huawei-vrp'] as const).map((vendor) =>
        startSimulatedDevice({
          vendor,
          config: sampleConfig(vendor),
          transport: 'telnet',
          credentials: TELNET_CREDENTIALS,
          ...(vendor === 'cisco-asa' ? { privilege: { enableSecret: ENABLE_SECRET } } : {}),
        }),
      ),
    );
    try {
      // One channel at a time: a channel a telnet session does not give back would hang the rest.
      const jumpHosts = pool({ maxChannelsPerHop: 1 });
      const loginsBefore = sshd.countOutput(LOGINS);
      const record = (device: SimulatedDevice, via?: Device['via']): Device => ({
        id: `${device.vendor}-telnet`,
        host: device.host,
        port: device.port,
        vendor: device.vendor,
        transport: 'telnet',
        ...(via ? { via } : {}),
      });
      const credentials = { ...TELNET_CREDENTIALS, enableSecret: ENABLE_SECRET };
      const results = await Promise.all(
        telnetDevices.map((device) =>
          collectConfig({
            device: record(device, bastion),
            credentials,
            jumpHosts,
            connectTimeoutMs: 5_000,
          }),
        ),
      );
      const direct = [];
      for (const device of telnetDevices) {
        direct.push(await collectConfig({ device: record(device), credentials }));
      }
      expect(results.map((r) => r.transport)).toEqual(['telnet', 'telnet', 'telnet']);
      expect(results.map((r) => r.sha256)).toEqual(direct.map((r) => r.sha256));
      expect(results.every((r) => r.text.includes('hostname') || r.text.includes('sysname'))).toBe(
        true,
      );
      // The ASA landed at > and was raised through the channel.
      expect(telnetDevices[1]!.commands).toContain('enable');
      await expect.poll(() => sshd.countOutput(LOGINS) - loginsBefore).toBe(1);
      expect(jumpHosts.loginCount).toBe(1);
      expect(asked.filter((a) => a.hop)).toEqual([{ id: 'bastion1', hop: true }]);
      // Each device logged in once over telnet (through the bastion) and once directly.
      expect(telnetDevices.map((d) => d.authAttempts)).toEqual([2, 2, 2]);
      await expect.poll(() => telnetDevices.reduce((sum, d) => sum + d.openConnections, 0)).toBe(0);
    } finally {
      await Promise.all(telnetDevices.map((device) => device.close()));
    }
  });

  it('closes every hop connection at close(), and connects again on the next use', async () => {
    const jumpHosts = pool();
    const device = behind(fleet.devices[1]!, 1);
    await collectConfig({ device, credentials: DEVICE_CREDENTIALS, jumpHosts });
    expect(jumpHosts.connectionCount).toBe(1);
    await jumpHosts.close();
    expect(jumpHosts.connectionCount).toBe(0);
    await collectConfig({ device, credentials: DEVICE_CREDENTIALS, jumpHosts });
    expect(jumpHosts.loginCount).toBe(2);
  });
});

describe('jump hosts played by ssh2 servers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{
    hop: Ssh2JumpHost;
    device: SimulatedDevice;
    pool: JumpHostPool;
  }> {
    const hop = await startSsh2JumpHost();
    const device = await startSimulatedDevice({ vendor: 'routeros', config: CONFIG });
    const pool = new JumpHostPool({
      credentials: { get: () => Promise.resolve({ username: 'jump', password: 'jump-secret' }) },
    });
    cleanups.push(
      () => hop.close(),
      () => device.close(),
      () => pool.close(),
    );
    return { hop, device, pool };
  }

  const record = (hop: Ssh2JumpHost, device: SimulatedDevice): Device => ({
    id: 'r1',
    host: device.host,
    port: device.port,
    vendor: 'routeros',
    via: { id: 'jump1', host: hop.host, port: hop.port },
  });

  it('connects again after the hop connection was lost', async () => {
    const { hop, device, pool } = await setUp();
    await collectConfig({
      device: record(hop, device),
      credentials: DEVICE_CREDENTIALS,
      jumpHosts: pool,
    });
    hop.dropConnections();
    await expect.poll(() => pool.connectionCount).toBe(0);
    await collectConfig({
      device: record(hop, device),
      credentials: DEVICE_CREDENTIALS,
      jumpHosts: pool,
    });
    expect(hop.logins).toBe(2);
  });

  it('sends no credential to an impostor hop with another host key', async () => {
    const { hop, device, pool } = await setUp();
    const hostKeys = new MemoryHostKeyStore({ jump1: generateHostKey().fingerprint });
    const impostorPool = new JumpHostPool({
      credentials: { get: () => Promise.resolve({ username: 'jump', password: 'jump-secret' }) },
      hostKeys,
    });
    cleanups.push(() => impostorPool.close());
    const error = await failure(
      collectConfig({
        device: record(hop, device),
        credentials: DEVICE_CREDENTIALS,
        jumpHosts: impostorPool,
      }),
    );
    expect(error.kind).toBe('host-key-mismatch');
    expect(error.details?.hop).toBe('jump1');
    expect(hop.credentialAttempts).toBe(0);
    expect(device.authAttempts).toBe(0);
    void pool;
  });

  it('names the hop whose login was refused, as auth-failed', async () => {
    const { hop, device } = await setUp();
    const wrong = new JumpHostPool({
      credentials: { get: () => Promise.resolve({ username: 'jump', password: 'nope' }) },
    });
    cleanups.push(() => wrong.close());
    const error = await failure(
      collectConfig({
        device: record(hop, device),
        credentials: DEVICE_CREDENTIALS,
        jumpHosts: wrong,
      }),
    );
    expect(error.kind).toBe('auth-failed');
    expect(error.details?.hop).toBe('jump1');
    expect(error.message).toMatch(
      /^r1: jump host jump1 \(127\.0\.0\.1:\d+\) rejected the credentials/,
    );
    expect(error.message).not.toContain('nope');
    expect(device.authAttempts).toBe(0);
  });

  async function telnetBehind(
    hop: Ssh2JumpHost,
    faults: SimulatedDeviceOptions['faults'] = {},
  ): Promise<{ device: SimulatedDevice; record: Device }> {
    const device = await startSimulatedDevice({
      vendor: 'cisco-ios',
      config: sampleConfig('cisco-ios'),
      transport: 'telnet',
      credentials: TELNET_CREDENTIALS,
      faults,
    });
    cleanups.push(() => device.close());
    return {
      device,
      record: {
        id: 'sw1',
        host: device.host,
        port: device.port,
        vendor: 'cisco-ios',
        transport: 'telnet',
        via: { id: 'jump1', host: hop.host, port: hop.port },
      },
    };
  }

  it("a wrong telnet password behind a hop is the device's auth-failed, not the hop's", async () => {
    const { hop, pool } = await setUp();
    const { device, record: sw1 } = await telnetBehind(hop);
    const error = await failure(
      collectConfig({
        device: sw1,
        credentials: { username: 'backup', password: 'wrong-telnet-password' },
        jumpHosts: pool,
        connectTimeoutMs: 5_000,
      }),
    );
    expect(error.kind).toBe('auth-failed');
    expect(error.details.stage).toBe('telnet-login');
    expect(error.details.hop).toBeUndefined();
    expect(error.message).toMatch(/^sw1: 127\.0\.0\.1:\d+ refused the login over telnet/);
    expect(error.message).not.toContain('wrong-telnet-password');
    expect(hop.logins).toBe(1);
    expect(hop.channels).toBe(1);
    expect(device.authAttempts).toBe(1);
    // The channel was given back: the next backup through the same pool goes through.
    const result = await collectConfig({
      device: sw1,
      credentials: TELNET_CREDENTIALS,
      jumpHosts: pool,
      connectTimeoutMs: 5_000,
    });
    expect(result.transport).toBe('telnet');
    expect(hop.logins).toBe(1);
  });

  it('one connectTimeoutMs covers the hop and the telnet login: a silent device behind it is connect-timeout', async () => {
    const { hop, pool } = await setUp();
    const { device, record: sw1 } = await telnetBehind(hop, { stallAfterAccept: true });
    const started = Date.now();
    const error = await failure(
      collectConfig({
        device: sw1,
        credentials: TELNET_CREDENTIALS,
        jumpHosts: pool,
        connectTimeoutMs: 800,
      }),
    );
    expect(error.kind).toBe('connect-timeout');
    expect(error.details).toMatchObject({ connectTimeoutMs: 800 });
    expect(error.message).toMatch(/^sw1: no telnet session with 127\.0\.0\.1:\d+ within/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(hop.channels).toBe(1);
    await expect.poll(() => device.openConnections).toBe(0);
  });

  it('refuses a device with via when no pool is given', async () => {
    const { hop, device } = await setUp();
    await expect(
      collectConfig({ device: record(hop, device), credentials: DEVICE_CREDENTIALS }),
    ).rejects.toThrow(/reached through jump hosts \(via\); pass jumpHosts/);
  });
});
