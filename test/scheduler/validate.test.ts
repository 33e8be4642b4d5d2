import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { checkDeviceRecord, isValidDeviceId } from '../../src/scheduler/validate.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';

function record(id: unknown): Record<string, unknown> {
  return { id, host: '192.0.2.1', vendor: 'routeros' };
}

describe('checkDeviceRecord', () => {
  it.each([
    'core-sw1.example.net',
    'rtr-1',
    '2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13',
    'site a/rtr*1>',
    ':!x',
    'x'.repeat(255),
  ])('accepts the id %j', (id) => {
    expect(checkDeviceRecord(record(id))).toBeUndefined();
    expect(isValidDeviceId(id)).toBe(true);
  });

  it('rejects a 5000-character id as an invalid id, saying how long it is and the limit', () => {
    expect(checkDeviceRecord(record('x'.repeat(5000)))).toEqual({
      field: 'id',
      message:
        'is 5000 bytes of UTF-8; a device id has at most 255 — use a shorter name (a host name, an FQDN or a UUID)',
    });
    expect(isValidDeviceId('x'.repeat(5000))).toBe(false);
  });

  it('counts bytes, not characters: 128 × "é" is 256 bytes', () => {
    const problem = checkDeviceRecord(record('é'.repeat(128)));
    expect(problem?.field).toBe('id');
    expect(problem?.message).toMatch(/^is 256 bytes of UTF-8/);
  });

  it.each([
    ['a\nb', 'U+000A'],
    ['a\rb', 'U+000D'],
    ['a\tb', 'U+0009'],
    ['\u007f', 'U+007F'],
    ['\u009b', 'U+009B'],
  ])('rejects the id %j, naming the control character %s', (id, code) => {
    const problem = checkDeviceRecord(record(id));
    expect(problem?.field).toBe('id');
    expect(problem?.message).toContain(`control character ${code}`);
  });

  it.each([
    ['', /must not be empty/],
    [undefined, /must be a string/],
    [7, /must be a string/],
  ])('rejects the id %j', (id, message) => {
    const problem = checkDeviceRecord(record(id));
    expect(problem?.field).toBe('id');
    expect(problem?.message).toMatch(message);
  });
});

describe('BackupScheduler and device ids', () => {
  it('backs up an FQDN id and reports a 5000-character id as invalid, running the others', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    const publisher = new MemorySnapshotPublisher();
    const devices: Device[] = [
      { id: 'core-sw1.example.net', host: '192.0.2.1', vendor: 'cisco-ios' },
      { id: 'y'.repeat(5000), host: '192.0.2.2', vendor: 'cisco-ios' },
    ];
    const scheduler = new BackupScheduler({
      devices: { list: () => Promise.resolve(devices) },
      credentials: { get: () => Promise.resolve({ username: 'backup', password: 'pw' }) },
      publisher,
      clock,
      collect: fake.collect,
      initialJitterMs: [0, 0],
    });
    const invalid: { field: string; index: number }[] = [];
    scheduler.on('device:invalid', (event) =>
      invalid.push({ field: event.field, index: event.index }),
    );
    await scheduler.start();
    await clock.advance(1_000);
    await scheduler.stop();

    expect(invalid).toEqual([{ field: 'id', index: 1 }]);
    expect(publisher.snapshots.map((snapshot) => snapshot.deviceId)).toEqual([
      'core-sw1.example.net',
    ]);
  });
});

describe('checkDeviceRecord: via (jump hosts)', () => {
  const withVia = (via: unknown): Record<string, unknown> => ({ ...record('r1'), via });

  it('accepts one jump host, or a list of them nearest first', () => {
    expect(checkDeviceRecord(withVia({ id: 'bastion1', host: '10.0.0.1' }))).toBeUndefined();
    expect(
      checkDeviceRecord(
        withVia([
          { id: 'bastion1', host: '10.0.0.1', port: 2222 },
          { id: 'site-jump', host: '10.1.0.1' },
        ]),
      ),
    ).toBeUndefined();
  });

  it('names the hop and the field that is wrong', () => {
    expect(checkDeviceRecord(withVia([{ id: 'bastion1' }]))).toEqual({
      field: 'via[0].host',
      message: 'is missing',
    });
    expect(checkDeviceRecord(withVia({ id: 'bastion1', host: 'b', port: 0 }))).toEqual({
      field: 'via.port',
      message: 'must be an integer from 1 to 65535, got 0',
    });
    expect(checkDeviceRecord(withVia([{ id: 'a', host: 'a' }, { host: 'b' }]))?.field).toBe(
      'via[1].id',
    );
    expect(checkDeviceRecord(withVia(['bastion1']))).toEqual({
      field: 'via[0]',
      message: 'must be an object { id, host, port? }',
    });
    expect(
      checkDeviceRecord(withVia({ id: 'b', host: 'b', hostKeyFingerprint: 'md5:zz' }))?.field,
    ).toBe('via.hostKeyFingerprint');
  });

  it('refuses the same hop twice in one path', () => {
    expect(
      checkDeviceRecord(
        withVia([
          { id: 'b', host: 'b' },
          { id: 'b', host: 'c' },
        ]),
      ),
    ).toEqual({ field: 'via[1].id', message: 'names jump host b twice' });
  });
});

describe('checkDeviceRecord: ssh (per-device SSH settings)', () => {
  const withSSH = (ssh: unknown): Record<string, unknown> => ({ ...record('r1'), ssh });

  it('accepts every setting, algorithms as a preset, lists or edits', () => {
    for (const algorithms of [
      'modern',
      'legacy',
      { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-cbc'] },
      { serverHostKey: { append: 'ssh-dss', remove: ['ssh-ed25519'] } },
    ]) {
      expect(
        checkDeviceRecord(
          withSSH({
            algorithms,
            connectTimeoutMs: 5_000,
            commandTimeoutMs: 90_000,
            timeLimitMs: 900_000,
            keepaliveIntervalMs: 0,
          }),
        ),
      ).toBeUndefined();
    }
  });

  it('names the setting and says what it must be', () => {
    expect(checkDeviceRecord(withSSH({ connectTimeoutMs: '5s' }))).toEqual({
      field: 'ssh.connectTimeoutMs',
      message: 'must be a positive number of ms, got "5s"',
    });
    expect(checkDeviceRecord(withSSH({ timeLimitMs: 0 }))?.field).toBe('ssh.timeLimitMs');
    expect(checkDeviceRecord(withSSH({ keepaliveIntervalMs: -1 }))).toEqual({
      field: 'ssh.keepaliveIntervalMs',
      message: 'must be a number of ms >= 0 (0: off), got -1',
    });
    const typo = checkDeviceRecord(withSSH({ connect_timeout_ms: 5_000 }));
    expect(typo?.field).toBe('ssh.connect_timeout_ms');
    expect(typo?.message).toMatch(/^is not an SSH setting \(known: algorithms, connectTimeoutMs/);
    expect(checkDeviceRecord(withSSH('legacy'))?.field).toBe('ssh');
  });

  it('refuses unknown algorithm names, kinds and edits, and empty lists', () => {
    expect(checkDeviceRecord(withSSH({ algorithms: 'weak' }))?.field).toBe('ssh.algorithms');
    const unknown = checkDeviceRecord(withSSH({ algorithms: { kex: ['curve25519-sha265'] } }));
    expect(unknown?.field).toBe('ssh.algorithms.kex');
    expect(unknown?.message).toMatch(/^names "curve25519-sha265", which is not a known algorithm/);
    expect(checkDeviceRecord(withSSH({ algorithms: { ciphers: ['aes128-cbc'] } }))?.field).toBe(
      'ssh.algorithms.ciphers',
    );
    expect(
      checkDeviceRecord(withSSH({ algorithms: { cipher: { add: ['aes128-cbc'] } } }))?.field,
    ).toBe('ssh.algorithms.cipher.add');
    expect(checkDeviceRecord(withSSH({ algorithms: { kex: [] } }))?.message).toMatch(/is empty/);
  });
});
