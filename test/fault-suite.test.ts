/**
 * FAULT SUITE — the whole pipeline under every fault at once (SPEC §1, §2, §5, §7).
 *
 * 300 simulated devices (real SSH servers on loopback) at concurrency 30: 240 clean devices of mixed
 * vendors and 60 with a fault each — every fault of the simulator, plus a pinned host key that does
 * not match and a host-key algorithm the client refuses. One BackupScheduler with the real
 * collectConfig publishes to a private nats-server (JetStream, stream ensured) through
 * NatsSnapshotPublisher and uses a private redis-server for RedisLocker, RedisLastSuccessStore and
 * RedisOnlineGate. While the run is in progress Redis is stopped and restarted 1.5 s later, then
 * NATS is stopped and restarted 2.5 s later.
 *
 * The run happens once (beforeAll); each `it` checks one promise of it:
 * - every healthy device succeeds, every faulty one fails with exactly its error kind, one attempt each;
 * - every acknowledged snapshot is in the stream exactly once, with a hash that matches its text,
 *   and nothing of a failed device is;
 * - every attempt ends within its deadline, and the run within a bound derived from the deadlines;
 * - the heap stays bounded although some devices send endless output;
 * - after stop(), publisher.close(), closing the clients, the fleet and the servers, no socket,
 *   timer or process handle is left beyond what existed before.
 *
 * The fleet and what each device must come to are in test/fault-suite/fleet.ts. Jitter and fleet
 * order are seeded, the outages are timed from the start. Needs redis-server and nats-server
 * (skipped with a loud warning without them, unless CONFSNAP_REQUIRE_SERVICES=1). About 20 s on
 * 2 cores, of which the run is 13 s. CONFSNAP_FAULT_SUITE_VERBOSE=1 prints the timeline, the memory
 * peaks and the slowest attempt per fault.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../src/core/backoff.js';
import type { BackupErrorKind } from '../src/core/errors.js';
import { NatsSnapshotPublisher, snapshotMsgId } from '../src/nats/index.js';
import { fromWireJson, type PublishReceipt, type Snapshot } from '../src/publish/index.js';
import { RedisLastSuccessStore, RedisLocker, RedisOnlineGate } from '../src/redis/index.js';
import type { SchedulerStats } from '../src/scheduler/scheduler.js';
import { BackupScheduler } from '../src/scheduler/scheduler.js';
import type { WarningCode } from '../src/scheduler/events.js';
import { MemoryHostKeyStore } from '../src/ssh/host-keys.js';
import {
  generateHostKey,
  startSimulatedFleet,
  type SimulatedFleet,
} from '../src/testing/simulated/index.js';
import {
  attemptBudgetMs,
  LIMITS,
  planFleet,
  refusedHost,
  seededRandom,
  type PlannedDevice,
} from './fault-suite/fleet.js';
import { restartablePort } from './fault-suite/ports.js';
import { NatsService, RedisService, servicesAvailable } from './harness/services.js';
import { closeClient, createClient, ready } from './redis/clients.js';

const available = servicesAvailable('redis-server', 'nats-server');

const CONCURRENCY = 30;
/** First attempts are spread over this window, so both outages fall into the run. */
const JITTER_MAX_MS = 10_000;
const REDIS_STOP_AT_MS = 1_500;
const REDIS_DOWN_MS = 1_500;
/** NATS stops at this time after the start, or once Redis answers again if that is later. */
const NATS_STOP_AT_MS = 4_500;
const NATS_DOWN_MS = 2_500;
const ACK_TIMEOUT_MS = 2_000;
const RETRY_MAX_MS = 1_000;
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Event-loop lag of a loaded 2-core CI machine, added to every per-attempt deadline. */
const LAG_MARGIN_MS = 3_000;
/** Slack of the whole run's bound (service restarts, reconnects, a loaded machine). */
const RUN_SLACK_MS = 15_000;
/** The run must be over by then, or the suite reports which devices never finished. */
const RUN_GIVE_UP_MS = 110_000;
const HEAP_LIMIT_BYTES = 300 * 1024 * 1024;
/** Growth of `external` memory (Buffers) during the run; 5 endless devices × 4 MiB are far below. */
const EXTERNAL_GROWTH_LIMIT_BYTES = 256 * 1024 * 1024;
const STREAM = 'CONFIG_SNAPSHOTS';
const CLEANUP_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What happened to one device during the run. */
interface DeviceLog {
  starts: number[];
  outcomes: {
    at: number;
    status: 'success' | 'failed';
    kind?: BackupErrorKind;
    message?: string;
    sha256?: string;
    receipt?: PublishReceipt;
  }[];
  mismatch?: { expectedFingerprint: string; observedFingerprint: string };
}

interface StoredMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  snapshot: Snapshot;
}

interface Timeline {
  start: number;
  redisStop?: { at: number; outcomes: number };
  redisBack?: number;
  redisReady?: number;
  natsStop?: { at: number; outcomes: number };
  natsBack?: number;
  allDone?: number;
  stopMs?: number;
}

interface RunResult {
  plan: PlannedDevice[];
  logs: Map<string, DeviceLog>;
  timeline: Timeline;
  warnings: { at: number; code: WarningCode; deviceId: string | undefined }[];
  stats: SchedulerStats;
  publisherStats: ReturnType<NatsSnapshotPublisher['stats']>;
  messages: StoredMessage[];
  streamMessages: number;
  lockKeysLeft: string[];
  lastSuccessKeys: Set<string>;
  pins: Map<string, string>;
  otherFingerprint: string;
  fingerprints: Map<string, string>;
  authAttempts: Map<string, number>;
  /** heapUsed, and `external` (Buffers live there), before the run and at their peak. */
  heap: {
    before: number;
    peak: number;
    externalBefore: number;
    externalPeak: number;
    samples: number;
  };
  handlesBefore: Map<string, number>;
  handlesAfter: Map<string, number>;
  unhandled: unknown[];
}

/** Active handles and requests by type, without the ones the test runner churns by itself. */
function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    if (type === 'TTYWrap' || type === 'FSReqCallback') continue;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

function handlesAbove(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after]
    .filter(([type, n]) => n > (before.get(type) ?? 0))
    .map(([t, n]) => `${t}: ${before.get(t) ?? 0} -> ${n}`);
}

/** Whatever was started, closed in reverse order; safe to call twice. */
const cleanups: { what: string; close: () => Promise<void> }[] = [];
function onCleanUp(what: string, close: () => Promise<void>): void {
  cleanups.push({ what, close });
}
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const { what, close } = cleanups.pop()!;
    // A close that hangs (a failed run can leave things half-open) must not hang the suite: it is
    // named here, and what it leaves open fails the handle test.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`did not finish within ${CLEANUP_TIMEOUT_MS} ms`),
        CLEANUP_TIMEOUT_MS,
      );
    });
    const problem = await Promise.race([
      close().then(
        () => undefined,
        (error: unknown) => `failed: ${String(error)}`,
      ),
      timedOut,
    ]);
    clearTimeout(timer);
    if (problem) console.error(`fault suite: closing ${what} ${problem}`);
  }
}

async function runFaultSuite(): Promise<RunResult> {
  const handlesBefore = handleCounts();
  const random = seededRandom(0x5eed_f00d);
  const plan = planFleet(random, await refusedHost());
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  onCleanUp('the unhandled-rejection listener', () => {
    process.off('unhandledRejection', onUnhandled);
    return Promise.resolve();
  });

  // --- servers, clients, fleet -------------------------------------------------------------------
  // Both are restarted on their port: take ports nobody is handed meanwhile (see ports.ts).
  const redis = new RedisService();
  onCleanUp('redis-server', () => redis.dispose());
  redis.port = await restartablePort();
  await redis.start();
  const nats = new NatsService();
  onCleanUp('nats-server', () => nats.dispose());
  nats.port = await restartablePort();
  await nats.start();

  const redisClient: Redis = createClient(redis.url, 'careless');
  onCleanUp('the Redis client', () => closeClient(redisClient));
  await ready(redisClient);
  const nc: NatsConnection = await connect({
    servers: nats.url,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  });
  onCleanUp('the NATS connection', () => nc.close());

  const fleet: SimulatedFleet = await startSimulatedFleet(plan.map((device) => device.options));
  onCleanUp('the simulated fleet', () => fleet.close());
  const byId = new Map(plan.map((device, i) => [device.id, { device, sim: fleet.devices[i]! }]));

  // Every device reads as online until Redis loses its data in the restart (then: unknown).
  await redisClient.mset(Object.fromEntries(plan.map((d) => [`device:${d.id}:status`, 'online'])));

  const otherFingerprint = generateHostKey().fingerprint;
  const hostKeys = new MemoryHostKeyStore(
    Object.fromEntries(
      plan
        .filter((d) => d.pin !== undefined)
        .map((d) => [
          d.id,
          d.pin === 'own' ? byId.get(d.id)!.sim.hostKeyFingerprint : otherFingerprint,
        ]),
    ),
  );

  const publisher = new NatsSnapshotPublisher({
    connection: nc,
    stream: { ensure: true, name: STREAM },
    ackTimeoutMs: ACK_TIMEOUT_MS,
    retryBackoff: new ExponentialBackoff({ initialMs: 100, maxMs: RETRY_MAX_MS, jitter: 'equal' }),
  });
  onCleanUp('the publisher', () => publisher.close());
  await publisher.ensureStream();

  const devices = plan.map((d) => {
    const sim = byId.get(d.id)!.sim;
    return {
      id: d.id,
      host: sim.host,
      port: sim.port,
      vendor: d.vendor,
      tenantId: 'acme',
    };
  });
  const scheduler = new BackupScheduler({
    devices: { list: () => Promise.resolve(devices) },
    credentials: { get: () => Promise.resolve({ username: 'admin', password: 'admin' }) },
    publisher,
    hostKeys,
    onlineGate: new RedisOnlineGate({
      redis: redisClient,
      commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS,
    }),
    locker: new RedisLocker({ redis: redisClient, commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS }),
    lastSuccess: new RedisLastSuccessStore({
      redis: redisClient,
      commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS,
    }),
    onLockUnavailable: 'proceed',
    // SHA-1 RSA signatures refused for every device: the `ssh-rsa`-only devices cannot negotiate.
    algorithms: {
      serverHostKey: [
        'ssh-ed25519',
        'ecdsa-sha2-nistp256',
        'ecdsa-sha2-nistp384',
        'ecdsa-sha2-nistp521',
        'rsa-sha2-512',
        'rsa-sha2-256',
      ],
    },
    concurrency: CONCURRENCY,
    intervalMs: 60 * 60_000,
    refreshIntervalMs: 10 * 60_000,
    initialJitterMs: [0, JITTER_MAX_MS],
    random,
    ...LIMITS,
  });
  onCleanUp('the scheduler', () => scheduler.stop({ graceful: false }));

  // --- what the scheduler reports ----------------------------------------------------------------
  const logs = new Map<string, DeviceLog>(plan.map((d) => [d.id, { starts: [], outcomes: [] }]));
  const log = (id: string): DeviceLog => logs.get(id)!;
  const warnings: RunResult['warnings'] = [];
  let outcomes = 0;
  scheduler.on('backup:start', (e) => log(e.deviceId).starts.push(Date.now()));
  scheduler.on('backup:success', (e) => {
    outcomes++;
    log(e.deviceId).outcomes.push({
      at: Date.now(),
      status: 'success',
      sha256: e.sha256,
      receipt: e.receipt,
    });
  });
  scheduler.on('backup:failure', (e) => {
    outcomes++;
    log(e.deviceId).outcomes.push({
      at: Date.now(),
      status: 'failed',
      kind: e.kind,
      message: e.message,
    });
  });
  scheduler.on('hostkey:mismatch', (e) => {
    log(e.deviceId).mismatch = {
      expectedFingerprint: e.expectedFingerprint,
      observedFingerprint: e.observedFingerprint,
    };
  });
  scheduler.on('warning', (e) =>
    warnings.push({ at: Date.now(), code: e.code, deviceId: e.deviceId }),
  );

  const memoryBefore = process.memoryUsage();
  const heap = {
    before: memoryBefore.heapUsed,
    peak: memoryBefore.heapUsed,
    externalBefore: memoryBefore.external,
    externalPeak: memoryBefore.external,
    samples: 0,
  };
  const sampler = setInterval(() => {
    const { heapUsed, external } = process.memoryUsage();
    heap.peak = Math.max(heap.peak, heapUsed);
    heap.externalPeak = Math.max(heap.externalPeak, external);
    heap.samples++;
  }, 50);
  onCleanUp('the heap sampler', () => {
    clearInterval(sampler);
    return Promise.resolve();
  });

  // --- the run -----------------------------------------------------------------------------------
  const timeline: Timeline = { start: Date.now() };
  await scheduler.start();

  const chaos = (async () => {
    await sleep(Math.max(0, timeline.start + REDIS_STOP_AT_MS - Date.now()));
    timeline.redisStop = { at: Date.now(), outcomes };
    await redis.stop();
    await sleep(REDIS_DOWN_MS);
    await redis.start();
    timeline.redisBack = Date.now();
    await ready(redisClient, 15_000);
    timeline.redisReady = Date.now();

    await sleep(Math.max(0, timeline.start + NATS_STOP_AT_MS - Date.now()));
    timeline.natsStop = { at: Date.now(), outcomes };
    await nats.stop();
    await sleep(NATS_DOWN_MS);
    await nats.start();
    timeline.natsBack = Date.now();
  })();
  // Never an unhandled rejection while the run is awaited; rethrown below.
  const chaosDone = chaos.then(
    () => undefined,
    (error: unknown) =>
      error instanceof Error ? error : new Error(`chaos: ${String(error as string)}`),
  );

  while (outcomes < plan.length && Date.now() - timeline.start < RUN_GIVE_UP_MS) await sleep(50);
  if (outcomes >= plan.length) timeline.allDone = Date.now();
  const chaosError = await chaosDone;
  if (chaosError) throw chaosError;

  const stats = scheduler.stats();
  const stopStarted = Date.now();
  // All done: nothing is in flight and stop() must be quick. Not done: do not wait for the hung.
  await scheduler.stop(timeline.allDone ? {} : { graceful: false });
  timeline.stopMs = Date.now() - stopStarted;
  const publisherStats = publisher.stats();

  // --- read back what NATS and Redis hold --------------------------------------------------------
  const jsm = await nc.jetstreamManager();
  const streamMessages = (await jsm.streams.info(STREAM)).state.messages;
  const messages: StoredMessage[] = [];
  if (streamMessages > 0) {
    const consumer = await nc.jetstream().consumers.get(STREAM);
    const batch = await consumer.fetch({ max_messages: streamMessages, expires: 10_000 });
    for await (const m of batch) {
      messages.push({
        seq: m.seq,
        subject: m.subject,
        msgId: m.headers?.get('Nats-Msg-Id'),
        snapshot: fromWireJson(m.data),
      });
    }
  }
  // Locks are released without waiting for Redis' answer: give the last releases a moment.
  let lockKeysLeft: string[] = [];
  for (let i = 0; i < 40; i++) {
    lockKeysLeft = await redisClient.keys('backup:device:*');
    if (lockKeysLeft.length === 0) break;
    await sleep(50);
  }
  const lastSuccessKeys = new Set(
    (await redisClient.keys('backup:last:*')).map((key) => key.slice('backup:last:'.length)),
  );
  const pins = new Map(hostKeys.entries());
  const fingerprints = new Map(plan.map((d) => [d.id, byId.get(d.id)!.sim.hostKeyFingerprint]));
  const authAttempts = new Map(plan.map((d) => [d.id, byId.get(d.id)!.sim.authAttempts]));

  // --- close everything, then nothing may be left ------------------------------------------------
  await cleanUp();
  let handlesAfter = handleCounts();
  for (let i = 0; i < 60 && handlesAbove(handlesBefore, handlesAfter).length > 0; i++) {
    await sleep(50);
    handlesAfter = handleCounts();
  }

  if (process.env.CONFSNAP_FAULT_SUITE_VERBOSE === '1')
    report(plan, logs, timeline, heap, warnings, publisherStats);
  return {
    plan,
    logs,
    timeline,
    warnings,
    stats,
    publisherStats,
    messages,
    streamMessages,
    lockKeysLeft,
    lastSuccessKeys,
    pins,
    otherFingerprint,
    fingerprints,
    authAttempts,
    heap,
    handlesBefore,
    handlesAfter,
    unhandled,
  };
}

/** With CONFSNAP_FAULT_SUITE_VERBOSE=1: the timeline, the heap and the slowest attempts per fault. */
function report(
  plan: PlannedDevice[],
  logs: Map<string, DeviceLog>,
  timeline: Timeline,
  heap: RunResult['heap'],
  warnings: RunResult['warnings'],
  publisherStats: RunResult['publisherStats'],
): void {
  const rel = (t: number | undefined): string =>
    t === undefined ? '-' : `${((t - timeline.start) / 1000).toFixed(2)}s`;
  const slowest = new Map<string, number>();
  const quiet = (l: DeviceLog): boolean =>
    l.outcomes[0]?.status === 'success' &&
    (l.outcomes[0].at < timeline.redisStop!.at || l.starts[0]! > timeline.redisReady!) &&
    (l.outcomes[0].at < timeline.natsStop!.at || l.starts[0]! > timeline.natsBack!);
  slowest.set(
    'success outside the outages',
    Math.max(...[...logs.values()].filter(quiet).map((l) => l.outcomes[0]!.at - l.starts[0]!)),
  );
  for (const d of plan) {
    const l = logs.get(d.id)!;
    const ms = (l.outcomes[0]?.at ?? NaN) - (l.starts[0] ?? NaN);
    slowest.set(d.label, Math.max(slowest.get(d.label) ?? 0, ms));
  }
  console.log(
    [
      `redis stop ${rel(timeline.redisStop?.at)} (${timeline.redisStop?.outcomes} done), back ${rel(timeline.redisBack)}, ready ${rel(timeline.redisReady)}`,
      `nats stop ${rel(timeline.natsStop?.at)} (${timeline.natsStop?.outcomes} done), back ${rel(timeline.natsBack)}`,
      `all done ${rel(timeline.allDone)}, stop() ${timeline.stopMs} ms`,
      `heap before ${Math.round(heap.before / 2 ** 20)} MiB, peak ${Math.round(heap.peak / 2 ** 20)} MiB; external before ${Math.round(heap.externalBefore / 2 ** 20)} MiB, peak ${Math.round(heap.externalPeak / 2 ** 20)} MiB (${heap.samples} samples)`,
      `warnings: ${JSON.stringify(Object.fromEntries(['lock-unavailable', 'last-success-unavailable', 'online-gate-failed', 'lock-lost'].map((c) => [c, warnings.filter((w) => w.code === c).length])))}`,
      `publisher: ${JSON.stringify(publisherStats)}`,
      ...[...slowest].map(([label, ms]) => `slowest ${label}: ${ms} ms`),
    ].join('\n'),
  );
}

describe.skipIf(!available)(
  'fault suite: 300 devices, every fault, Redis and NATS restarted',
  () => {
    let run: RunResult;

    beforeAll(async () => {
      run = await runFaultSuite();
    }, 150_000);

    afterAll(cleanUp, 60_000);

    const expectedOf = (wanted: (d: PlannedDevice) => boolean): PlannedDevice[] =>
      run.plan.filter(wanted);

    it('runs while Redis and NATS go down and come back', () => {
      const { timeline, plan } = run;
      // Both outages fell into the run: devices had finished before and were still to come.
      expect(timeline.redisStop!.outcomes).toBeGreaterThan(0);
      expect(timeline.redisStop!.outcomes).toBeLessThan(plan.length);
      expect(timeline.natsStop!.outcomes).toBeGreaterThan(timeline.redisStop!.outcomes);
      expect(timeline.natsStop!.outcomes).toBeLessThan(plan.length);
      expect(timeline.natsStop!.at).toBeGreaterThan(timeline.redisReady!);
      // Attempts met each outage: locks were unavailable, publishes were retried.
      expect(run.warnings.filter((w) => w.code === 'lock-unavailable').length).toBeGreaterThan(0);
      expect(run.publisherStats.retries).toBeGreaterThan(0);
      // And the run went on after both: attempts that started after NATS was back succeeded.
      const after = [...run.logs.values()].filter(
        (l) => l.starts[0]! > timeline.natsBack! && l.outcomes[0]?.status === 'success',
      );
      expect(after.length).toBeGreaterThan(0);
      expect(run.unhandled).toEqual([]);
    });

    it('gives every device exactly one attempt and one outcome, and skips none', () => {
      const missing = run.plan.filter((d) => run.logs.get(d.id)!.outcomes.length === 0);
      expect(
        missing.map((d) => `${d.id} (${d.label}, ${d.vendor})`),
        'devices without an outcome',
      ).toEqual([]);
      for (const device of run.plan) {
        const { starts, outcomes } = run.logs.get(device.id)!;
        expect([starts.length, outcomes.length], `${device.id} (${device.label})`).toEqual([1, 1]);
      }
      expect(run.stats.outcomes).toMatchObject({ skipped: 0, locked: 0 });
      expect(run.stats.outcomes.success + run.stats.outcomes.failed).toBe(run.plan.length);
    });

    it('backs up every healthy device, including the slow, dripping and re-keying ones', () => {
      const healthy = expectedOf((d) => d.expected === 'success');
      expect(healthy.length).toBe(247);
      const wrong = healthy
        .map((d) => ({ d, outcome: run.logs.get(d.id)!.outcomes[0] }))
        .filter(({ outcome }) => outcome?.status !== 'success')
        .map(
          ({ d, outcome }) =>
            `${d.id} ${d.label}/${d.vendor}: ${outcome?.kind} ${outcome?.message ?? ''}`,
        );
      expect(wrong).toEqual([]);
      expect(run.stats.outcomes.success).toBe(healthy.length);
    });

    it('fails every faulty device with exactly its kind', () => {
      const faulty = expectedOf((d) => d.expected !== 'success');
      expect(faulty.length).toBe(53);
      const wrong = faulty
        .map((d) => ({ d, outcome: run.logs.get(d.id)!.outcomes[0] }))
        .filter(({ d, outcome }) => outcome?.status !== 'failed' || outcome.kind !== d.expected)
        .map(
          ({ d, outcome }) =>
            `${d.id} ${d.label}/${d.vendor}: expected ${d.expected}, got ${outcome?.kind ?? outcome?.status} ${outcome?.message ?? ''}`,
        );
      expect(wrong).toEqual([]);
      const kinds: Partial<Record<BackupErrorKind, number>> = {};
      for (const d of faulty)
        kinds[d.expected as BackupErrorKind] = (kinds[d.expected as BackupErrorKind] ?? 0) + 1;
      expect(run.stats.failures).toEqual(kinds);
      // auth-failed and host-key-mismatch block their devices; nothing else does.
      expect(run.stats.blocked).toBe(
        faulty.filter((d) => d.expected === 'auth-failed' || d.expected === 'host-key-mismatch')
          .length,
      );
    });

    it('checks host keys before any credential and pins only after a success', () => {
      for (const device of run.plan) {
        const pin = run.pins.get(device.id);
        const own = run.fingerprints.get(device.id)!;
        if (device.expected === 'host-key-mismatch') {
          expect(pin, device.id).toBe(run.otherFingerprint);
          expect(run.logs.get(device.id)!.mismatch, device.id).toEqual({
            expectedFingerprint: run.otherFingerprint,
            observedFingerprint: own,
          });
          expect(run.authAttempts.get(device.id), `${device.id} saw credentials`).toBe(0);
        } else if (device.expected === 'success') {
          expect(pin, device.id).toBe(own);
        } else {
          // A failed first contact pins nothing.
          expect(pin, `${device.id} (${device.label})`).toBeUndefined();
        }
      }
    });

    it('has every acknowledged snapshot in the stream exactly once, and nothing of a failed device', () => {
      const successes = run.plan.filter(
        (d) => run.logs.get(d.id)!.outcomes[0]?.status === 'success',
      );
      const acknowledged = new Map(
        successes.map((d) => [d.id, run.logs.get(d.id)!.outcomes[0]!.sha256]),
      );
      const planned = new Map(run.plan.map((d) => [d.id, d]));
      const counts = new Map<string, number>();
      for (const m of run.messages) {
        const key = `${m.snapshot.deviceId}:${m.snapshot.sha256}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      expect(run.messages.length).toBe(run.streamMessages);
      const bySeq = new Map(run.messages.map((m) => [m.seq, m]));
      for (const device of successes) {
        const outcome = run.logs.get(device.id)!.outcomes[0]!;
        const key = `${device.id}:${outcome.sha256}`;
        expect(counts.get(key) ?? 0, `copies of ${key}`).toBe(1);
        // The receipt points at this very message.
        const stored = bySeq.get(outcome.receipt!.seq);
        const storedKey = stored && `${stored.snapshot.deviceId}:${stored.snapshot.sha256}`;
        expect(storedKey, `message at the receipt's seq for ${device.id}`).toBe(key);
        expect(outcome.receipt!.stream).toBe(STREAM);
      }
      for (const m of run.messages) {
        const { snapshot } = m;
        expect(m.subject).toBe(`config.snapshot.create.${snapshot.deviceId}`);
        expect(m.msgId).toBe(snapshotMsgId(snapshot));
        expect(createHash('sha256').update(snapshot.configText, 'utf8').digest('hex')).toBe(
          snapshot.sha256,
        );
        // The device's own configuration, not another's.
        expect(snapshot.configText).toContain(snapshot.deviceId);
        expect(snapshot.tenantId).toBe('acme');
        expect(snapshot.vendor).toBe(planned.get(snapshot.deviceId)?.vendor);
        expect(snapshot.normalizationVersion).toBe(2);
        // Only what the scheduler was told is acknowledged: nothing of a failed device.
        expect(acknowledged.get(snapshot.deviceId), `${m.msgId} was never acknowledged`).toBe(
          snapshot.sha256,
        );
      }
      expect(counts.size).toBe(successes.length);
      expect(run.messages.length).toBe(successes.length);
      expect(run.publisherStats).toMatchObject({
        outboxLength: 0,
        failed: 0,
        published: successes.length,
      });
    });

    it('ends every attempt within its deadline', () => {
      const { timeline } = run;
      const overlaps = (start: number, end: number, from?: number, to?: number): boolean =>
        from !== undefined && to !== undefined && start < to && end > from;
      const late: string[] = [];
      for (const device of run.plan) {
        const { starts, outcomes } = run.logs.get(device.id)!;
        const start = starts[0];
        const end = outcomes[0]?.at;
        if (start === undefined || end === undefined) continue; // reported by the outcome tests
        let allowed = attemptBudgetMs(device) + LAG_MARGIN_MS;
        if (outcomes[0]!.status === 'success') {
          // A success also waits for NATS' acknowledgement (through an outage: until NATS is back,
          // plus one ack timeout and one retry delay) and records itself in Redis (fail fast: at
          // most one command timeout).
          if (overlaps(start, end, timeline.natsStop?.at, timeline.natsBack)) {
            allowed += timeline.natsBack! - timeline.natsStop!.at + ACK_TIMEOUT_MS + RETRY_MAX_MS;
          }
          if (overlaps(start, end, timeline.redisStop?.at, timeline.redisReady)) {
            allowed += REDIS_COMMAND_TIMEOUT_MS;
          }
        }
        // A failure is the collection alone, which is cut at timeLimitMs whatever happens.
        else allowed = Math.min(allowed, LIMITS.timeLimitMs + LAG_MARGIN_MS);
        if (end - start > allowed)
          late.push(`${device.id} ${device.label}: ${end - start} ms > ${allowed} ms`);
      }
      expect(late).toEqual([]);
    });

    it('finishes the run within a bound derived from the deadlines, and stops at once', () => {
      const { timeline } = run;
      // The last first attempt is due at the end of the jitter; the fleet's work, deadline by
      // deadline, is shared by CONCURRENCY slots; the outages add their length.
      const work = run.plan.reduce((sum, d) => sum + attemptBudgetMs(d), 0);
      const longest = Math.max(...run.plan.map(attemptBudgetMs));
      const bound =
        JITTER_MAX_MS +
        longest +
        work / CONCURRENCY +
        REDIS_DOWN_MS +
        NATS_DOWN_MS +
        ACK_TIMEOUT_MS +
        RETRY_MAX_MS +
        RUN_SLACK_MS;
      expect(timeline.allDone, 'all outcomes in').toBeDefined();
      expect(timeline.allDone! - timeline.start).toBeLessThan(bound);
      // Every slot was given back: nothing in flight or waiting once all outcomes were in.
      expect(run.stats).toMatchObject({ inFlight: 0, queueLength: 0 });
      expect(timeline.stopMs).toBeLessThan(1_000);
    });

    it('keeps the heap bounded while devices send endless output', () => {
      const endless = run.plan.filter((d) => d.label === 'endlessOutput');
      expect(endless.length).toBeGreaterThan(0);
      expect(run.heap.samples).toBeGreaterThan(20);
      expect(run.heap.peak, `peak heap ${Math.round(run.heap.peak / 2 ** 20)} MiB`).toBeLessThan(
        HEAP_LIMIT_BYTES,
      );
      expect(
        run.heap.externalPeak - run.heap.externalBefore,
        `external memory grew to ${Math.round(run.heap.externalPeak / 2 ** 20)} MiB`,
      ).toBeLessThan(EXTERNAL_GROWTH_LIMIT_BYTES);
    });

    it('uses Redis again once it is back: locks released, successes recorded', () => {
      expect(run.lockKeysLeft).toEqual([]);
      // Every success that started after Redis answered again was recorded there.
      const recorded = run.plan.filter((d) => {
        const l = run.logs.get(d.id)!;
        return l.outcomes[0]?.status === 'success' && l.starts[0]! > run.timeline.redisReady!;
      });
      expect(recorded.length).toBeGreaterThan(0);
      const notRecorded = recorded.filter((d) => !run.lastSuccessKeys.has(d.id)).map((d) => d.id);
      expect(notRecorded).toEqual([]);
      // No lock trouble once Redis answered again (a command sent before may time out once).
      const lateWarnings = run.warnings.filter(
        (w) =>
          w.code === 'lock-unavailable' &&
          w.at > run.timeline.redisReady! + REDIS_COMMAND_TIMEOUT_MS,
      );
      expect(lateWarnings).toEqual([]);
    });

    it('leaves no socket, timer or process behind after everything is closed', () => {
      expect(handlesAbove(run.handlesBefore, run.handlesAfter)).toEqual([]);
    });
  },
);
