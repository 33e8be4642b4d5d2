// One contender of the throughput benchmark, run in its own process (a fresh heap and JIT, like the
// Python peers), collecting every device of a list at a fixed concurrency:
//
//   node bench/contenders.mjs --contender=raw-ssh2|confsnap|confsnap-scheduled|openssh \
//        --concurrency=50 [--redis=URL --nats=URL] [--id-prefix=r] [--vendor=cisco-ios] \
//        [--sample-rss=1]  < job.json
//
// Diagnostics: collect, scheduler-memory, scheduler-nats (parts of the pipeline). --dist=PATH
// imports confsnap from another build (to measure a change before it lands).
//
// job.json: {"devices":[{"host","port","fingerprint"?,"configBytes"?}],"username","password"?,
// "privateKeyPath"?}. Prints one JSON line: {"done","failed","seconds","client_cpu_ms","gc_ms",
// "errors",…}. `seconds` runs from the first connection (or trigger) to the last device finished;
// `client_cpu_ms` is this process's CPU time over that span (with the `ssh` processes it spawned).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import ssh2 from 'ssh2';
import { cpuMs } from './throughput.mjs';

const args = new Map(
  process.argv.slice(2).flatMap((arg) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    return match ? [[match[1], match[2]]] : [];
  }),
);
const contender = args.get('contender');
const concurrency = Number(args.get('concurrency') ?? 50);
const job = JSON.parse(readFileSync(0, 'utf8'));

// Garbage-collection pauses of this process, for the result's gc_ms.
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
const privateKey = job.privateKeyPath ? readFileSync(job.privateKeyPath) : undefined;

/**
 * With `--sample-rss=1`: this process's resident set size before the timed span (idle: every import,
 * connection and the scheduler already there, no session open) and every 200 ms during it; the
 * plateau is the median of the samples of the span's middle half, where every slot is busy.
 */
function rssSampler() {
  if (!args.has('sample-rss')) return { stop: () => ({}) };
  const idle = process.memoryUsage();
  const samples = [];
  const timer = setInterval(() => samples.push(process.memoryUsage()), 200);
  const kb = (bytes) => Math.round(bytes / 1024);
  return {
    stop() {
      clearInterval(timer);
      const middle = samples.slice(
        Math.floor(samples.length / 4),
        Math.ceil((samples.length * 3) / 4),
      );
      middle.sort((a, b) => a.rss - b.rss);
      const plateau = middle[Math.floor(middle.length / 2)] ?? idle;
      // Where the memory is, idle and at the plateau: V8's heap (used and reserved), and memory
      // outside it that V8 knows of (Buffers and other ArrayBuffers among it).
      const parts = (m) => ({
        rss: kb(m.rss),
        heap_total: kb(m.heapTotal),
        heap_used: kb(m.heapUsed),
        external: kb(m.external),
        array_buffers: kb(m.arrayBuffers),
      });
      return {
        rss_idle_kb: kb(idle.rss),
        rss_plateau_kb: kb(plateau.rss),
        rss_peak_kb: kb(Math.max(idle.rss, ...samples.map((m) => m.rss))),
        memory_kb: { idle: parts(idle), plateau: parts(plateau) },
      };
    },
  };
}

/** Runs `work(i)` for i in [0, count) with at most `limit` at once; counts failures by message. */
async function pool(count, limit, work) {
  let next = 0;
  let done = 0;
  let failed = 0;
  let bytes = 0;
  const errors = {};
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        const received = await work(i);
        bytes += received;
        done++;
      } catch (error) {
        failed++;
        const text = String(error?.message ?? error).slice(0, 160);
        errors[text] = (errors[text] ?? 0) + 1;
      }
    }
  };
  const rss = rssSampler();
  const cpuBefore = cpuMs();
  const gcBefore = gcMs;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpuMs = cpuMs() - cpuBefore;
  const memory = rss.stop();
  await new Promise((resolve) => setImmediate(resolve)); // let the gc observer report
  return {
    done,
    failed,
    seconds,
    client_cpu_ms: clientCpuMs,
    gc_ms: gcMs - gcBefore,
    bytes,
    errors,
    ...memory,
  };
}

/** The expected size of a device's output, to tell a complete read from a cut one. */
function checkSize(device, bytes) {
  if (device.configBytes && bytes < device.configBytes) {
    throw new Error(`short output: ${bytes} of at least ${device.configBytes} bytes`);
  }
  return bytes;
}

/** The bare ssh2 loop: connect, exec, read to the end, close. */
function rawSsh2(device) {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let bytes = 0;
    let failure;
    client.on('ready', () => {
      client.exec('/export', (error, stream) => {
        if (error) {
          failure = error;
          client.end();
          return;
        }
        stream.on('data', (chunk) => (bytes += chunk.length));
        stream.stderr.resume();
        stream.on('close', () => client.end());
      });
    });
    client.on('error', (error) => (failure ??= error));
    client.on('close', () => {
      if (failure) reject(failure);
      else {
        try {
          resolve(checkSize(device, bytes));
        } catch (error) {
          reject(error);
        }
      }
    });
    client.connect({
      host: device.host,
      port: device.port,
      username: job.username,
      ...(job.password !== undefined ? { password: job.password } : {}),
      ...(privateKey ? { privateKey } : {}),
      readyTimeout: 20_000,
    });
  });
}

/** `ssh` spawned once per device, as scripts and RANCID-style tools do. */
function openssh(device) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ssh',
      [
        '-i',
        job.privateKeyPath,
        '-p',
        String(device.port),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'LogLevel=ERROR',
        ...(args.has('kex') ? ['-o', `KexAlgorithms=${args.get('kex')}`] : []),
        '-T',
        `${job.username}@${device.host}`,
        '/export',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-300)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`ssh exited with ${code}: ${stderr.trim()}`));
      else {
        try {
          resolve(checkSize(device, bytes));
        } catch (error) {
          reject(error);
        }
      }
    });
  });
}

/** Where confsnap is imported from: this checkout's build, or another one (`--dist=PATH`). */
const dist = (entry) =>
  new URL(
    entry,
    args.has('dist')
      ? pathToFileURL(`${args.get('dist').replace(/\/$/, '')}/`)
      : new URL('../dist/', import.meta.url),
  ).href;

/**
 * The devices as confsnap sees them: RouterOS by default, no version hint (v7 form with v6
 * fallback); `--vendor=cisco-ios` for the shell-mode fleet.
 */
function confsnapDevices(prefix) {
  return job.devices.map((target, i) => ({
    id: `${prefix}${i}`,
    host: target.host,
    port: target.port,
    vendor: args.get('vendor') ?? 'routeros',
    tenantId: 'bench',
  }));
}

const credentials = {
  username: job.username,
  ...(job.password !== undefined ? { password: job.password } : {}),
  ...(privateKey ? { privateKey } : {}),
};

/** TOFU check: every device pinned with the key the fleet reports. */
function wrongPins(hostKeys, devices) {
  let wrong = 0;
  const expected = new Map(devices.map((device, i) => [device.id, job.devices[i]]));
  for (const [id, fingerprint] of hostKeys.entries()) {
    const want = expected.get(id)?.fingerprint;
    if (want && want !== fingerprint) wrong++;
  }
  return wrong;
}

/** Diagnostic: collectConfig() alone per device (TOFU, collect, normalize, hash), no scheduler. */
async function collectOnly() {
  const { collectConfig, MemoryHostKeyStore } = await import(dist('index.js'));
  const devices = confsnapDevices(args.get('id-prefix') ?? 'c');
  const hostKeys = new MemoryHostKeyStore();
  const result = await pool(devices.length, concurrency, async (i) => {
    const collected = await collectConfig({ device: devices[i], credentials, hostKeys });
    return collected.bytesReceived;
  });
  return { ...result, pins: hostKeys.entries().length, pins_wrong: wrongPins(hostKeys, devices) };
}

/**
 * The confsnap pipeline: BackupScheduler with a static DeviceSource and TOFU pins in memory.
 * Full (`nats` and `redis`): NatsSnapshotPublisher on JetStream (stream ensured at start-up),
 * RedisOnlineGate + RedisLocker. Without `nats`: MemorySnapshotPublisher; without `redis`: no gate
 * and no lock (diagnostics). `scheduled`: every device due at once through the timer (online
 * gate, lock, last-success store) instead of a manual trigger per device (which bypasses the
 * online gate, SPEC §2).
 */
async function confsnap({ scheduled = false, nats = true, redis: useRedis = true } = {}) {
  const { BackupScheduler, MemoryHostKeyStore } = await import(dist('index.js'));
  const prefix = args.get('id-prefix') ?? (scheduled ? 's' : 'r');
  const devices = confsnapDevices(prefix);
  const cleanups = [];
  const options = {};
  if (useRedis) {
    const { RedisOnlineGate, RedisLocker, RedisLastSuccessStore } = await import(
      dist('redis/index.js')
    );
    const { Redis } = await import('ioredis');
    const redis = new Redis(args.get('redis'), { enableOfflineQueue: false, lazyConnect: true });
    await redis.connect();
    cleanups.push(async () => redis.disconnect());
    // The device monitor's view: every device online.
    const statuses = redis.pipeline();
    for (const device of devices) statuses.set(`device:${device.id}:status`, 'online');
    await statuses.exec();
    options.onlineGate = new RedisOnlineGate({ redis });
    // Scheduled: the lock is taken and the last success read in one round trip.
    const lastSuccess = scheduled ? new RedisLastSuccessStore({ redis }) : undefined;
    options.locker = new RedisLocker({ redis, ...(lastSuccess ? { lastSuccess } : {}) });
    if (lastSuccess) options.lastSuccess = lastSuccess;
  }
  let stream;
  if (nats) {
    const { NatsSnapshotPublisher } = await import(dist('nats/index.js'));
    const { connect } = await import('nats');
    const nc = await connect({ servers: args.get('nats') });
    const publisher = new NatsSnapshotPublisher({ connection: nc, stream: { ensure: true } });
    await publisher.ensureStream();
    const jsm = await nc.jetstreamManager();
    const before = (await jsm.streams.info('CONFIG_SNAPSHOTS')).state.messages;
    stream = {
      added: async () => (await jsm.streams.info('CONFIG_SNAPSHOTS')).state.messages - before,
      // Keep the private server's store small across rounds; what was stored is counted first.
      purge: () => jsm.streams.purge('CONFIG_SNAPSHOTS'),
    };
    options.publisher = publisher;
    cleanups.push(
      () => publisher.close(),
      () => nc.close(),
    );
  } else {
    const { MemorySnapshotPublisher } = await import(dist('testing/index.js'));
    options.publisher = new MemorySnapshotPublisher();
  }
  const hostKeys = new MemoryHostKeyStore();
  const scheduler = new BackupScheduler({
    devices: { list: async () => devices },
    credentials: { get: async () => credentials },
    hostKeys,
    ...options,
    concurrency,
    initialJitterMs: [0, 0],
    refreshIntervalMs: 3_600_000,
    stopGraceMs: 5_000,
  });
  const errors = {};
  const failures = (outcome) => {
    const text = `${outcome.status}${outcome.kind ? ` ${outcome.kind}` : ''}: ${String(outcome.message ?? outcome.reason ?? '').slice(0, 120)}`;
    errors[text] = (errors[text] ?? 0) + 1;
  };
  let started;
  let cpuBefore;
  let gcBefore;
  let outcomes;
  let rss;
  if (scheduled) {
    outcomes = await new Promise((resolve) => {
      const seen = [];
      const settle = (outcome) => {
        seen.push(outcome);
        if (seen.length === devices.length) resolve(seen);
      };
      scheduler.on('backup:success', () => settle({ status: 'success' }));
      scheduler.on('backup:failure', (event) =>
        settle({ status: 'failed', kind: event.kind, message: event.message }),
      );
      scheduler.on('backup:skipped', (event) =>
        settle({ status: 'skipped', reason: event.reason }),
      );
      rss = rssSampler();
      cpuBefore = cpuMs();
      gcBefore = gcMs;
      started = process.hrtime.bigint();
      void scheduler.start();
    });
  } else {
    await scheduler.refresh();
    rss = rssSampler();
    cpuBefore = cpuMs();
    gcBefore = gcMs;
    started = process.hrtime.bigint();
    outcomes = await Promise.all(devices.map((device) => scheduler.trigger(device.id)));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpuMs = cpuMs() - cpuBefore;
  const memory = rss.stop();
  await new Promise((resolve) => setImmediate(resolve)); // let the gc observer report
  const gcUsed = gcMs - gcBefore;
  let done = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'success') done++;
    else failures(outcome);
  }
  let hashed = 0;
  for (const status of scheduler.status()) if (status.lastSha256) hashed++;
  const added = stream ? await stream.added() : undefined;
  await stream?.purge();
  const stats = scheduler.stats();
  await scheduler.stop();
  for (const cleanup of cleanups) await cleanup();
  return {
    done,
    failed: devices.length - done,
    seconds,
    client_cpu_ms: clientCpuMs,
    gc_ms: gcUsed,
    hashed,
    pins: hostKeys.entries().length,
    pins_wrong: wrongPins(hostKeys, devices),
    ...(added === undefined ? {} : { stream_messages_added: added }),
    ...(stats.publisher ? { publisher: stats.publisher } : {}),
    errors,
    ...memory,
  };
}

const contenders = {
  'raw-ssh2': () => pool(job.devices.length, concurrency, (i) => rawSsh2(job.devices[i])),
  openssh: () => pool(job.devices.length, concurrency, (i) => openssh(job.devices[i])),
  confsnap: () => confsnap(),
  'confsnap-scheduled': () => confsnap({ scheduled: true }),
  // Diagnostics (`npm run bench -- --ladder`): the pipeline with parts left out.
  collect: () => collectOnly(),
  'scheduler-memory': () => confsnap({ nats: false, redis: false }),
  'scheduler-nats': () => confsnap({ redis: false }),
};
if (!contenders[contender]) throw new Error(`unknown --contender=${String(contender)}`);
const result = await contenders[contender]();
process.stdout.write(JSON.stringify({ contender, concurrency, ...result }) + '\n');
