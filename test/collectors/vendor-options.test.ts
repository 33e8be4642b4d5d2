/**
 * The built-in vendors' own settings as collector options (`device.options`, an inventory's
 * `options:`): RouterOS `hide_sensitive`, the linux `files`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectConfig, isBackupError, type BackupError, type Device } from '../../src/index.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';

const credentials = { username: 'admin', password: 'admin' };
const started: SimulatedDevice[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((device) => device.close()));
});

async function start(options: Parameters<typeof startSimulatedDevice>[0]) {
  const device = await startSimulatedDevice(options);
  started.push(device);
  return device;
}

describe('built-in collector options', () => {
  it('routeros declares hide_sensitive: a device with it set runs /export hide-sensitive', async () => {
    const router = await start({ vendor: 'routeros', config: '/system identity\nset name=r1\n' });
    const device: Device = {
      id: 'r1',
      host: router.host,
      port: router.port,
      vendor: 'routeros',
      version: '7.16.2',
    };
    await collectConfig({ device: { ...device, options: { hide_sensitive: true } }, credentials });
    await collectConfig({ device, credentials });
    expect(router.commands).toEqual(['/export hide-sensitive', '/export show-sensitive']);
  });

  it('linux declares files: a device with its own list backs those files up, in order', async () => {
    const host = await start({
      vendor: 'linux',
      config: 'unused\n',
      files: { '/etc/frr/frr.conf': 'router bgp 65000\n', '/etc/hostname': 'edge1\n' },
    });
    const result = await collectConfig({
      device: {
        id: 'edge1',
        host: host.host,
        port: host.port,
        vendor: 'linux',
        options: { files: ['/etc/hostname', '/etc/frr/frr.conf'] },
      },
      credentials,
    });
    expect(result.text).toBe('edge1\nrouter bgp 65000\n');
  });

  it('linux fails a device whose files option holds a relative path, naming the device and the entry', async () => {
    const host = await start({ vendor: 'linux', config: 'unused\n' });
    const error: unknown = await collectConfig({
      device: {
        id: 'edge1',
        host: host.host,
        port: host.port,
        vendor: 'linux',
        options: { files: ['etc/hostname'] },
      },
      credentials,
    }).then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(isBackupError(error)).toBe(true);
    expect((error as BackupError).deviceId).toBe('edge1');
    expect(String((error as BackupError).cause)).toMatch(
      /edge1: option files\[0\] must be an absolute path/,
    );
  });
});
