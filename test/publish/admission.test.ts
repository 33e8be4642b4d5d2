import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupError } from '../../src/core/errors.js';
import { isBackupError } from '../../src/core/errors.js';
import { admitSnapshot, type SnapshotAdmission } from '../../src/publish/admission.js';
import {
  createSnapshot,
  DirectorySnapshotPublisher,
  type Snapshot,
  type SnapshotPublisher,
} from '../../src/publish/index.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';

const SECRET = 'set password=hunter2\n';
const snapshot = createSnapshot({
  deviceId: 'r1',
  tenantId: 'acme',
  vendor: 'routeros',
  configText: SECRET,
});
const tampered: Snapshot = { ...snapshot, configText: 'set password=other\n' };

const admission = (
  overrides: Partial<SnapshotAdmission<string>> = {},
): SnapshotAdmission<string> => ({
  publisher: 'AcmePublisher',
  closed: false,
  signal: undefined,
  notDone: 'published',
  check: () => 'checked',
  ...overrides,
});

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('admitSnapshot', () => {
  it('admits a snapshot, with its device id and what the check returned', () => {
    expect(admitSnapshot(snapshot, admission())).toEqual({ deviceId: 'r1', checked: 'checked' });
  });

  it('throws the reason of an aborted signal first, even on a closed publisher and an invalid snapshot', () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const check = () => {
      throw new TypeError('sha256 does not match');
    };
    expect(
      thrown(() =>
        admitSnapshot(tampered, admission({ signal: controller.signal, closed: true, check })),
      ),
    ).toBe(reason);
  });

  it('refuses every snapshot once the publisher is closed, without checking it', () => {
    let checked = false;
    const error = thrown(() =>
      admitSnapshot(
        snapshot,
        admission({
          closed: true,
          notDone: 'written',
          check: () => {
            checked = true;
            return '';
          },
        }),
      ),
    );
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as BackupError).deviceId).toBe('r1');
    expect((error as Error).message).toBe(
      'AcmePublisher is closed; the snapshot of device r1 was not written',
    );
    expect(checked).toBe(false);
  });

  it('turns a failed check into publish-failed with the check’s error as its cause', () => {
    const problem = new TypeError('sha256 does not match configText');
    const error = thrown(() =>
      admitSnapshot(
        tampered,
        admission({
          check: () => {
            throw problem;
          },
        }),
      ),
    );
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toBe(
      'invalid snapshot, not published: sha256 does not match configText',
    );
    expect((error as Error).cause).toBe(problem);
  });

  it('names an unknown device when the snapshot has no device id', () => {
    const error = thrown(() =>
      admitSnapshot(null as unknown as Snapshot, admission({ closed: true })),
    );
    expect((error as BackupError).deviceId).toBe('(unknown)');
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const publishers: [
  string,
  'published' | 'written',
  () => SnapshotPublisher & { close(): Promise<void> },
][] = [
  ['MemorySnapshotPublisher', 'published', () => new MemorySnapshotPublisher()],
  [
    'DirectorySnapshotPublisher',
    'written',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'confsnap-admission-'));
      dirs.push(dir);
      return new DirectorySnapshotPublisher({ dir });
    },
  ],
];

describe.each(publishers)('%s admits snapshots like every publisher', (name, notDone, create) => {
  it('rejects with the signal’s reason when the signal has aborted', async () => {
    const publisher = create();
    const reason = new Error('caller gave up');
    await expect(publisher.publish(snapshot, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });

  it('rejects an invalid snapshot with publish-failed, never quoting its text', async () => {
    const publisher = create();
    const error: unknown = await publisher.publish(tampered).catch((caught: unknown) => caught);
    expect(isBackupError(error, 'publish-failed')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^invalid snapshot, not ${notDone}: `));
    expect((error as Error).message).not.toContain('password');
  });

  it('rejects with publish-failed once closed', async () => {
    const publisher = create();
    await publisher.close();
    await expect(publisher.publish(snapshot)).rejects.toThrow(
      `${name} is closed; the snapshot of device r1 was not ${notDone}`,
    );
  });
});
