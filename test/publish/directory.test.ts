import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBackupError } from '../../src/core/errors.js';
import {
  DirectorySnapshotPublisher,
  createSnapshot,
  type DirectorySnapshotPublisherOptions,
  type Snapshot,
} from '../../src/publish/index.js';

let dir: string;
const publishers: DirectorySnapshotPublisher[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'confsnap-dir-'));
});

afterEach(async () => {
  await Promise.all(publishers.splice(0).map((publisher) => publisher.close()));
  rmSync(dir, { recursive: true, force: true });
});

function publisherWith(
  options: Partial<DirectorySnapshotPublisherOptions> = {},
): DirectorySnapshotPublisher {
  const publisher = new DirectorySnapshotPublisher({ dir, ...options });
  publishers.push(publisher);
  return publisher;
}

function snapshotOf(deviceId: string, configText: string, vendor = 'routeros'): Snapshot {
  return createSnapshot({
    deviceId,
    tenantId: 'acme',
    vendor,
    configText,
    collectedAt: new Date('2026-03-07T12:00:00Z'),
  });
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

function commitCount(): number {
  return Number(git('rev-list', '--count', 'HEAD').trim());
}

describe('DirectorySnapshotPublisher', () => {
  it('writes the text to <dir>/<device_id>.cfg', async () => {
    await publisherWith().publish(snapshotOf('rtr-1', '/system identity\nset name=rtr-1\n'));
    expect(readFileSync(join(dir, 'rtr-1.cfg'), 'utf8')).toBe('/system identity\nset name=rtr-1\n');
  });

  it('leaves no temporary file behind', async () => {
    const publisher = publisherWith();
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    await publisher.publish(snapshotOf('rtr-1', 'b\n'));
    expect(readdirSync(dir)).toEqual(['rtr-1.cfg']);
  });

  it('creates the directory when it is missing', async () => {
    const nested = join(dir, 'configs', 'site-a');
    const publisher = new DirectorySnapshotPublisher({ dir: nested });
    publishers.push(publisher);
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    expect(readFileSync(join(nested, 'rtr-1.cfg'), 'utf8')).toBe('a\n');
  });

  it('reports an unchanged text as a duplicate', async () => {
    const publisher = publisherWith();
    const first = await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    const second = await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    expect(first).toEqual({ stream: dir, seq: 1, duplicate: false });
    expect(second).toEqual({ stream: dir, seq: 2, duplicate: true });
  });

  it('replaces the file when the text changed', async () => {
    const publisher = publisherWith();
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    const receipt = await publisher.publish(snapshotOf('rtr-1', 'b\n'));
    expect(receipt.duplicate).toBe(false);
    expect(readFileSync(join(dir, 'rtr-1.cfg'), 'utf8')).toBe('b\n');
  });

  it.each([
    ['core-sw1.example.net', 'core-sw1.example.net.cfg'],
    ['2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13', '2f1c9a8e-5b7d-4c3e-9a61-0d2b8f4e7a13.cfg'],
    ['site-a/rtr-1', 'site-a%2Frtr-1.cfg'],
    ['../etc', '%2E.%2Fetc.cfg'],
    ['.hidden', '%2Ehidden.cfg'],
    ['a\\b 100%', 'a%5Cb 100%25.cfg'],
  ])('writes device %j to the file %j in the directory', async (deviceId, name) => {
    expect(DirectorySnapshotPublisher.fileNameOf(deviceId)).toBe(name);
    await publisherWith().publish(snapshotOf(deviceId, 'a\n'));
    expect(readdirSync(dir)).toEqual([name]);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('a\n');
  });

  it('rejects a device id whose file name would be too long with publish-failed, naming the limit', async () => {
    const error: unknown = await publisherWith()
      .publish(snapshotOf('/'.repeat(255), 'a\n'))
      .catch((e: unknown) => e);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(/file name of 769 bytes, longer than the 255/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes files readable by their owner only, in a directory it creates with mode 0700', async () => {
    const nested = join(dir, 'configs');
    const publisher = new DirectorySnapshotPublisher({ dir: nested });
    publishers.push(publisher);
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    await publisher.publish(snapshotOf('rtr-1', 'b\n'));
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(statSync(join(nested, 'rtr-1.cfg')).mode & 0o777).toBe(0o600);
  });

  it('rejects a snapshot whose hash does not match its text with publish-failed', async () => {
    const snapshot = { ...snapshotOf('rtr-1', 'a\n'), configText: 'b\n' };
    await expect(publisherWith().publish(snapshot)).rejects.toSatisfy(
      (error) =>
        isBackupError(error, 'publish-failed') && /does not match/.test((error as Error).message),
    );
  });

  it('keeps the last of concurrent publishes of one device, in call order', async () => {
    const publisher = publisherWith();
    await Promise.all(
      ['a\n', 'b\n', 'c\n'].map((text) => publisher.publish(snapshotOf('rtr-1', text))),
    );
    expect(readFileSync(join(dir, 'rtr-1.cfg'), 'utf8')).toBe('c\n');
  });

  it('rejects a publish waiting for its turn with the signal reason when the signal aborts', async () => {
    const publisher = publisherWith({ git: true });
    const first = publisher.publish(snapshotOf('rtr-1', 'a\n'));
    const controller = new AbortController();
    const second = publisher.publish(snapshotOf('rtr-2', 'b\n'), { signal: controller.signal });
    const reason = new Error('time limit');
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    await first;
    expect(existsSync(join(dir, 'rtr-2.cfg'))).toBe(false);
  });

  it('on close rejects publishes still waiting for their turn with cancelled and finishes the running one', async () => {
    const publisher = publisherWith({ git: true });
    const running = publisher.publish(snapshotOf('rtr-1', 'a\n'));
    const waiting = publisher.publish(snapshotOf('rtr-2', 'b\n'));
    waiting.catch(() => {});
    await publisher.close();
    await expect(running).resolves.toMatchObject({ duplicate: false });
    await expect(waiting).rejects.toSatisfy((error) => isBackupError(error, 'cancelled'));
  });

  it('rejects publishes after close with publish-failed', async () => {
    const publisher = publisherWith();
    await publisher.close();
    await expect(publisher.publish(snapshotOf('rtr-1', 'a\n'))).rejects.toSatisfy((error) =>
      isBackupError(error, 'publish-failed'),
    );
  });
});

describe('DirectorySnapshotPublisher with git', () => {
  it('creates a repository in the directory and commits the first snapshot', async () => {
    await publisherWith({ git: true }).publish(snapshotOf('rtr-1', 'a\n'));
    expect(existsSync(join(dir, '.git'))).toBe(true);
    expect(commitCount()).toBe(1);
    expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('rtr-1.cfg');
  });

  it('names the device, the vendor and the hash in the commit message', async () => {
    const snapshot = snapshotOf('sw-7', 'hostname sw-7\nend\n', 'cisco-ios');
    await publisherWith({ git: true }).publish(snapshot);
    const message = git('log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe(`sw-7: cisco-ios config ${snapshot.sha256.slice(0, 12)}`);
    expect(message).toContain(`device: sw-7`);
    expect(message).toContain(`vendor: cisco-ios`);
    expect(message).toContain(`sha256: ${snapshot.sha256}`);
  });

  it('says secrets_masked in the commit message only when the secrets were masked', async () => {
    const publisher = publisherWith({ git: true });
    await publisher.publish(snapshotOf('sw-7', 'hostname sw-7\nend\n', 'cisco-ios'));
    expect(git('log', '-1', '--format=%B')).not.toContain('secrets_masked');
    await publisher.publish({
      ...snapshotOf('sw-7', 'enable secret 9 <secret hidden>\nend\n', 'cisco-ios'),
      secretsMasked: true,
    });
    expect(git('log', '-1', '--format=%B')).toContain('secrets_masked: true');
  });

  it('commits as the configured author, dated at the collection time', async () => {
    await publisherWith({
      git: true,
      author: { name: 'Backup Bot', email: 'netops@example.com' },
    }).publish(snapshotOf('rtr-1', 'a\n'));
    expect(git('log', '-1', '--format=%an <%ae>|%cn <%ce>|%at')).toBe(
      `Backup Bot <netops@example.com>|Backup Bot <netops@example.com>|${Date.parse('2026-03-07T12:00:00Z') / 1000}\n`,
    );
  });

  it('makes one commit per changed snapshot', async () => {
    const publisher = publisherWith({ git: true });
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    await publisher.publish(snapshotOf('rtr-1', 'b\n'));
    expect(commitCount()).toBe(2);
  });

  it('makes no commit and reports a duplicate when the text is unchanged', async () => {
    const publisher = publisherWith({ git: true });
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    const receipt = await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    expect(receipt.duplicate).toBe(true);
    expect(commitCount()).toBe(1);
  });

  it('commits concurrent publishes of many devices as one commit per device, each touching only its file', async () => {
    const publisher = publisherWith({ git: true });
    const devices = Array.from({ length: 12 }, (_, i) => `dev-${i}`);
    await Promise.all(devices.map((id) => publisher.publish(snapshotOf(id, `set name=${id}\n`))));

    expect(commitCount()).toBe(12);
    const touched = git('log', '--format=', '--name-only').trim().split('\n').filter(Boolean);
    expect(touched.sort()).toEqual(devices.map((id) => `${id}.cfg`).sort());
    expect(git('status', '--porcelain')).toBe('');
  });

  it('commits concurrent changed, unchanged and new publishes exactly as they change things', async () => {
    const publisher = publisherWith({ git: true });
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    await publisher.publish(snapshotOf('rtr-2', 'x\n'));
    const receipts = await Promise.all([
      publisher.publish(snapshotOf('rtr-1', 'a\n')), // unchanged
      publisher.publish(snapshotOf('rtr-2', 'y\n')), // changed
      publisher.publish(snapshotOf('rtr-3', 'new\n')), // new
      publisher.publish(snapshotOf('rtr-2', 'y\n')), // unchanged after the change before it
    ]);
    expect(receipts.map((receipt) => receipt.duplicate)).toEqual([true, false, false, true]);
    expect(commitCount()).toBe(4);
  });

  it('shows exactly the changes in git log -p', async () => {
    const publisher = publisherWith({ git: true });
    await publisher.publish(snapshotOf('rtr-1', '/ip address\nadd address=10.0.0.1/24\n'));
    await publisher.publish(snapshotOf('rtr-1', '/ip address\nadd address=10.0.0.1/24\n'));
    await publisher.publish(snapshotOf('rtr-1', '/ip address\nadd address=10.0.0.2/24\n'));

    const patches = git('log', '-p', '--reverse', '--format=---commit %s', '--', 'rtr-1.cfg')
      .split('---commit ')
      .filter(Boolean)
      .map((patch) => patch.split('\n').filter((line) => /^[+-][^+-]/.test(line)));
    expect(patches).toEqual([
      ['+/ip address', '+add address=10.0.0.1/24'],
      ['-add address=10.0.0.1/24', '+add address=10.0.0.2/24'],
    ]);
  });

  it('commits a file that an earlier run wrote but did not commit', async () => {
    const publisher = publisherWith({ git: true });
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    writeFileSync(join(dir, 'rtr-1.cfg'), 'b\n'); // as if a crash hit between rename and commit
    const receipt = await publisher.publish(snapshotOf('rtr-1', 'b\n'));
    expect(receipt.duplicate).toBe(false);
    expect(commitCount()).toBe(2);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('uses a repository that already exists in the directory', async () => {
    git('init', '--quiet');
    writeFileSync(join(dir, 'README'), 'configs\n');
    git('add', 'README');
    git('-c', 'user.name=x', '-c', 'user.email=x@example.com', 'commit', '--quiet', '-m', 'start');
    await publisherWith({ git: true }).publish(snapshotOf('rtr-1', 'a\n'));
    expect(commitCount()).toBe(2);
  });

  it('reports nothing changed when git is turned on over a directory of identical files', async () => {
    const devices = ['rtr-1', 'rtr-2', 'core-sw1.example.net'];
    const first = publisherWith();
    for (const id of devices) await first.publish(snapshotOf(id, `set name=${id}\n`));

    const withGit = publisherWith({ git: true });
    const receipts = await Promise.all(
      devices.map((id) => withGit.publish(snapshotOf(id, `set name=${id}\n`))),
    );
    expect(receipts.map((receipt) => receipt.duplicate)).toEqual([true, true, true]);
    expect(commitCount()).toBe(3);
    expect(git('status', '--porcelain')).toBe('');

    const again = await withGit.publish(snapshotOf('rtr-1', 'set name=rtr-1\n'));
    expect(again.duplicate).toBe(true);
    expect(commitCount()).toBe(3);
  });

  it('reports nothing changed for identical files not yet committed to an existing repository', async () => {
    git('init', '--quiet');
    writeFileSync(join(dir, 'rtr-1.cfg'), 'a\n');
    const receipt = await publisherWith({ git: true }).publish(snapshotOf('rtr-1', 'a\n'));
    expect(receipt.duplicate).toBe(true);
    expect(git('log', '--format=', '--name-only').trim()).toBe('rtr-1.cfg');
  });

  it('keeps hidden files and the ignore paths out of git status', async () => {
    writeFileSync(join(dir, '.confsnap-hostkeys.json'), '{}\n');
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'pins [1].json'), '{}\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const publisher = publisherWith({
      git: true,
      ignore: [join(dir, 'state', 'pins [1].json'), '/elsewhere/pins.json'],
    });
    await publisher.publish(snapshotOf('rtr-1', 'a\n'));
    writeFileSync(join(dir, '.confsnap-hostkeys.json'), '{"rtr-1":"SHA256:x"}\n');
    await publisher.publish(snapshotOf('rtr-1', 'b\n'));

    // Only what is neither a snapshot nor excluded is left for the owner of the directory to see.
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('?? notes.txt\n');
    expect(git('log', '--format=', '--name-only').split('\n').filter(Boolean)).toEqual([
      'rtr-1.cfg',
      'rtr-1.cfg',
    ]);
  });

  it('writes the exclusions once, however often a publisher starts', async () => {
    await publisherWith({ git: true, ignore: ['pins.json'] }).publish(snapshotOf('rtr-1', 'a\n'));
    await publisherWith({ git: true, ignore: ['pins.json'] }).publish(snapshotOf('rtr-1', 'b\n'));
    const exclude = readFileSync(join(dir, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude.split('\n').filter((line) => line === '/.*' || line === '/pins.json')).toEqual([
      '/.*',
      '/pins.json',
    ]);
  });

  it('creates the repository readable by its owner only, its objects too', async () => {
    await publisherWith({ git: true }).publish(snapshotOf('rtr-1', 'secret\n'));
    await publisherWith({ git: true }).publish(snapshotOf('rtr-1', 'secret 2\n'));
    const open: string[] = [];
    const walk = (path: string): void => {
      const stat = statSync(path);
      if ((stat.mode & 0o077) !== 0) open.push(relative(dir, path));
      if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    };
    // The objects hold the configurations; the repository directory closes everything else.
    walk(join(dir, '.git', 'objects'));
    expect(open).toEqual([]);
    expect(readdirSync(join(dir, '.git', 'objects')).length).toBeGreaterThan(2);
    expect(statSync(join(dir, '.git')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'rtr-1.cfg')).mode & 0o777).toBe(0o600);
  });

  it.each([':!x', '*', ':(glob)*', '[r]tr-1'])(
    'gives git the path of device %j literally, committing only its file',
    async (deviceId) => {
      const publisher = publisherWith({ git: true });
      await publisher.publish(snapshotOf('rtr-1', 'a\n'));
      writeFileSync(join(dir, 'rtr-1.cfg'), 'edited by hand\n');
      writeFileSync(join(dir, 'rtr-2.cfg'), 'untracked\n');

      const receipt = await publisher.publish(snapshotOf(deviceId, 'b\n'));
      const file = DirectorySnapshotPublisher.fileNameOf(deviceId);
      expect(receipt.duplicate).toBe(false);
      expect(git('show', '--name-only', '--format=', 'HEAD').trim()).toBe(file);
      expect(git('show', `HEAD:./${file}`)).toBe('b\n');
      expect(git('status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
        ' M rtr-1.cfg',
        '?? rtr-2.cfg',
      ]);
    },
  );

  it('fails with publish-failed, naming the device, when git cannot run', async () => {
    const publisher = publisherWith({ git: true, gitBinary: join(dir, 'no-such-git') });
    const error: unknown = await publisher
      .publish(snapshotOf('rtr-1', 'a\n'))
      .catch((e: unknown) => e);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(/device rtr-1/);
  });
});
