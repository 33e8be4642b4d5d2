import { afterEach, describe, expect, it } from 'vitest';
import {
  SIMULATED_LINUX_CONFIG_PATH,
  startSimulatedDevice,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
} from '../../src/testing/simulated/index.js';
import { connect, exec, openShell, type Connected } from './ssh-client.js';

const ROUTEROS_CONFIG =
  '/system identity\nset name=core-rtr-01\n/ip address\nadd address=192.168.88.1/24 interface=bridge\n';
const JUNOS_CONFIG = 'system {\n    host-name router1;\n}\n';

const open: { device?: SimulatedDevice; connection?: Connected }[] = [];

async function login(
  options: SimulatedDeviceOptions,
): Promise<{ device: SimulatedDevice; connection: Connected }> {
  const device = await startSimulatedDevice(options);
  const entry: { device: SimulatedDevice; connection?: Connected } = { device };
  open.push(entry);
  entry.connection = await connect(device);
  return { device, connection: entry.connection };
}

afterEach(async () => {
  for (const { device, connection } of open.splice(0)) {
    await connection?.end();
    await device?.close();
  }
});

describe('RouterOS', () => {
  it('answers /export show-sensitive on v7 with the dash-dated header, the config and exit status 0', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const result = await exec(connection.client, '/export show-sensitive');
    const text = result.stdout.toString();
    expect(text).toMatch(/^# \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} by RouterOS 7\.16\.2\r\n/);
    expect(text.split('\r\n').slice(1).join('\n')).toBe(ROUTEROS_CONFIG);
    expect(result.exitCode).toBe(0);
  });

  it('answers /export show-sensitive on v6 with the syntax error of real v6', async () => {
    const { connection } = await login({
      vendor: 'routeros',
      version: '6.48.6',
      config: ROUTEROS_CONFIG,
    });
    const result = await exec(connection.client, '/export show-sensitive');
    expect(result.stdout.toString()).toBe('expected end of command (line 1 column 9)\r\n');
  });

  it('answers /export on v6 with the month-dated header', async () => {
    const { connection } = await login({
      vendor: 'routeros',
      version: '6.48.6',
      config: ROUTEROS_CONFIG,
    });
    const result = await exec(connection.client, '/export');
    expect(result.stdout.toString()).toMatch(
      /^# [a-z]{3}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} by RouterOS 6\.48\.6\r\n\/system identity\r\n/,
    );
  });

  it('accepts both /export and /export show-sensitive on v7', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const plain = await exec(connection.client, '/export');
    const sensitive = await exec(connection.client, '/export show-sensitive');
    expect(plain.stdout.toString()).toContain('set name=core-rtr-01');
    expect(sensitive.stdout.toString()).toContain('set name=core-rtr-01');
  });

  it('answers an unknown command with bad command name and its column', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const result = await exec(connection.client, '/foo');
    expect(result.stdout.toString()).toBe('bad command name foo (line 1 column 2)\r\n');
    expect(result.exitCode).toBe(0);
  });

  it('prints a new export header time on every read', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const first = (await exec(connection.client, '/export')).stdout.toString().split('\r\n')[0];
    const second = (await exec(connection.client, '/export')).stdout.toString().split('\r\n')[0];
    expect(first).not.toBe(second);
  });

  // What Oxidized's routeros model and monitoring tools send before or beside the export.
  it('answers /system resource print as v7 does: right-aligned keys, version and board', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const result = await exec(connection.client, '/system resource print');
    const text = result.stdout.toString();
    expect(result.exitCode).toBe(0);
    expect(text).toContain('\r\n                  version: 7.16.2 (stable)\r\n');
    expect(text).toContain('\r\n  write-sect-since-reboot: 8470\r\n');
    expect(text).toContain('\r\n               board-name: RB5009UG+S+\r\n');
    expect(text).toMatch(/^ +uptime: \S+\r\n/);
    expect(text).toMatch(/\r\n +platform: MikroTik\r\n\r\n$/);
    // Every key ends in the same column.
    const colons = text
      .split('\r\n')
      .filter((line) => line !== '')
      .map((line) => line.indexOf(': '));
    expect(new Set(colons).size).toBe(1);
  });

  it('answers /system package update print with the channel and installed version (v7 and v6)', async () => {
    const v7 = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    expect(
      (
        await exec(v7.connection.client, '/system package update print without-paging')
      ).stdout.toString(),
    ).toBe('            channel: stable\r\n  installed-version: 7.16.2\r\n\r\n');
    const v6 = await login({ vendor: 'routeros', version: '6.49.10', config: ROUTEROS_CONFIG });
    expect(
      (await exec(v6.connection.client, '/system package update print')).stdout.toString(),
    ).toBe('            channel: long-term\r\n  installed-version: 6.49.10\r\n\r\n');
  });

  it('answers /system history print without-paging with an entry at the last change, stable between reads', async () => {
    const { device, connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const history = async () =>
      (await exec(connection.client, '/system history print without-paging')).stdout.toString();
    const first = await history();
    expect(first).toMatch(
      /^Flags: U - UNDOABLE\r\nColumns: ACTION, BY, POLICY, TIME\r\n {2}ACTION +BY +POLICY +TIME *\r\nU system identity changed +admin +write +\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\r\n$/,
    );
    expect(await history()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the time shows whole seconds
    device.setConfig(ROUTEROS_CONFIG.replace('core-rtr-01', 'core-rtr-02'));
    expect(await history()).not.toBe(first);
  });

  it('takes the slash form and without-paging, and refuses other print arguments as RouterOS does', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    const plain = (await exec(connection.client, '/system resource print')).stdout.toString();
    expect((await exec(connection.client, '/system/resource/print')).stdout.toString()).toBe(plain);
    expect(
      (await exec(connection.client, '/system resource print without-paging')).stdout.toString(),
    ).toBe(plain);
    expect((await exec(connection.client, '/system resource print bogus')).stdout.toString()).toBe(
      'expected end of command (line 1 column 24)\r\n',
    );
    expect(
      (await exec(connection.client, '/system routerboard print without-paging')).stdout.toString(),
    ).toContain('  current-firmware: 7.16.2\r\n');
    expect((await exec(connection.client, '/system identity print')).stdout.toString()).toBe(
      '  name: router1\r\n\r\n',
    );
  });

  it('refuses an interactive shell', async () => {
    const { connection } = await login({ vendor: 'routeros', config: ROUTEROS_CONFIG });
    await expect(openShell(connection.client)).rejects.toThrow();
  });
});

describe('Junos', () => {
  it('prints ## Last commit and the configuration for show configuration | display omit | no-more', async () => {
    const { connection } = await login({ vendor: 'junos', config: JUNOS_CONFIG });
    const result = await exec(connection.client, 'show configuration | display omit | no-more');
    expect(result.stdout.toString()).toMatch(
      /^## Last commit: \d{4}-\d{2}-\d{2} [\d:]{8} UTC by admin\n/,
    );
    expect(result.stdout.toString()).toContain(JUNOS_CONFIG);
    expect(result.exitCode).toBe(0);
  });

  it('prints the same ## Last commit on every read of an unchanged configuration', async () => {
    const { connection } = await login({ vendor: 'junos', config: JUNOS_CONFIG });
    const lastCommit = async () =>
      /^## Last commit: .*$/m.exec(
        (
          await exec(connection.client, 'show configuration | display omit | no-more')
        ).stdout.toString(),
      )?.[0];
    const first = await lastCommit();
    expect(first).toBeDefined();
    expect(await lastCommit()).toBe(first);
  });

  it('prints a new ## Last commit on every read under the volatileChangeTimes fault', async () => {
    const { connection } = await login({
      vendor: 'junos',
      config: JUNOS_CONFIG,
      faults: { volatileChangeTimes: true },
    });
    const lastCommit = async () =>
      /^## Last commit: .*$/m.exec(
        (
          await exec(connection.client, 'show configuration | display omit | no-more')
        ).stdout.toString(),
      )?.[0];
    const first = await lastCommit();
    expect(first).toBeDefined();
    expect(await lastCommit()).not.toBe(first);
  });

  it('answers an unknown command with error: unknown command', async () => {
    const { connection } = await login({ vendor: 'junos', config: JUNOS_CONFIG });
    const result = await exec(connection.client, 'foo bar');
    expect(result.stdout.toString()).toBe('error: unknown command: foo\n');
  });

  it('answers a bad word after show with error: syntax error', async () => {
    const { connection } = await login({ vendor: 'junos', config: JUNOS_CONFIG });
    const result = await exec(connection.client, 'show configurationx');
    expect(result.stdout.toString()).toBe(
      'error: syntax error, expecting <command>: configurationx\n',
    );
  });
});

describe('Linux', () => {
  it('cats the config from its default path', async () => {
    const { connection } = await login({ vendor: 'linux', config: 'auto lo\n' });
    const result = await exec(connection.client, `cat -- ${SIMULATED_LINUX_CONFIG_PATH}`);
    expect(result).toEqual({ stdout: Buffer.from('auto lo\n'), stderr: '', exitCode: 0 });
  });

  it('cats the files given, quoted or not, one after the other', async () => {
    const { connection } = await login({
      vendor: 'linux',
      config: '',
      files: { '/etc/a b.conf': 'a\n', '/etc/b.conf': 'b\n' },
    });
    const result = await exec(connection.client, "cat -- '/etc/a b.conf' /etc/b.conf");
    expect(result.stdout.toString()).toBe('a\nb\n');
  });

  it('reports a missing file on stderr with exit status 1', async () => {
    const { connection } = await login({ vendor: 'linux', config: 'x\n' });
    const result = await exec(connection.client, 'cat -- /etc/missing');
    expect(result).toEqual({
      stdout: Buffer.alloc(0),
      stderr: 'cat: /etc/missing: No such file or directory\n',
      exitCode: 1,
    });
  });

  it('reports an unknown command like bash, with exit status 127', async () => {
    const { connection } = await login({ vendor: 'linux', config: 'x\n' });
    const result = await exec(connection.client, 'show run');
    expect(result.stderr).toBe('bash: show: command not found\n');
    expect(result.exitCode).toBe(127);
  });
});

describe('shell vendors', () => {
  it('refuse exec channels', async () => {
    const { connection } = await login({ vendor: 'cisco-ios', config: 'end\n' });
    await expect(exec(connection.client, 'show running-config')).rejects.toThrow();
  });

  it('refuse a shell without a pty', async () => {
    const { connection } = await login({ vendor: 'cisco-ios', config: 'end\n' });
    await expect(openShell(connection.client, { pty: false })).rejects.toThrow();
  });
});
