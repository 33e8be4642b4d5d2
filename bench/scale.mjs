// Scale of the schedule: 1 000 000 devices (bench/run.mjs default; --scale-devices=N) in one
// BackupScheduler with an instant fake collector. Measures heap bytes per idle device, the time of
// one reconciliation of the whole list, and the active handles. Run with
// `node --expose-gc bench/scale.mjs [devices]` after `npm run build`; bench/run.mjs runs it in a
// process of its own (measureScaleInChild), so that the ~1.8 GB heap of a million devices does not
// stay behind in the process that measures normalize next.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BackupScheduler } from '../dist/index.js';
import { FakeClock, FakeCollector, MemorySnapshotPublisher } from '../dist/testing/index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const gc = globalThis.gc ?? (() => {});

function makeDevices(n, suffix = '') {
  const devices = new Array(n);
  for (let i = 0; i < n; i++) {
    devices[i] = {
      id: `r${i}`,
      host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}${suffix}`,
      vendor: 'routeros',
      tenantId: 't1',
    };
  }
  return devices;
}

export async function measureScale(n = count) {
  let devices = makeDevices(n);
  const clock = new FakeClock();
  const fake = new FakeCollector({ clock });
  const scheduler = new BackupScheduler({
    devices: { list: async () => devices },
    credentials: { get: async () => ({ username: 'u', password: 'p' }) },
    publisher: new MemorySnapshotPublisher(),
    collect: fake.collect,
    clock,
    refreshIntervalMs: 3_600_000,
  });
  gc();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  await scheduler.start();
  gc();
  gc();
  // The device list belongs to the caller; count only what the scheduler adds.
  const heapAfter = process.memoryUsage().heapUsed;
  const heapBytesPerDevice = Math.round((heapAfter - heapBefore) / n);

  const runs = [];
  const cpuRuns = [];
  for (let i = 0; i < 5; i++) {
    // A new list object each time, as a database read would give, with a few changes.
    devices = makeDevices(n, i % 2 ? '' : '');
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await scheduler.refresh();
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
    const cpu = process.cpuUsage(cpuBefore);
    cpuRuns.push((cpu.user + cpu.system) / 1000);
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
  };
  const reconcileMs = median(runs);
  const handles = process.getActiveResourcesInfo().length;
  await scheduler.stop();
  return {
    devices: n,
    heap_bytes_per_device: heapBytesPerDevice,
    reconcile_ms: reconcileMs,
    // The same reconciliations in CPU time of this process: below reconcile_ms when other work
    // on the machine took the core away meanwhile.
    reconcile_cpu_ms: median(cpuRuns),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    active_handles: handles,
  };
}

/** {@link measureScale} in a fresh `node --expose-gc` process; resolves with its result. */
export function measureScaleInChild(n = count) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), String(n)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureScale();
  console.log(JSON.stringify(result));
}
