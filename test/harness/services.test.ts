import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  NatsService,
  RedisService,
  SshdService,
  findBinary,
  servicesAvailable,
  type ServiceName,
} from './services.js';
import type * as Harness from './services.js';

const execFileAsync = promisify(execFile);

// Handles that outlive a suite would keep the worker alive or leak into the next file.
const LEAKABLE = ['ProcessWrap', 'TCPSocketWrap', 'TCPServerWrap'];
function leakableHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((name) => LEAKABLE.includes(name))
    .sort();
}
let handlesBefore: string[] = [];
beforeAll(() => {
  handlesBefore = leakableHandles();
});
afterAll(() => {
  expect(leakableHandles()).toEqual(handlesBefore);
});

describe.skipIf(!servicesAvailable('redis-server'))('RedisService', () => {
  const redis = new RedisService();

  beforeAll(async () => {
    await redis.start();
  });

  afterAll(async () => {
    await redis.dispose();
  });

  /** Runs `use` with a connected client, then quits and waits for its socket to close. */
  async function withRedis<T>(use: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    const ended = once(client, 'end');
    try {
      await client.connect();
      return await use(client);
    } finally {
      await client.quit();
      await ended;
    }
  }

  it('answers a SET then GET round trip from ioredis', async () => {
    await withRedis(async (client) => {
      expect(await client.set('confsnap:harness', 'hello')).toBe('OK');
      expect(await client.get('confsnap:harness')).toBe('hello');
    });
  });

  it('comes back on the same port after stop and start', async () => {
    const port = redis.port;
    await redis.stop();
    expect(redis.running).toBe(false);
    await redis.start();
    expect(redis.running).toBe(true);
    expect(redis.port).toBe(port);
    await withRedis(async (client) => {
      expect(await client.ping()).toBe('PONG');
    });
  });
});

describe.skipIf(!servicesAvailable('nats-server'))('NatsService', () => {
  const nats = new NatsService();

  beforeAll(async () => {
    await nats.start();
  });

  afterAll(async () => {
    await nats.dispose();
  });

  async function withConnection<T>(use: (nc: NatsConnection) => Promise<T>): Promise<T> {
    const nc = await connect({ servers: nats.url, reconnect: false });
    try {
      return await use(nc);
    } finally {
      await nc.close();
    }
  }

  it('acknowledges a JetStream publish with the stream sequence', async () => {
    await withConnection(async (nc) => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'HARNESS', subjects: ['harness.>'] });
      const js = nc.jetstream();
      const first = await js.publish('harness.one', new TextEncoder().encode('first'));
      const second = await js.publish('harness.two', new TextEncoder().encode('second'));
      expect(first.stream).toBe('HARNESS');
      expect(first.seq).toBe(1);
      expect(second.seq).toBe(2);
    });
  });

  it('comes back on the same port with its streams after stop and start', async () => {
    await withConnection(async (nc) => {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'KEPT', subjects: ['kept.>'] });
      await nc.jetstream().publish('kept.one', new TextEncoder().encode('kept'));
    });
    const port = nats.port;
    await nats.stop();
    await nats.start();
    expect(nats.port).toBe(port);
    await withConnection(async (nc) => {
      const jsm = await nc.jetstreamManager();
      const info = await jsm.streams.info('KEPT');
      expect(info.state.messages).toBe(1);
    });
  });
});

describe.skipIf(!servicesAvailable('sshd'))('SshdService', () => {
  const sshd = new SshdService();

  beforeAll(async () => {
    await sshd.start();
    sshd.setDeviceOutput('/system identity\nset name=edge-1\n');
  });

  afterAll(async () => {
    await sshd.dispose();
  });

  function sshWithBinary(command: string): Promise<{ stdout: string }> {
    return execFileAsync(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-i',
        sshd.clientKey.privateKeyPath,
        '-p',
        String(sshd.port),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'LogLevel=ERROR',
        `${sshd.user}@127.0.0.1`,
        command,
      ],
      { timeout: 20_000 },
    );
  }

  /** Runs `command` with an ssh2 client; settles once the client's connection is closed. */
  function sshWithSsh2(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      const chunks: Buffer[] = [];
      let failure: Error | undefined;
      client
        .on('ready', () => {
          client.exec(command, (error, stream) => {
            if (error) {
              failure = error;
              client.end();
              return;
            }
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.on('close', () => client.end());
          });
        })
        .on('error', (error) => (failure = error))
        .on('close', () => {
          if (failure) reject(failure);
          else resolve(Buffer.concat(chunks).toString('utf8'));
        })
        .connect({
          host: '127.0.0.1',
          port: sshd.port,
          username: sshd.user,
          privateKey: sshd.clientKey.privateKey,
          readyTimeout: 20_000,
        });
    });
  }

  it('runs a command through the ssh binary and prints the device output', async () => {
    const { stdout } = await sshWithBinary('/export compact');
    expect(stdout).toBe('/system identity\nset name=edge-1\n');
    expect(sshd.lastCommand()).toBe('/export compact');
  });

  it('runs a command through an ssh2 client logged in with the client key', async () => {
    sshd.setDeviceOutput('hostname core-2\n');
    const output = await sshWithSsh2('show running-config');
    expect(output).toBe('hostname core-2\n');
    expect(sshd.lastCommand()).toBe('show running-config');
  });

  it('comes back on the same port with the same host keys after stop and start', async () => {
    const port = sshd.port;
    const hostKey = sshd.hostKeys.ed25519.publicKey;
    await sshd.stop();
    expect(sshd.running).toBe(false);
    await sshd.start();
    expect(sshd.port).toBe(port);
    expect(sshd.hostKeys.ed25519.publicKey).toBe(hostKey);
    sshd.setDeviceOutput('after restart\n');
    expect(await sshWithSsh2('/export')).toBe('after restart\n');
  });
});

describe('servicesAvailable', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  /** A fresh copy of the harness module, so it reads CONFSNAP_REQUIRE_SERVICES again. */
  async function loadHarness(requireServices: '0' | '1'): Promise<typeof Harness> {
    vi.stubEnv('CONFSNAP_REQUIRE_SERVICES', requireServices);
    const path = `./services.js?require=${requireServices}`;
    return (await import(path)) as typeof Harness;
  }

  it('warns loudly and returns false when a binary is missing', async () => {
    const harness = await loadHarness('0');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(harness.servicesAvailable('no-such-server' as ServiceName)).toBe(false);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'SKIPPING INTEGRATION TESTS: integration services missing: no-such-server',
      ),
    );
  });

  it('throws instead of skipping when CONFSNAP_REQUIRE_SERVICES=1 and a binary is missing', async () => {
    const harness = await loadHarness('1');
    expect(() => harness.servicesAvailable('no-such-server' as ServiceName)).toThrow(
      /no-such-server.*CONFSNAP_REQUIRE_SERVICES=1/,
    );
  });

  it('finds a binary on PATH and nothing for an unknown name', () => {
    expect(findBinary('sh')).toMatch(/\/sh$/);
    expect(findBinary('no-such-server')).toBeUndefined();
  });
});

describe.skipIf(!servicesAvailable('redis-server'))('ManagedService.dispose', () => {
  it('stops the server and removes its temp dir', async () => {
    const redis = new RedisService();
    // dispose() may be called again; this one only matters when an expectation fails first.
    onTestFinished(() => redis.dispose());
    await redis.start();
    expect(existsSync(redis.dir)).toBe(true);
    await redis.dispose();
    expect(redis.running).toBe(false);
    expect(existsSync(redis.dir)).toBe(false);
  });
});
