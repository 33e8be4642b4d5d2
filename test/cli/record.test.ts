/** `confsnap record`: one real session recorded to a file that replays as the device did. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectConfig } from '../../src/ssh/collect.js';
import { startRecordedDevice } from '../../src/testing/index.js';
import { cli, Lab, tempDir, USERNAME } from './helpers.js';

const PASSWORD = 'Rec0rd-login-pass';
const ENABLE = 'Rec0rd-enable-secret';
const CONFIG =
  'hostname edge-sw3\nenable secret 9 $9$Qx7aaaa$bbbbbbbbbbbb\nsnmp-server community c0mmPriv RO\nend\n';

const lab = new Lab();
let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('confsnap-record-'));
});
afterEach(async () => {
  await lab.close();
  cleanup();
});

function env() {
  return { REC_PASS: PASSWORD, REC_ENABLE: ENABLE };
}

describe('confsnap record', () => {
  it('records a device behind enable, secrets masked and hostname anonymized, 0600', async () => {
    const device = await lab.start(PASSWORD, {
      vendor: 'cisco-ios',
      hostname: 'edge-sw3',
      config: CONFIG,
      privilege: { enableSecret: ENABLE },
    });
    const out = join(dir, 'edge#simulation.yaml');
    const run = await cli(
      [
        'record',
        ...['--host', device.host, '--port', String(device.port), '--vendor', 'ios'],
        ...['--user', USERNAME, '--password-env', 'REC_PASS', '--enable-secret-env', 'REC_ENABLE'],
        ...['--known-hosts', join(dir, 'pins.json'), '--anonymize', '--out', out],
      ],
      { env: env(), cwd: dir },
    );
    expect(run.stderr()).toContain('recorded to');
    expect(run.code).toBe(0);
    expect(run.stderr()).toContain('hostname "edge-sw3" replaced by "device"');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const yaml = readFileSync(out, 'utf8');
    for (const secret of [PASSWORD, ENABLE, '$9$Qx7aaaa', 'c0mmPriv']) {
      expect(yaml).not.toContain(secret);
      expect(run.all()).not.toContain(secret);
    }
    expect(yaml).not.toContain('edge-sw3');
    expect(yaml).toContain('hostname device');
    // The pin was taken on first use, as `backup` does.
    expect(readFileSync(join(dir, 'pins.json'), 'utf8')).toContain('SHA256:');

    const replay = await startRecordedDevice(yaml);
    try {
      const result = await collectConfig({
        device: { id: 'device', host: replay.host, port: replay.port, vendor: 'cisco-ios' },
        credentials: { username: 'admin', password: 'admin', enableSecret: '<secret hidden>' },
        commandTimeoutMs: 5_000,
        maskSecrets: true,
      });
      expect(replay.unknownCommands).toEqual([]);
      expect(result.text).toContain('snmp-server community <secret hidden> RO');
    } finally {
      await replay.close();
    }
  });

  it('pins each device by host and port, so two devices on one address do not clash', async () => {
    const first = await lab.start(PASSWORD, { vendor: 'cisco-ios', config: CONFIG });
    const second = await lab.start(PASSWORD, { vendor: 'cisco-ios', config: CONFIG });
    const pins = join(dir, 'pins.json');
    for (const [i, device] of [first, second].entries()) {
      const run = await cli(
        [
          'record',
          ...['--host', device.host, '--port', String(device.port), '--vendor', 'cisco-ios'],
          ...['--user', USERNAME, '--password-env', 'REC_PASS', '--known-hosts', pins],
          ...['--out', join(dir, `r${i}.yaml`)],
        ],
        { env: env(), cwd: dir },
      );
      expect(run.stderr()).not.toContain('host-key-mismatch');
      expect(run.code).toBe(0);
      expect(run.stderr()).toContain('replay it with the same maskSecrets (true)');
    }
    const pinned = Object.keys(JSON.parse(readFileSync(pins, 'utf8')) as object);
    expect(pinned).toEqual(
      expect.arrayContaining([`${first.host}:${first.port}`, `${second.host}:${second.port}`]),
    );
  });

  it('says how to forget a pin when the device presents another key', async () => {
    const device = await lab.start(PASSWORD, { vendor: 'cisco-ios', config: CONFIG });
    const other = await lab.start(PASSWORD, { vendor: 'cisco-ios', config: CONFIG });
    const pins = join(dir, 'pins.json');
    const record = (port: number) =>
      cli(
        [
          'record',
          ...['--host', device.host, '--port', String(port), '--id', 'sw9', '--vendor', 'ios'],
          ...['--user', USERNAME, '--password-env', 'REC_PASS', '--known-hosts', pins],
          ...['--out', join(dir, `p${port}.yaml`)],
        ],
        { env: env(), cwd: dir },
      );
    expect((await record(device.port)).code).toBe(0);
    const run = await record(other.port);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('host-key-mismatch');
    expect(run.stderr()).toContain(`confsnap hostkeys reset sw9 --known-hosts ${pins}`);
  });

  it('records a failing login up to the failure and exits 1', async () => {
    const device = await lab.start(PASSWORD, { vendor: 'cisco-ios', config: CONFIG });
    const out = join(dir, 'failed.yaml');
    const run = await cli(
      [
        'record',
        ...['--host', device.host, '--port', String(device.port), '--vendor', 'cisco-ios'],
        ...['--user', USERNAME, '--password-env', 'REC_PASS', '--out', out],
      ],
      { env: { REC_PASS: 'not-the-password' }, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('the backup failed (auth-failed)');
    expect(readFileSync(out, 'utf8')).toContain('init_prompt');
    expect(run.all()).not.toContain('not-the-password');
  });

  it.each([
    [['--vendor', 'ios', '--user', 'u', '--password-env', 'P', '--out', 'x'], '--host is required'],
    [
      ['--host', 'h', '--vendor', 'ios', '--user', 'u', '--out', 'x'],
      '--password-env VAR or --key FILE',
    ],
    [
      ['--host', 'h', '--vendor', 'ciscoo-ios', '--user', 'u', '--password-env', 'P', '--out', 'x'],
      'did you mean cisco-ios',
    ],
    [
      [
        '--host',
        'h',
        '--port',
        '70000',
        '--vendor',
        'ios',
        '--user',
        'u',
        '--password-env',
        'P',
        '--out',
        'x',
      ],
      '--port must be a whole number from 1 to 65535',
    ],
    [
      ['--host', 'h', '--vendor', 'ios', '--user', 'u', '--password-env', 'NOPE', '--out', 'x'],
      'the environment variable NOPE is not set',
    ],
  ])('refuses %j: %s', async (argv, message) => {
    const run = await cli(['record', ...argv], { cwd: dir, env: { P: 'x' } });
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(message);
  });

  it('keeps an existing file unless --force', async () => {
    const out = join(dir, 'kept.yaml');
    writeFileSync(out, 'mine\n');
    const run = await cli(
      [
        'record',
        '--host',
        'h',
        '--vendor',
        'ios',
        '--user',
        'u',
        '--password-env',
        'P',
        '--out',
        out,
      ],
      { cwd: dir, env: { P: 'x' } },
    );
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('exists; choose another --out FILE or add --force');
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
  });

  it('prints its help', async () => {
    const run = await cli(['record', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('Usage: confsnap record');
  });
});
