import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateHostKey,
  startSimulatedDevice,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
} from '../../src/testing/simulated/index.js';
import { connect, exec, openShell, type Connected } from './ssh-client.js';

const CONFIG =
  Array.from(
    { length: 40 },
    (_, i) => `/ip address\nadd address=10.0.${i}.1/24 interface=ether${i}`,
  ).join('\n') + '\n';
const IOS_CONFIG =
  'version 15.2\nhostname edge-sw-01\n!\ninterface Gi0/1\n description uplink\n!\nend\n';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function device(
  options: Partial<SimulatedDeviceOptions> & Pick<SimulatedDeviceOptions, 'faults'>,
): Promise<SimulatedDevice> {
  const started = await startSimulatedDevice({ vendor: 'routeros', config: CONFIG, ...options });
  cleanups.push(() => started.close());
  return started;
}

async function login(
  target: SimulatedDevice,
  config: Parameters<typeof connect>[1] = {},
): Promise<Connected> {
  const connection = await connect(target, config);
  cleanups.push(() => connection.end());
  return connection;
}

/** Raw TCP: what the server sends within `ms` after connecting. */
async function rawGreeting(target: SimulatedDevice, ms: number, send?: string): Promise<Buffer> {
  const socket: Socket = tcpConnect({ host: target.host, port: target.port });
  const received: Buffer[] = [];
  socket.on('data', (data: Buffer) => received.push(data));
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  );
  if (send) socket.write(send);
  await new Promise((resolve) => setTimeout(resolve, ms));
  socket.destroy();
  return Buffer.concat(received);
}

/** Starts `/export` on an exec channel and collects what arrives within `ms`. */
async function execFor(
  connection: Connected,
  ms: number,
): Promise<{ stdout: string; closed: boolean }> {
  let stdout = '';
  let closed = false;
  await new Promise<void>((resolve, reject) =>
    connection.client.exec('/export', (error, stream) => {
      if (error) return reject(error);
      stream.on('data', (data: Buffer) => (stdout += data.toString()));
      stream.on('close', () => (closed = true));
      resolve();
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { stdout, closed };
}

describe('faults', () => {
  it('wrongCredentials rejects every method and counts each attempt', async () => {
    const target = await device({ faults: { wrongCredentials: true } });
    await expect(login(target, { tryKeyboard: true })).rejects.toMatchObject({
      level: 'client-authentication',
    });
    // none, password and keyboard-interactive
    expect(target.authAttempts).toBe(3);
  });

  it('stallAfterAccept accepts TCP but sends no SSH identification within 500 ms', async () => {
    const target = await device({ faults: { stallAfterAccept: true } });
    expect((await rawGreeting(target, 500)).length).toBe(0);
  });

  it('stallMidHandshake sends the identification and a KEXINIT, then nothing', async () => {
    const target = await device({ faults: { stallMidHandshake: true } });
    const greeting = await rawGreeting(target, 200, 'SSH-2.0-test\r\n');
    const lineEnd = greeting.indexOf('\r\n');
    expect(greeting.subarray(0, lineEnd).toString()).toBe('SSH-2.0-ROSSSH');
    expect(greeting[lineEnd + 2 + 5]).toBe(20); // SSH_MSG_KEXINIT after length and padding length
  });

  it('stallMidHandshake leaves an ssh2 client waiting until its own timeout', async () => {
    const target = await device({ faults: { stallMidHandshake: true } });
    await expect(login(target, { readyTimeout: 300 })).rejects.toThrow(
      /Timed out while waiting for handshake/,
    );
  });

  it('stallMidOutput sends half of the configuration and keeps the channel open', async () => {
    const target = await device({ faults: { stallMidOutput: true } });
    const { stdout, closed } = await execFor(await login(target), 300);
    expect(stdout.length).toBeGreaterThan(0);
    expect(stdout.length).toBeLessThan(CONFIG.length);
    expect(closed).toBe(false);
  });

  it('endlessOutput keeps sending past several megabytes', async () => {
    const target = await device({ faults: { endlessOutput: true } });
    const connection = await login(target);
    let received = 0;
    await new Promise<void>((resolve, reject) =>
      connection.client.exec('/export', (error, stream) => {
        if (error) return reject(error);
        stream.on('data', (data: Buffer) => {
          received += data.length;
          if (received > 4 * 1024 * 1024) {
            stream.removeAllListeners('data');
            stream.close();
            resolve();
          }
        });
      }),
    );
    expect(received).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('endlessOutput stops sending while the client reads nothing', async () => {
    const target = await device({ faults: { endlessOutput: true } });
    const socket = tcpConnect({ host: target.host, port: target.port });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const connection = await login(target, { sock: socket });
    await new Promise<void>((resolve, reject) =>
      connection.client.exec('/export', (error, stream) => {
        if (error) return reject(error);
        stream.pause();
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const plateau = socket.bytesRead;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One SSH window (2 MiB for ssh2) and its framing, then nothing more.
    expect(plateau).toBeGreaterThan(1024 * 1024);
    expect(plateau).toBeLessThan(8 * 1024 * 1024);
    expect(socket.bytesRead).toBe(plateau);
  });

  it('binaryOutput sends NULs and bytes that are not UTF-8 instead of the configuration', async () => {
    const target = await device({ faults: { binaryOutput: true } });
    const result = await exec((await login(target)).client, '/export');
    expect(result.stdout.includes(0)).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(result.stdout)).toThrow();
    expect(result.exitCode).toBe(0);
  });

  it('slowDrip sends the configuration in small chunks with pauses', async () => {
    const config = 'x'.repeat(159) + '\n';
    const target = await device({ config, faults: { slowDrip: { bytes: 16, intervalMs: 15 } } });
    const connection = await login(target);
    const chunks: number[] = [];
    const started = Date.now();
    await new Promise<void>((resolve, reject) =>
      connection.client.exec('/export', (error, stream) => {
        if (error) return reject(error);
        stream.on('data', (data: Buffer) => chunks.push(data.length));
        stream.on('close', () => resolve());
      }),
    );
    expect(Math.max(...chunks)).toBeLessThanOrEqual(16);
    expect(chunks.length).toBeGreaterThanOrEqual(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9 * 15);
  });

  it('packetize sends everything in data packets of 1 to 13 bytes, the same bytes in order', async () => {
    const whole = await device({ faults: {} });
    const expected = (await exec((await login(whole)).client, '/export')).stdout.toString();
    const target = await device({ faults: { packetize: { seed: 7 } } });
    const connection = await login(target);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) =>
      connection.client.exec('/export', (error, stream) => {
        if (error) return reject(error);
        stream.on('data', (data: Buffer) => chunks.push(data));
        stream.on('close', () => resolve());
      }),
    );
    const sizes = chunks.map((chunk) => chunk.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(13);
    expect(new Set(sizes).size).toBeGreaterThan(5);
    // Only the export header's time may differ.
    const withoutHeader = (text: string): string => text.slice(text.indexOf('\n') + 1);
    expect(withoutHeader(Buffer.concat(chunks).toString())).toBe(withoutHeader(expected));
  });

  it('packetize splits a shell prompt and the echo too, the same way for the same seed', async () => {
    const splits: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const target = await device({
        vendor: 'fortios',
        config: 'config system global\n    set hostname "fw1"\nend\n',
        faults: { packetize: { maxBytes: 3, seed: 42 } },
      });
      const connection = await login(target);
      const shell = await openShell(connection.client);
      const sizes: number[] = [];
      shell.channel.on('data', (data: Buffer) => sizes.push(data.length));
      await shell.waitFor('fw1 # ');
      // What came before the listener depends on timing; from here on the device only answers.
      sizes.length = 0;
      shell.send('show\r');
      await shell.waitFor(/end\r\nfw1 # $/);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
      splits.push(sizes);
    }
    expect(splits[1]).toEqual(splits[0]);
  });

  it('refuses packetize sizes that are not whole numbers of bytes, naming the field', async () => {
    await expect(
      startSimulatedDevice({
        vendor: 'routeros',
        config: CONFIG,
        faults: { packetize: { minBytes: 0 } },
      }),
    ).rejects.toThrow(/faults\.packetize\.minBytes/);
    await expect(
      startSimulatedDevice({
        vendor: 'routeros',
        config: CONFIG,
        faults: { packetize: { minBytes: 4, maxBytes: 2 } },
      }),
    ).rejects.toThrow(/faults\.packetize\.maxBytes/);
  });

  it('omitExitStatus ends the channel with the whole output and EOF, but no exit status', async () => {
    const target = await device({ faults: { omitExitStatus: true } });
    const connection = await login(target);
    const result = await exec(connection.client, '/export');
    expect(result.stdout.toString()).toContain('add address=10.0.39.1/24 interface=ether39');
    expect(result.exitCode).toBeUndefined();
  });

  it('disconnectMidOutput drops the TCP connection after half of the configuration', async () => {
    const target = await device({ faults: { disconnectMidOutput: true } });
    const connection = await login(target);
    const closed = new Promise<void>((resolve) => connection.client.once('close', () => resolve()));
    const result = await exec(connection.client, '/export');
    await closed;
    expect(result.stdout.length).toBeLessThan(CONFIG.length);
    expect(result.exitCode).toBeUndefined();
  });

  it("disconnectMidOutput 'channel' closes the channel without an exit status and keeps the connection", async () => {
    const target = await device({ faults: { disconnectMidOutput: 'channel' } });
    const connection = await login(target);
    const first = await exec(connection.client, '/export');
    expect(first.stdout.length).toBeGreaterThan(0);
    expect(first.stdout.length).toBeLessThan(CONFIG.length);
    expect(first.exitCode).toBeUndefined();
    expect((await exec(connection.client, '/foo')).exitCode).toBe(0);
  });

  it('connectionRefused leaves nothing listening on the port', async () => {
    const target = await device({ faults: { connectionRefused: true } });
    await expect(rawGreeting(target, 0)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('promptNeverShown prints the banner but never a prompt, even after Enter', async () => {
    const target = await device({
      vendor: 'cisco-ios',
      config: IOS_CONFIG,
      faults: { promptNeverShown: true },
    });
    const shell = await openShell((await login(target)).client);
    await shell.waitFor(/prosecuted ####\r\n\r\n$/);
    shell.send('\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(shell.output).not.toContain('router1#');
    expect(shell.closed).toBe(false);
  });

  it('rekeyDuringOutput re-keys midway, so the host-key verifier runs twice with the same key', async () => {
    const target = await device({ faults: { rekeyDuringOutput: true } });
    const connection = await login(target);
    const result = await exec(connection.client, '/export');
    expect(result.stdout.toString().replace(/\r\n/g, '\n')).toContain(CONFIG);
    expect(result.exitCode).toBe(0);
    expect(connection.hostKeysSeen).toHaveLength(2);
    expect(connection.hostKeysSeen[1]).toEqual(connection.hostKeysSeen[0]);
  });

  it('partialConfig cuts an IOS configuration before end and closes the shell normally', async () => {
    const target = await device({
      vendor: 'cisco-ios',
      config: IOS_CONFIG,
      faults: { partialConfig: true },
    });
    const shell = await openShell((await login(target)).client);
    await shell.waitFor('router1#');
    shell.clear();
    shell.send('show running-config\r');
    await shell.waitClosed();
    expect(shell.output).toContain('Building configuration...');
    expect(shell.output).not.toContain('end\r\n');
    expect(shell.output.endsWith('router1#')).toBe(false);
    expect(shell.exitCode).toBe(0);
  });

  it('partialConfig on an exec vendor sends the first lines with exit status 0', async () => {
    const target = await device({ faults: { partialConfig: true } });
    const result = await exec((await login(target)).client, '/export');
    const text = result.stdout.toString().replace(/\r\n/g, '\n');
    expect(CONFIG.startsWith(text.split('\n').slice(1).join('\n'))).toBe(true);
    expect(text.length).toBeLessThan(CONFIG.length);
    expect(result.exitCode).toBe(0);
  });

  it("commandError answers the configuration command with the vendor's error", async () => {
    const target = await device({
      vendor: 'cisco-ios',
      config: IOS_CONFIG,
      faults: { commandError: true },
    });
    const shell = await openShell((await login(target)).client);
    await shell.waitFor('router1#');
    shell.clear();
    shell.send('show running-config\r');
    const output = await shell.waitFor('router1#');
    expect(output).toContain("% Invalid input detected at '^' marker.");
    expect(output).not.toContain('hostname edge-sw-01');
  });

  it('commandError makes linux cat fail with Permission denied and exit status 1', async () => {
    const target = await device({
      vendor: 'linux',
      config: 'auto lo\n',
      faults: { commandError: true },
    });
    const result = await exec((await login(target)).client, 'cat -- /etc/network/interfaces');
    expect(result).toEqual({
      stdout: Buffer.alloc(0),
      stderr: 'cat: /etc/network/interfaces: Permission denied\n',
      exitCode: 1,
    });
  });

  it('outputDelayMs answers the configuration command only after the delay', async () => {
    const target = await device({ faults: { outputDelayMs: 200 } });
    const connection = await login(target);
    const started = Date.now();
    const result = await exec(connection.client, '/export');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(result.exitCode).toBe(0);
  });
});

describe('host-key algorithms', () => {
  it('a client restricted to another host-key algorithm fails negotiation', async () => {
    const target = await device({ faults: {} });
    await expect(
      login(target, { algorithms: { serverHostKey: ['rsa-sha2-256'] } }),
    ).rejects.toThrow(/no matching host key format/i);
  });

  it('an RSA host key narrowed to rsa-sha2-512 serves only clients that accept it', async () => {
    const target = await device({
      hostKey: generateHostKey('rsa'),
      hostKeyAlgorithms: ['rsa-sha2-512'],
      faults: {},
    });
    await expect(
      login(target, { algorithms: { serverHostKey: ['rsa-sha2-256'] } }),
    ).rejects.toThrow(/no matching host key format/i);
    const connection = await login(target, { algorithms: { serverHostKey: ['rsa-sha2-512'] } });
    expect((await exec(connection.client, '/export')).exitCode).toBe(0);
  });

  it('rejects host-key algorithms the key cannot offer', async () => {
    await expect(device({ hostKeyAlgorithms: ['rsa-sha2-512'], faults: {} })).rejects.toThrow(
      RangeError,
    );
  });
});
