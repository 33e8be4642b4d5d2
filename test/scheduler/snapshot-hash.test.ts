/**
 * One SHA-256 per snapshot when the collection's hash is normalizeConfig's over exactly its text,
 * whoever calls collectConfig; any other result is hashed again before it is published.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as snapshots from '../../src/publish/snapshot.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { collectConfig, type CollectOptions } from '../../src/ssh/collect.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';

vi.mock('../../src/publish/snapshot.js', async (importOriginal) => {
  const original = await importOriginal<typeof snapshots>();
  return { ...original, createSnapshot: vi.fn(original.createSnapshot) };
});

const HOUR = 3_600_000;
let device: SimulatedDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
  vi.mocked(snapshots.createSnapshot).mockClear();
});

async function backUpWith(collect: (options: CollectOptions) => ReturnType<typeof collectConfig>) {
  device = await startSimulatedDevice({ vendor: 'routeros', config: sampleConfig('routeros') });
  const publisher = new MemorySnapshotPublisher();
  const scheduler = new BackupScheduler({
    devices: {
      list: () =>
        Promise.resolve([
          { id: 'r1', host: device!.host, port: device!.port, vendor: 'routeros', tenantId: 't' },
        ]),
    },
    credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
    publisher,
    collect,
    initialJitterMs: [HOUR, HOUR],
  });
  await using _stopsScheduler = scheduler;
  await scheduler.start();
  expect(await scheduler.trigger('r1')).toMatchObject({ status: 'success' });
  return publisher.snapshots[0]!;
}

describe('snapshot hash', () => {
  it('is not computed again for collectConfig’s own result, even through a custom collect', async () => {
    const snapshot = await backUpWith((options) => collectConfig(options));
    expect(snapshots.createSnapshot).not.toHaveBeenCalled();
    expect(snapshot.sha256).toBe(snapshots.sha256Hex(snapshot.configText));
  });

  it('is computed again for a result a custom collect changed', async () => {
    const snapshot = await backUpWith(async (options) => {
      const result = await collectConfig(options);
      return { ...result, text: `${result.text}# annotated\n` };
    });
    expect(snapshots.createSnapshot).toHaveBeenCalledTimes(1);
    expect(snapshot.configText.endsWith('# annotated\n')).toBe(true);
    expect(snapshot.sha256).toBe(snapshots.sha256Hex(snapshot.configText));
  });
});
