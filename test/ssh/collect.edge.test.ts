/** Edge cases of collection: exit signals, credential helpers that fail, odd pins. */
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isBackupError } from '../../src/core/errors.js';
import { createCollectorRegistry, defineCollector } from '../../src/collectors/index.js';
import { collectConfig } from '../../src/ssh/collect.js';
import { checkDeviceRecord } from '../../src/ssh/device-record.js';
import { MemoryHostKeyStore } from '../../src/ssh/host-keys.js';
import { generateHostKey, startSimulatedDevice } from '../../src/testing/simulated/index.js';
import type { SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function simulated(
  options: Partial<Parameters<typeof startSimulatedDevice>[0]> = {},
): Promise<SimulatedDevice> {
  const device = await startSimulatedDevice({
    vendor: 'routeros',
    config: sampleConfig('routeros'),
    ...options,
  });
  open.push(device);
  return device;
}

/** A bare ssh2 server whose exec answers half an export and then reports a kill signal. */
async function killedExecServer(): Promise<{ port: number; close(): Promise<void> }> {
  const connections = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [generateHostKey().privateKey] }, (client) => {
    connections.add(client);
    client.on('error', () => {});
    client.on('close', () => connections.delete(client));
    client.on('authentication', (ctx) => ctx.accept());
    client.on('session', (accept) => {
      accept().on('exec', (acceptExec) => {
        const stream = acceptExec();
        stream.write(
          '# 2026-03-07 12:00:00 by RouterOS 7.16.2\r\n/system identity\r\nset name=r1\r\n',
        );
        stream.exit('KILL');
        stream.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}

describe('collectConfig edge cases', () => {
  it('never publishes the output of a command killed by a signal', async () => {
    const server = await killedExecServer();
    open.push(server);
    const error = await collectConfig({
      device: {
        id: 'killed',
        host: '127.0.0.1',
        port: server.port,
        vendor: 'routeros',
        version: '7.16.2',
      },
      credentials: { username: 'admin', password: 'x' },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'truncated-output')).toBe(true);
    expect((error as Error).message).toContain('KILL');
  });

  it('reports keyboard-interactive answers that cannot be produced as credentials-unavailable, not auth-failed', async () => {
    const device = await simulated();
    const error = await collectConfig({
      device: { id: 'otp', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: {
        username: 'admin',
        keyboardInteractive: () => Promise.reject(new Error('otp service down')),
      },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'credentials-unavailable')).toBe(true);
  });

  it('answers keyboard-interactive prompts from a responder', async () => {
    const device = await simulated();
    const result = await collectConfig({
      device: { id: 'ki', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: { username: 'admin', keyboardInteractive: () => ['admin'] },
    });
    expect(result.text).toContain('/system identity');
  });

  it('answers a keyboard-interactive password prompt (echo off) with the password', async () => {
    const device = await simulated({
      credentials: {
        username: 'admin',
        keyboardInteractive: [{ prompt: 'Password: ', echo: false, answer: 's3cret' }],
      },
    });
    const result = await collectConfig({
      device: { id: 'ki-password', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: { username: 'admin', password: 's3cret' },
    });
    expect(result.text).toContain('/system identity');
  });

  for (const prompt of ['Username: ', 'Enter hardware token code: ']) {
    it(`never answers an echoed "${prompt.trim()}" prompt with the password: auth-failed naming it`, async () => {
      const device = await simulated({
        credentials: {
          username: 'admin',
          keyboardInteractive: [
            { prompt, echo: true, answer: 'backup-7' },
            { prompt: 'Password: ', echo: false, answer: 's3cret' },
          ],
        },
      });
      const error = await collectConfig({
        device: { id: 'ki-echo', host: device.host, port: device.port, vendor: 'routeros' },
        credentials: { username: 'admin', password: 's3cret' },
      }).catch((e: unknown) => e);
      if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
      expect(error.kind).toBe('auth-failed');
      expect(error.message).toContain(prompt.trim());
      expect(error.message).toMatch(/keyboardInteractive responder/);
      expect(error.details).toMatchObject({ stage: 'keyboard-interactive', prompt: prompt.trim() });
      expect(JSON.stringify(error)).not.toContain('s3cret');
      expect(String(error.message)).not.toContain('s3cret');
    });
  }

  it("answers echoed and hidden prompts from the provider's responder", async () => {
    const device = await simulated({
      credentials: {
        username: 'admin',
        keyboardInteractive: [
          { prompt: 'Enter hardware token code: ', echo: true, answer: '123456' },
          { prompt: 'Password: ', echo: false, answer: 's3cret' },
        ],
      },
    });
    const seen: { prompt: string; echo: boolean }[][] = [];
    const result = await collectConfig({
      device: { id: 'ki-otp', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: {
        username: 'admin',
        password: 's3cret',
        keyboardInteractive: (prompts) => {
          seen.push([...prompts]);
          return prompts.map((p) => (p.echo ? '123456' : 's3cret'));
        },
      },
    });
    expect(result.text).toContain('/system identity');
    expect(seen).toEqual([
      [
        { prompt: 'Enter hardware token code: ', echo: true },
        { prompt: 'Password: ', echo: false },
      ],
    ]);
  });

  describe('a device that never sends an exit status', () => {
    const isComplete = (text: string): boolean => text.endsWith('\nend\n');
    const acme = (exitStatus?: 'required' | 'optional') =>
      createCollectorRegistry([
        defineCollector({
          vendor: 'acme-exec',
          commands: ['cat /etc/acme.conf'],
          ...(exitStatus ? { exitStatus } : {}),
          isComplete,
        }),
      ]);
    const files = { '/etc/acme.conf': 'hostname acme1\ninterface lo0\n  mtu 1500\nend\n' };
    const backUp = (device: SimulatedDevice, collectors: ReturnType<typeof acme>) =>
      collectConfig({
        device: { id: 'acme1', host: device.host, port: device.port, vendor: 'acme-exec' },
        credentials: { username: 'admin', password: 'admin' },
        collectors,
      });

    it('is backed up when its collector says the exit status is optional', async () => {
      const device = await simulated({ vendor: 'linux', files, faults: { omitExitStatus: true } });
      const result = await backUp(device, acme('optional'));
      expect(result.text).toBe(files['/etc/acme.conf']);
    });

    it('still fails its completeness check when the output was cut', async () => {
      const device = await simulated({
        vendor: 'linux',
        files,
        faults: { omitExitStatus: true, disconnectMidOutput: 'channel' },
      });
      await expect(backUp(device, acme('optional'))).rejects.toMatchObject({
        kind: 'truncated-output',
      });
    });

    it('does not matter to a shell collector, whose commands end at the prompt', async () => {
      const device = await simulated({
        vendor: 'cisco-ios',
        config: sampleConfig('cisco-ios', 'edge-sw-01'),
        faults: { omitExitStatus: true },
      });
      const result = await collectConfig({
        device: { id: 'ios1', host: device.host, port: device.port, vendor: 'cisco-ios' },
        credentials: { username: 'admin', password: 'admin' },
      });
      expect(result.text).toContain('hostname edge-sw-01\n');
    });

    it('is truncated-output for a collector that relies on the exit status (the default)', async () => {
      const device = await simulated({ vendor: 'linux', files, faults: { omitExitStatus: true } });
      const error = await backUp(device, acme()).catch((e: unknown) => e);
      expect(isBackupError(error, 'truncated-output')).toBe(true);
      expect((error as Error).message).toMatch(/without an exit status/);
    });
  });

  it('treats a null pin from a database column as no pin', async () => {
    const device = await simulated();
    const result = await collectConfig({
      device: {
        id: 'nullpin',
        host: device.host,
        port: device.port,
        vendor: 'routeros',
        hostKeyFingerprint: null as unknown as string,
      },
      credentials: { username: 'admin', password: 'admin' },
    });
    expect(result.hostKeyFingerprint).toBe(device.hostKeyFingerprint);
  });

  it('reports a malformed pin in the store without calling it a host-key mismatch', async () => {
    const device = await simulated();
    const hostKeys = new MemoryHostKeyStore();
    await hostKeys.set('bad', `256 ${device.hostKeyFingerprint} root@r1 (ED25519)`);
    const error = await collectConfig({
      device: { id: 'bad', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: { username: 'admin', password: 'admin' },
      hostKeys,
    }).catch((e: unknown) => e);
    expect(isBackupError(error)).toBe(true);
    if (!isBackupError(error)) return;
    expect(error.kind).not.toBe('host-key-mismatch');
    expect(error.permanent).toBe(false);
    expect(device.authAttempts).toBe(0);
  });
});

describe('collectConfig against a server that closes at once', () => {
  it('reports a connection closed before the SSH banner as unreachable, not a negotiation failure', async () => {
    const { createServer } = await import('node:net');
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const error = await collectConfig({
      device: {
        id: 'closer',
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        vendor: 'routeros',
      },
      credentials: { username: 'admin', password: 'x' },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'unreachable')).toBe(true);
  });
});

describe('collectConfig and error texts inside a configuration', () => {
  it('does not fail a long configuration whose middle contains a line that reads like an error', async () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => `interface Vlan${i}\n description vlan ${i}\n!`,
    ).join('\n');
    const config = `!\nhostname big\n${filler}\nbanner motd ^C\n% Invalid input detected at '^' marker.\n^C\n${filler}\nend\n`;
    const device = await simulated({ vendor: 'cisco-ios', config });
    const result = await collectConfig({
      device: { id: 'big', host: device.host, port: device.port, vendor: 'cisco-ios' },
      credentials: { username: 'admin', password: 'admin' },
    });
    expect(result.text).toContain("% Invalid input detected at '^' marker.");
  });
});

describe('collectConfig device checks', () => {
  it.each([
    ['id', { id: 'r\n1' }],
    ['host', { host: ' ' }],
    ['port', { port: 70_000 }],
    ['tenantId', { tenantId: 7 as unknown as string }],
    ['version', { version: 7 as unknown as string }],
    ['hostKeyFingerprint', { hostKeyFingerprint: 'MD5:ab:cd' }],
  ])(
    'rejects a record with a bad %s as the scheduler does, before connecting',
    async (field, bad) => {
      const record = { id: 'r1', host: '127.0.0.1', port: 1, vendor: 'routeros', ...bad };
      expect(checkDeviceRecord(record)?.field).toBe(field);
      await expect(
        collectConfig({ device: record, credentials: { username: 'u', password: 'p' } }),
      ).rejects.toThrow(new RegExp(`^collectConfig: device.*: ${field} `));
    },
  );
});
