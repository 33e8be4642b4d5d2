import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSnapshot, DirectorySnapshotPublisher } from '../../src/index.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('confsnap-show-'));
});
afterEach(() => cleanup());

/** Publishes each text in turn for `deviceId`, as backups do, into `dir` (with or without git). */
async function backups(deviceId: string, texts: string[], git = true): Promise<void> {
  const publisher = new DirectorySnapshotPublisher({ dir, git });
  try {
    for (const [i, configText] of texts.entries()) {
      await publisher.publish(
        createSnapshot({
          deviceId,
          tenantId: 'acme',
          vendor: 'routeros',
          configText,
          collectedAt: new Date(Date.UTC(2026, 2, 7, 12, i)),
        }),
      );
    }
  } finally {
    await publisher.close();
  }
}

describe('confsnap show', () => {
  it('prints the latest config of a device whose id needs encoding in its file name', async () => {
    await backups('site-a/rtr-1.example.net', [
      '/system identity set name=a\n',
      '/system identity set name=b\n',
    ]);
    const run = await cli(['show', 'site-a/rtr-1.example.net', '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout()).toBe('/system identity set name=b\n');
  });

  it('names similar devices when the device is unknown', async () => {
    await backups('core-r1', ['x\n'], false);
    const run = await cli(['show', 'core-r', '--out', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr()).toMatch(/no config of device "core-r" in .* similar: core-r1/);
    expect(run.stdout()).toBe('');
  });

  it('needs a device and --out', async () => {
    expect((await cli(['show', '--out', dir])).code).toBe(2);
    const run = await cli(['show', 'r1']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--out DIR is required');
  });
});

describe('confsnap diff', () => {
  it('shows the last change of a device as a unified diff by default', async () => {
    await backups('rtr-1', ['a\nb\n', 'a\nc\n']);
    await backups('other', ['z\n']);
    const run = await cli(['diff', 'rtr-1', '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('--- a/rtr-1.cfg');
    expect(run.stdout()).toContain('+++ b/rtr-1.cfg');
    expect(run.stdout()).toMatch(/^-b$/m);
    expect(run.stdout()).toMatch(/^\+c$/m);
  });

  it('compares with a given revision', async () => {
    await backups('rtr-1', ['one\n', 'two\n', 'three\n']);
    const first = execFileSync('git', ['log', '--reverse', '--format=%H'], {
      cwd: dir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')[0]!;
    const run = await cli(['diff', 'rtr-1', first, '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout()).toMatch(/^-one$/m);
    expect(run.stdout()).toMatch(/^\+three$/m);
    expect(run.stdout()).not.toMatch(/two/);
  });

  it('gives git the file name literally, not as a pathspec pattern', async () => {
    await backups('rtr-*', ['star 1\n', 'star 2\n']);
    await backups('rtr-1', ['one 1\n', 'one 2\n']);
    const run = await cli(['diff', 'rtr-*', '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('+star 2');
    expect(run.stdout()).not.toContain('one');
  });

  it('says when there is no earlier version', async () => {
    await backups('rtr-1', ['only\n']);
    const run = await cli(['diff', 'rtr-1', '--out', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr()).toMatch(/no earlier version of "rtr-1": its config was committed once/);
  });

  it('says when the device is unknown or the revision is', async () => {
    await backups('rtr-1', ['a\n', 'b\n']);
    const unknown = await cli(['diff', 'rtr-2', '--out', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr()).toMatch(/no config of device "rtr-2"/);
    const badRev = await cli(['diff', 'rtr-1', 'nosuchrev', '--out', dir]);
    expect(badRev.code).toBe(1);
    expect(badRev.stderr()).toContain('unknown revision "nosuchrev"');
    const option = await cli(['diff', 'rtr-1', '--output=/tmp/x', '--out', dir]);
    expect(option.code).toBe(2);
  });

  it('says when the output directory is not a git repository', async () => {
    await backups('rtr-1', ['a\n'], false);
    const run = await cli(['diff', 'rtr-1', '--out', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr()).toMatch(
      /is not a git repository: only backups made with --git keep earlier versions/,
    );
  });
});
