import { describe, expect, it } from 'vitest';
import { BackupError, isBackupError } from '../../src/core/errors.js';
import { createSnapshot, type Snapshot } from '../../src/publish/index.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';

function snapshotOf(deviceId: string, configText = `set name=${deviceId}\n`): Snapshot {
  return createSnapshot({ deviceId, tenantId: 'acme', vendor: 'routeros', configText });
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MemorySnapshotPublisher', () => {
  it('records every acknowledged snapshot in order', async () => {
    const publisher = new MemorySnapshotPublisher();
    const a = snapshotOf('a');
    const b = snapshotOf('b');
    await publisher.publish(a);
    await publisher.publish(b);
    expect(publisher.snapshots).toEqual([a, b]);
  });

  it('returns the latest snapshot of a device', async () => {
    const publisher = new MemorySnapshotPublisher();
    await publisher.publish(snapshotOf('a', 'one\n'));
    await publisher.publish(snapshotOf('a', 'two\n'));
    expect(publisher.latest('a')?.configText).toBe('two\n');
  });

  it('reports a device and hash it already holds as a duplicate, like JetStream dedup', async () => {
    const publisher = new MemorySnapshotPublisher();
    const first = await publisher.publish(snapshotOf('a'));
    const second = await publisher.publish(snapshotOf('a'));
    expect(first).toEqual({ stream: 'memory', seq: 1, duplicate: false });
    expect(second).toEqual({ stream: 'memory', seq: 2, duplicate: true });
  });

  it('rejects an invalid snapshot with publish-failed, as the real publishers do', async () => {
    const publisher = new MemorySnapshotPublisher();
    const tampered = { ...snapshotOf('a'), configText: 'other\n' };
    await expect(publisher.publish(tampered)).rejects.toSatisfy((error) =>
      isBackupError(error, 'publish-failed'),
    );
    expect(publisher.snapshots).toEqual([]);
  });

  it('fails the next publishes with publish-failed when told to fail', async () => {
    const publisher = new MemorySnapshotPublisher();
    publisher.fail({ times: 2 });
    await expect(publisher.publish(snapshotOf('a'))).rejects.toSatisfy((error) =>
      isBackupError(error, 'publish-failed'),
    );
    await expect(publisher.publish(snapshotOf('b'))).rejects.toSatisfy((error) =>
      isBackupError(error, 'publish-failed'),
    );
    await expect(publisher.publish(snapshotOf('c'))).resolves.toMatchObject({ duplicate: false });
    expect(publisher.snapshots.map((snapshot) => snapshot.deviceId)).toEqual(['c']);
  });

  it('fails with the given error until recovered', async () => {
    const publisher = new MemorySnapshotPublisher();
    const error = new BackupError({ kind: 'payload-too-large', message: 'too big' });
    publisher.fail({ error });
    await expect(publisher.publish(snapshotOf('a'))).rejects.toBe(error);
    await expect(publisher.publish(snapshotOf('a'))).rejects.toBe(error);
    publisher.recover();
    await expect(publisher.publish(snapshotOf('a'))).resolves.toBeDefined();
  });

  it('fails with an error made from the snapshot when given a function', async () => {
    const publisher = new MemorySnapshotPublisher();
    publisher.fail({
      times: 1,
      error: (snapshot: Snapshot) => new Error(`no ${snapshot.deviceId}`),
    });
    await expect(publisher.publish(snapshotOf('rtr-9'))).rejects.toThrow('no rtr-9');
  });

  it('holds publishes while stalled and lets them through on resume', async () => {
    const publisher = new MemorySnapshotPublisher();
    publisher.stall();
    const pending = publisher.publish(snapshotOf('a'));
    await settle();
    expect(publisher.stalledCount).toBe(1);
    expect(publisher.snapshots).toEqual([]);
    publisher.resume();
    await expect(pending).resolves.toMatchObject({ seq: 1 });
  });

  it('rejects a stalled publish with the signal reason when its signal aborts', async () => {
    const publisher = new MemorySnapshotPublisher();
    publisher.stall();
    const controller = new AbortController();
    const pending = publisher.publish(snapshotOf('a'), { signal: controller.signal });
    await settle();
    const reason = new Error('time limit');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(publisher.stalledCount).toBe(0);
  });

  it('rejects stalled publishes with cancelled on close, and later ones with publish-failed', async () => {
    const publisher = new MemorySnapshotPublisher();
    publisher.stall();
    const pending = publisher.publish(snapshotOf('a'));
    await settle();
    await publisher.close();
    await expect(pending).rejects.toSatisfy((error) => isBackupError(error, 'cancelled'));
    await expect(publisher.publish(snapshotOf('b'))).rejects.toSatisfy((error) =>
      isBackupError(error, 'publish-failed'),
    );
  });

  it('counts every call, whatever came of it', async () => {
    const publisher = new MemorySnapshotPublisher();
    publisher.fail({ times: 1 });
    await publisher.publish(snapshotOf('a')).catch(() => {});
    await publisher.publish(snapshotOf('a'));
    expect(publisher.calls).toBe(2);
  });
});
