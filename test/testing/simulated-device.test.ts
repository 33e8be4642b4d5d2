import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SIMULATED_VENDOR_IDS,
  generateHostKey,
  simulatedPersonality,
  startSimulatedDevice,
  startSimulatedFleet,
  type SimulatedDevice,
  type SimulatedPersonality,
} from '../../src/testing/simulated/index.js';
import { BUILT_IN_VENDORS } from '../../src/collectors/index.js';
import { connect, exec, openShell } from './ssh-client.js';

const CONFIG = '/system identity\nset name=r1\n';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(
  options: Partial<Parameters<typeof startSimulatedDevice>[0]> = {},
): Promise<SimulatedDevice> {
  const device = await startSimulatedDevice({ vendor: 'routeros', config: CONFIG, ...options });
  cleanups.push(() => device.close());
  return device;
}

/**
 * Socket, server and timer handles of this process, to compare before and after, once pending
 * close callbacks ran. Vitest's own timers come and go, so timers may only have become fewer.
 */
async function handles(): Promise<{ sockets: string[]; timers: number }> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  const active = process.getActiveResourcesInfo();
  return {
    sockets: active.filter((name) => /TCP|Pipe|UDP/.test(name)).sort(),
    timers: active.filter((name) => name === 'Timeout' || name === 'Immediate').length,
  };
}

async function expectNothingLeftSince(before: {
  sockets: string[];
  timers: number;
}): Promise<void> {
  const after = await handles();
  expect(after.sockets).toEqual(before.sockets);
  expect(after.timers).toBeLessThanOrEqual(before.timers);
}

describe('host key', () => {
  it('fingerprint equals what ssh-keygen -l prints for the same public key', async () => {
    const device = await started();
    const dir = mkdtempSync(join(tmpdir(), 'confsnap-hostkey-'));
    try {
      const file = join(dir, 'host.pub');
      writeFileSync(file, `${device.hostKey.publicKey}\n`);
      const printed = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' });
      expect(printed.split(' ')[1]).toBe(device.hostKeyFingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fingerprint is the SHA-256 of the key blob the client receives', async () => {
    const device = await started();
    const connection = await connect(device);
    cleanups.push(() => connection.end());
    const digest = createHash('sha256').update(connection.hostKeysSeen[0]!).digest('base64');
    expect(device.hostKeyFingerprint).toBe(`SHA256:${digest.replace(/=+$/, '')}`);
  });

  it('is a fresh ed25519 key per device unless one is shared', async () => {
    const shared = generateHostKey();
    const [a, b, c] = await Promise.all([
      started(),
      started({ hostKey: shared }),
      started({ hostKey: shared.privateKey }),
    ]);
    expect(a.hostKey.type).toBe('ssh-ed25519');
    expect(a.hostKeyFingerprint).not.toBe(b.hostKeyFingerprint);
    expect(b.hostKeyFingerprint).toBe(shared.fingerprint);
    expect(c.hostKeyFingerprint).toBe(shared.fingerprint);
  });

  it('generates keys ssh2 can always parse back', () => {
    for (let i = 0; i < 300; i++) {
      expect(ssh2.utils.parseKey(generateHostKey().privateKey)).not.toBeInstanceOf(Error);
    }
  });
});

describe('authentication', () => {
  it('accepts admin/admin by password by default', async () => {
    const device = await started();
    const connection = await connect(device);
    cleanups.push(() => connection.end());
    expect((await exec(connection.client, '/export')).exitCode).toBe(0);
  });

  it("counts every attempt, 'none' included", async () => {
    const device = await started();
    const methods: AnyAuthMethod[] = [
      { type: 'none', username: 'admin' },
      { type: 'password', username: 'admin', password: 'wrong' },
      { type: 'password', username: 'admin', password: 'admin' },
    ];
    const connection = await connect(device, { authHandler: methods });
    cleanups.push(() => connection.end());
    expect(device.authAttempts).toBe(3);
  });

  it('rejects a wrong password', async () => {
    const device = await started({ credentials: { username: 'ops', password: 's3cret' } });
    await expect(connect(device, { username: 'ops', password: 'admin' })).rejects.toMatchObject({
      level: 'client-authentication',
    });
  });

  it('accepts keyboard-interactive with the password', async () => {
    const device = await started({ credentials: { username: 'ops', password: 's3cret' } });
    const methods: AnyAuthMethod[] = [
      {
        type: 'keyboard-interactive',
        username: 'ops',
        prompt: (_name, _instructions, _lang, prompts, finish) =>
          finish(prompts.map(() => 's3cret')),
      },
    ];
    const connection = await connect(device, { username: 'ops', authHandler: methods });
    cleanups.push(() => connection.end());
    expect(device.authAttempts).toBe(1);
  });

  it('sends its own keyboard-interactive prompts and offers that method alone', async () => {
    const device = await started({
      credentials: {
        username: 'ops',
        keyboardInteractive: [
          { prompt: 'Username: ', echo: true, answer: 'ops' },
          { prompt: 'Enter hardware token code: ', echo: true, answer: '123456' },
        ],
      },
    });
    const asked: { prompt: string; echo: boolean | undefined }[] = [];
    const answering = (answers: string[]): AnyAuthMethod[] => [
      { type: 'password', username: 'ops', password: 'anything' },
      {
        type: 'keyboard-interactive',
        username: 'ops',
        prompt: (_name, _instructions, _lang, prompts, finish) => {
          asked.push(...prompts.map(({ prompt, echo }) => ({ prompt, echo })));
          finish(answers);
        },
      },
    ];
    await expect(
      connect(device, { username: 'ops', authHandler: answering(['ops', '000000']) }),
    ).rejects.toMatchObject({ level: 'client-authentication' });
    const connection = await connect(device, {
      username: 'ops',
      authHandler: answering(['ops', '123456']),
    });
    cleanups.push(() => connection.end());
    expect(asked.slice(0, 2)).toEqual([
      { prompt: 'Username: ', echo: true },
      { prompt: 'Enter hardware token code: ', echo: true },
    ]);
  });

  it('refuses keyboard-interactive prompts without an answer, naming the field', async () => {
    await expect(
      startSimulatedDevice({
        vendor: 'routeros',
        config: '/system identity\n',
        credentials: {
          username: 'ops',
          keyboardInteractive: [{ prompt: 'Code: ', echo: true } as never],
        },
      }),
    ).rejects.toThrow(/credentials\.keyboardInteractive\[0\]/);
  });

  it('accepts an authorized public key and rejects another', async () => {
    const key = ssh2.utils.generateKeyPairSync('ed25519');
    const other = ssh2.utils.generateKeyPairSync('ed25519');
    const device = await started({
      credentials: { username: 'backup', authorizedKeys: [key.public] },
    });
    const connection = await connect(device, {
      username: 'backup',
      password: undefined,
      privateKey: key.private,
    });
    cleanups.push(() => connection.end());
    await expect(
      connect(device, { username: 'backup', password: undefined, privateKey: other.private }),
    ).rejects.toMatchObject({ level: 'client-authentication' });
  });
});

describe('device state', () => {
  it('counts sessions and records commands', async () => {
    const device = await started();
    const connection = await connect(device);
    cleanups.push(() => connection.end());
    await exec(connection.client, '/export');
    await exec(connection.client, '/foo');
    expect(device.sessions).toBe(2);
    expect(device.commands).toEqual(['/export', '/foo']);
  });

  it('serves the new configuration after setConfig', async () => {
    const device = await started();
    const connection = await connect(device);
    cleanups.push(() => connection.end());
    device.setConfig('/system identity\nset name=r2\n');
    expect((await exec(connection.client, '/export')).stdout.toString()).toContain('set name=r2');
  });

  it('listens on another loopback address when asked, and refuses any other', async () => {
    expect((await started({ host: '127.0.0.2' })).host).toBe('127.0.0.2');
    await expect(started({ host: '0.0.0.0' })).rejects.toThrow(RangeError);
    await expect(started({ host: '10.0.0.1' })).rejects.toThrow(RangeError);
  });

  it('rejects a vendor it does not know', async () => {
    await expect(started({ vendor: 'acme-unknown-os' as 'routeros' })).rejects.toThrow(RangeError);
  });

  it('plays every built-in vendor', () => {
    expect(SIMULATED_VENDOR_IDS).toEqual(BUILT_IN_VENDORS);
  });

  it.each(SIMULATED_VENDOR_IDS)('plays %s under its own vendor id', (vendor) => {
    expect(simulatedPersonality(vendor).vendor).toBe(vendor);
  });
});

describe('custom personalities', () => {
  const acme: SimulatedPersonality = {
    vendor: 'acme-os',
    mode: 'shell',
    prompt: 'acme> ',
    pager: { prompt: '-- more --', erase: '\r          \r' },
    respond(command, session) {
      if (command === 'show config') return { kind: 'config', text: session.config };
      return undefined;
    },
    invalidCommand: (command) => ({ kind: 'output', text: `% unknown command: ${command}\n` }),
  };

  it('a shell personality of your own gets prompt, echo and errors', async () => {
    const device = await started({ vendor: acme, config: 'hostname acme\n', banner: '' });
    const connection = await connect(device);
    cleanups.push(() => connection.end());
    const shell = await openShell(connection.client);
    expect(await shell.waitFor('acme> ')).toBe('acme> ');
    shell.clear();
    shell.send('show config\r');
    expect(await shell.waitFor('acme> ')).toBe('show config\r\nhostname acme\r\nacme> ');
    shell.clear();
    shell.send('foo\r');
    expect(await shell.waitFor('acme> ')).toBe('foo\r\n% unknown command: foo\r\nacme> ');
    expect(device.vendor).toBe('acme-os');
  });

  it('a built-in personality can be extended with a command', async () => {
    const ios = simulatedPersonality('cisco-ios');
    const device = await started({
      vendor: {
        ...ios,
        respond: (command, session) =>
          command === 'show version'
            ? { kind: 'output', text: 'Cisco IOS Software, Version 15.2(4)M7\n' }
            : ios.respond(command, session),
      },
      config: 'end\n',
    });
    const connection = await connect(device);
    cleanups.push(() => connection.end());
    const shell = await openShell(connection.client);
    await shell.waitFor('router1#');
    shell.clear();
    shell.send('show version\r');
    expect(await shell.waitFor('router1#')).toBe(
      'show version\r\nCisco IOS Software, Version 15.2(4)M7\r\nrouter1#',
    );
  });
});

describe('close', () => {
  it('leaves no socket, server or timer behind, even with a connection reading nothing', async () => {
    const before = await handles();
    const device = await startSimulatedDevice({
      vendor: 'routeros',
      config: CONFIG,
      faults: { endlessOutput: true },
    });
    const connection = await connect(device);
    await new Promise<void>((resolve, reject) =>
      connection.client.exec('/export', (error, stream) => {
        if (error) return reject(error);
        stream.pause(); // never read: the server's writes wait on the window
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(device.openConnections).toBe(1);
    await device.close();
    expect(device.openConnections).toBe(0);
    await connection.end();
    await expectNothingLeftSince(before);
  });

  it('leaves no handle behind after a shell session and stalled handshakes', async () => {
    const before = await handles();
    const shellDevice = await startSimulatedDevice({ vendor: 'cisco-ios', config: 'end\n' });
    const stalled = await startSimulatedDevice({
      vendor: 'cisco-ios',
      config: 'end\n',
      faults: { stallMidHandshake: true },
    });
    const connection = await connect(shellDevice);
    const shell = await openShell(connection.client);
    await shell.waitFor('router1#');
    await expect(connect(stalled, { readyTimeout: 100 })).rejects.toThrow();
    await Promise.all([shellDevice.close(), stalled.close()]);
    await connection.end();
    await expectNothingLeftSince(before);
  });

  it('refuses connections afterwards, and a second close resolves too', async () => {
    const device = await startSimulatedDevice({ vendor: 'routeros', config: CONFIG });
    await device[Symbol.asyncDispose]();
    await device.close();
    await expect(connect(device)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('fleet', () => {
  it('starts many devices on distinct ports and closes them all at once', async () => {
    const before = await handles();
    const fleet = await startSimulatedFleet(
      Array.from({ length: 50 }, (_, i) => ({
        vendor: SIMULATED_VENDOR_IDS[i % SIMULATED_VENDOR_IDS.length]!,
        config: `hostname r${i}\nend\n`,
      })),
    );
    expect(new Set(fleet.devices.map((device) => device.port)).size).toBe(50);
    const routeros = fleet.devices.find((device) => device.vendor === 'routeros')!;
    const connection = await connect(routeros);
    expect((await exec(connection.client, '/export')).stdout.toString()).toContain('hostname r');
    await fleet.close();
    await connection.end();
    await expectNothingLeftSince(before);
  });

  it('closes the devices it started when one spec is bad', async () => {
    const before = await handles();
    await expect(
      startSimulatedFleet([
        { vendor: 'routeros', config: CONFIG },
        { vendor: 'routeros', config: CONFIG, host: '192.0.2.1' },
      ]),
    ).rejects.toThrow(RangeError);
    await expectNothingLeftSince(before);
  });
});
