/**
 * SPEC §1.9 with pins beside the device rows (`hostKeys: { updater }`): an attempt uses the freshest
 * pin known — never a record from before the pin — so an impostor on the device's address never
 * sees a login, and the real pin is never replaced by the impostor's key.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import type { DeviceSource } from '../../src/scheduler/sources.js';
import type { SSHHostKeyUpdater } from '../../src/ssh/host-keys.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const HOUR = 3_600_000;

/** One loopback address that forwards every connection to whichever device is behind it now. */
class Address {
  target: SimulatedDevice | undefined;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor() {
    this.#server = createServer((socket) => this.#forward(socket));
  }

  static async open(): Promise<Address> {
    const address = new Address();
    await new Promise<void>((resolve) =>
      address.#server.listen({ host: '127.0.0.1', port: 0 }, resolve),
    );
    return address;
  }

  get port(): number {
    const info = this.#server.address();
    return typeof info === 'object' && info !== null ? info.port : 0;
  }

  #forward(socket: Socket): void {
    const target = this.target;
    if (!target) {
      socket.destroy();
      return;
    }
    const upstream = connect({ host: target.host, port: target.port });
    for (const end of [socket, upstream]) {
      this.#sockets.add(end);
      end.on('error', () => {});
      end.on('close', () => {
        this.#sockets.delete(end);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The service's device table: one row whose pin the updater writes. */
class DeviceTable {
  pin: string | undefined;
  readonly updates: string[] = [];
  failNextGet = false;
  readonly updater: SSHHostKeyUpdater = {
    updateSSHHostKey: (_id, fingerprint) => {
      this.updates.push(fingerprint);
      this.pin = fingerprint;
      return Promise.resolve();
    },
  };

  constructor(readonly port: number) {}

  row(): Device {
    return {
      id: 'r1',
      host: '127.0.0.1',
      port: this.port,
      vendor: 'routeros',
      ...(this.pin ? { hostKeyFingerprint: this.pin } : {}),
    };
  }

  listOnly(): DeviceSource {
    return { list: () => Promise.resolve([this.row()]) };
  }

  withGet(): DeviceSource {
    return {
      list: () => Promise.resolve([this.row()]),
      get: () => {
        if (this.failNextGet) {
          this.failNextGet = false;
          return Promise.reject(new Error('connection to the inventory database was reset'));
        }
        return Promise.resolve(this.row());
      },
    };
  }
}

describe('BackupScheduler host-key pins beside the device rows', () => {
  let real: SimulatedDevice;
  let impostor: SimulatedDevice;
  let address: Address;
  let table: DeviceTable;
  let scheduler: BackupScheduler | undefined;

  beforeEach(async () => {
    const config = sampleConfig('routeros');
    real = await startSimulatedDevice({ vendor: 'routeros', config });
    impostor = await startSimulatedDevice({ vendor: 'routeros', config });
    address = await Address.open();
    address.target = real;
    table = new DeviceTable(address.port);
  });

  afterEach(async () => {
    await scheduler?.stop({ graceful: false });
    scheduler = undefined;
    await address.close();
    await Promise.all([real.close(), impostor.close()]);
  });

  function start(devices: DeviceSource): Promise<void> {
    scheduler = new BackupScheduler({
      devices,
      credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
      publisher: new MemorySnapshotPublisher(),
      hostKeys: { updater: table.updater },
      // Only triggers run here: no regular attempt, no refresh unless the test calls it.
      initialJitterMs: [HOUR, HOUR],
      refreshIntervalMs: HOUR,
      connectTimeoutMs: 5_000,
    });
    return scheduler.start();
  }

  it('refuses an impostor on a manual trigger with a list-only device source', async () => {
    await start(table.listOnly());
    expect(await scheduler!.trigger('r1')).toMatchObject({ status: 'success' });
    expect(table.updates).toEqual([real.hostKeyFingerprint]);

    address.target = impostor;
    const outcome = await scheduler!.trigger('r1');
    expect(outcome).toMatchObject({ status: 'failed', kind: 'host-key-mismatch' });
    expect(impostor.authAttempts).toBe(0);
    expect(table.updates).toEqual([real.hostKeyFingerprint]);
    expect(table.pin).toBe(real.hostKeyFingerprint);
  });

  it('fails as unreachable, naming the device source, when the fresh read fails', async () => {
    await start(table.withGet());
    expect(await scheduler!.trigger('r1')).toMatchObject({ status: 'success' });
    expect(table.updates).toEqual([real.hostKeyFingerprint]);

    address.target = impostor;
    table.failNextGet = true;
    const outcome = await scheduler!.trigger('r1');
    expect(outcome).toMatchObject({ status: 'failed', kind: 'unreachable' });
    expect(outcome.message).toMatch(/device source/);
    expect(outcome.message).toMatch(/r1/);
    expect(impostor.authAttempts).toBe(0);
    expect(impostor.sessions).toBe(0);
    // The next read succeeds and carries the pin: the impostor is refused before any login.
    expect(await scheduler!.trigger('r1')).toMatchObject({ kind: 'host-key-mismatch' });
    expect(impostor.authAttempts).toBe(0);
    expect(table.updates).toEqual([real.hostKeyFingerprint]);
  });

  it("follows an operator's reset of the pin read after it was stored", async () => {
    await start(table.listOnly());
    expect(await scheduler!.trigger('r1')).toMatchObject({ status: 'success' });
    // The device was replaced for real; the operator verified it and cleared the pin.
    address.target = impostor;
    table.pin = undefined;
    await scheduler!.refresh();
    expect(await scheduler!.trigger('r1')).toMatchObject({ status: 'success' });
    expect(table.updates).toEqual([real.hostKeyFingerprint, impostor.hostKeyFingerprint]);
  });
});
