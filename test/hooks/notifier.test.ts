import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import type { Logger } from '../../src/core/logger.js';
import { createNotifier, SnapshotTap, type Notification } from '../../src/hooks/index.js';
import { registerSchedulerMetrics } from '../../src/prometheus/index.js';
import { BackupScheduler } from '../../src/scheduler/scheduler.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver.js';
import { parseExposition } from '../prometheus/exposition.js';

const SECOND = 1_000;
const INTERVAL = 6 * 3_600_000;

function device(id: string, extra: Partial<Device> = {}): Device {
  return { id, host: `${id}.example.test`, vendor: 'routeros', tenantId: 't1', ...extra };
}

/** A scheduler on a fake clock whose publisher is tapped; `masked` marks snapshots as masked. */
function fleet(list: Device[], options: { masked?: boolean } = {}) {
  const clock = new FakeClock();
  const fake = new FakeCollector({ clock });
  const tap = new SnapshotTap(new MemorySnapshotPublisher());
  const scheduler = new BackupScheduler({
    devices: { list: () => Promise.resolve(list) },
    credentials: {
      get: () => Promise.resolve({ username: 'backup', password: 'pw', version: 'v1' }),
    },
    publisher: tap,
    clock,
    collect: async (o) => {
      const result = await fake.collect(o);
      return options.masked ? { ...result, secretsMasked: true } : result;
    },
    initialJitterMs: [30 * SECOND, 30 * SECOND],
    random: () => 0,
  });
  return { clock, fake, tap, scheduler, t0: clock.now() };
}

function memoryLogger() {
  const lines: string[] = [];
  const log = (obj: object, msg?: string) => lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  const logger: Logger = { debug: log, info: log, warn: log, error: log };
  return { logger, lines };
}

/** Polls (real time, for real I/O) until `condition` holds. */
async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const bodies = () => receiver.requests.map((r) => r.body as Notification);

describe('createNotifier webhooks', () => {
  it('posts a config change as JSON with device, vendor, hashes and times', async () => {
    const { clock, fake, tap, scheduler, t0 } = fleet([device('r1')]);
    const notifier = createNotifier(scheduler, {
      snapshots: tap,
      clock,
      webhooks: [{ url: `${receiver.origin}/hook`, headers: { authorization: 'Bearer t0ken' } }],
    });
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await notifier.flush();
    const first = scheduler.status('r1')!.lastSha256!;
    fake.setConfig('r1', '/system identity\nset name=r1-new\n');
    await clock.advance(INTERVAL);
    await notifier.flush();

    const [initial, change] = await receiver.waitForRequests(2);
    expect(initial!.method).toBe('POST');
    expect(initial!.path).toBe('/hook');
    expect(initial!.headers['content-type']).toBe('application/json');
    expect(initial!.headers.authorization).toBe('Bearer t0ken');
    expect(change!.body).toEqual({
      event: 'config-changed',
      at: new Date(t0 + 30 * SECOND + INTERVAL).toISOString(),
      deviceId: 'r1',
      vendor: 'routeros',
      tenantId: 't1',
      sha256Before: first,
      sha256After: scheduler.status('r1')!.lastSha256,
      collectedAt: new Date(t0 + 30 * SECOND + INTERVAL).toISOString(),
    });
    expect(notifier.stats()).toEqual({ delivered: 2, failed: 0, dropped: 0, queued: 0 });
    await scheduler.stop();
    await notifier.close();
  });

  it('sends no notification for an unchanged configuration', async () => {
    const { clock, tap, scheduler } = fleet([device('r1')]);
    const notifier = createNotifier(scheduler, {
      snapshots: tap,
      clock,
      webhooks: [{ url: receiver.origin }],
    });
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await clock.advance(INTERVAL);
    await clock.advance(INTERVAL);
    await notifier.flush();
    expect(bodies().map((b) => b.event)).toEqual(['config-changed']);
    await scheduler.stop();
    await notifier.close();
  });

  it('includes a unified diff only when asked and the secrets are masked', async () => {
    for (const masked of [true, false]) {
      await receiver.close();
      receiver = await startWebhookReceiver();
      const { clock, fake, tap, scheduler } = fleet([device('r1')], { masked });
      fake.setConfig('r1', 'line 1\nline 2\nline 3\n');
      const notifier = createNotifier(scheduler, {
        snapshots: tap,
        includeDiff: true,
        clock,
        webhooks: [{ url: receiver.origin, events: ['config-changed'] }],
      });
      await scheduler.start();
      await clock.advance(30 * SECOND);
      fake.setConfig('r1', 'line 1\nline two\nline 3\n');
      await clock.advance(INTERVAL);
      await notifier.flush();
      const change = bodies()[1]!;
      if (masked) {
        expect(change.diff).toContain('--- a/r1');
        expect(change.diff).toContain('+++ b/r1');
        expect(change.diff).toContain('-line 2\n+line two\n');
        expect(change.diffOmitted).toBeUndefined();
        // The first backup has nothing to compare with.
        expect(bodies()[0]!.diffOmitted).toBe('no-previous');
      } else {
        expect(change.diff).toBeUndefined();
        expect(change.diffOmitted).toBe('secrets-not-masked');
        expect(receiver.requests.some((r) => r.rawBody.includes('line two'))).toBe(false);
      }
      await scheduler.stop();
      await notifier.close();
    }
  });

  it('diffs against the stored previous text when the tap can read it', async () => {
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock });
    fake.setConfig('r1', 'a\nb-new\nc\n');
    const tap = new SnapshotTap(new MemorySnapshotPublisher(), {
      readPrevious: () => Promise.resolve({ text: 'a\nb\nc\n', secretsMasked: true }),
    });
    const scheduler = new BackupScheduler({
      devices: { list: () => Promise.resolve([device('r1')]) },
      credentials: { get: () => Promise.resolve({ username: 'u', password: 'p' }) },
      publisher: tap,
      clock,
      collect: async (o) => ({ ...(await fake.collect(o)), secretsMasked: true }),
    });
    const notifier = createNotifier(scheduler, {
      snapshots: tap,
      includeDiff: true,
      clock,
      webhooks: [{ url: receiver.origin }],
    });
    await scheduler.refresh();
    expect((await scheduler.trigger('r1')).status).toBe('success');
    await notifier.flush();
    const [change] = bodies();
    expect(change!.diff).toContain('-b\n+b-new\n');
    // sha256 of 'a\nb\nc\n'
    expect(change!.sha256Before).toMatch(/^[0-9a-f]{64}$/);
    await scheduler.stop();
    await notifier.close();
  });

  it('reports a failure once after N in a row, then the recovery', async () => {
    const { clock, fake, tap, scheduler } = fleet([device('r1')]);
    fake.failNext('r1', 'connect-timeout', 3);
    const notifier = createNotifier(scheduler, {
      snapshots: tap,
      clock,
      failureThreshold: 2,
      webhooks: [{ url: receiver.origin, events: ['backup-failed', 'device-healthy'] }],
    });
    await scheduler.start();
    await clock.advance(30 * SECOND); // failure 1
    await clock.advance(5 * 60 * SECOND); // failure 2: reported
    await notifier.flush();
    expect(bodies().map((b) => b.event)).toEqual(['backup-failed']);
    expect(bodies()[0]).toMatchObject({
      deviceId: 'r1',
      kind: 'connect-timeout',
      consecutiveFailures: 2,
    });
    await clock.advance(15 * 60 * SECOND); // failure 3: not again
    await clock.advance(60 * 60 * SECOND); // success
    await notifier.flush();
    expect(bodies().map((b) => b.event)).toEqual(['backup-failed', 'device-healthy']);
    await scheduler.stop();
    await notifier.close();
  });

  it('reports a blocked device', async () => {
    const { clock, fake, tap, scheduler } = fleet([device('r1')]);
    fake.requirePassword('r1', 'other');
    const notifier = createNotifier(scheduler, {
      snapshots: tap,
      clock,
      webhooks: [{ url: receiver.origin }],
    });
    await scheduler.start();
    await clock.advance(30 * SECOND);
    await notifier.flush();
    expect(bodies()).toEqual([
      expect.objectContaining({ event: 'device-blocked', deviceId: 'r1', kind: 'auth-failed' }),
    ]);
    await scheduler.stop();
    await notifier.close();
  });

  it('posts run-finished with the summary', async () => {
    const { scheduler } = fleet([]);
    const notifier = createNotifier(scheduler, { webhooks: [{ url: receiver.origin }] });
    notifier.runFinished({ devices: 3, succeeded: 2, failed: 1, changed: 1, durationMs: 1234 });
    await notifier.flush();
    expect(bodies()[0]).toMatchObject({
      event: 'run-finished',
      summary: { devices: 3, succeeded: 2, failed: 1, changed: 1, durationMs: 1234 },
    });
    await notifier.close();
  });
});

describe('createNotifier delivery', () => {
  it('retries a failing webhook after the backoff delay on the clock', async () => {
    const { scheduler } = fleet([]);
    const clock = new FakeClock();
    receiver.respondWith(503, 500);
    const notifier = createNotifier(scheduler, {
      clock,
      backoff: { delay: (failures) => failures * 10 * SECOND },
      webhooks: [{ url: receiver.origin, timeoutMs: 60 * SECOND }],
    });
    const backingOff = (ms: number) => () => clock.nextDueAt() === clock.now() + ms;
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await receiver.waitForRequests(1);
    await waitUntil(backingOff(10 * SECOND));
    await clock.advance(10 * SECOND - 1);
    expect(receiver.requests).toHaveLength(1);
    await clock.advance(1);
    await receiver.waitForRequests(2);
    await waitUntil(backingOff(20 * SECOND));
    await clock.advance(20 * SECOND);
    await receiver.waitForRequests(3);
    await notifier.flush();
    expect(notifier.stats()).toEqual({ delivered: 1, failed: 0, dropped: 0, queued: 0 });
    await notifier.close();
  });

  it('gives up after the retries and says so without the URL path or the body', async () => {
    const { scheduler } = fleet([]);
    const clock = new FakeClock();
    const { logger, lines } = memoryLogger();
    receiver.respondWith(500, 500);
    const notifier = createNotifier(scheduler, {
      clock,
      logger,
      retries: 1,
      backoff: { delay: () => SECOND },
      webhooks: [{ url: `${receiver.origin}/services/SECRET-TOKEN`, timeoutMs: 60 * SECOND }],
    });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await receiver.waitForRequests(1);
    await waitUntil(() => clock.nextDueAt() === clock.now() + SECOND);
    await clock.advance(SECOND);
    await notifier.flush();
    expect(notifier.stats()).toMatchObject({ delivered: 0, failed: 1 });
    expect(lines.join('\n')).toContain(receiver.origin);
    expect(lines.join('\n')).toContain('HTTP 500');
    expect(lines.join('\n')).not.toContain('SECRET-TOKEN');
    await notifier.close();
  });

  it('does not retry a 4xx answer', async () => {
    const { scheduler } = fleet([]);
    receiver.respondWith(404);
    const notifier = createNotifier(scheduler, { webhooks: [{ url: receiver.origin }] });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await notifier.flush();
    expect(receiver.requests).toHaveLength(1);
    expect(notifier.stats()).toMatchObject({ failed: 1, delivered: 0 });
    await notifier.close();
  });

  it('drops and counts what does not fit the queue, without waiting', async () => {
    const { scheduler } = fleet([]);
    receiver.hold();
    const notifier = createNotifier(scheduler, {
      queueSize: 2,
      concurrency: 1,
      webhooks: [{ url: receiver.origin }],
    });
    const summary = { devices: 0, succeeded: 0, failed: 0, changed: 0 };
    for (let i = 0; i < 5; i++) notifier.runFinished(summary);
    // One in progress, two waiting, two dropped.
    expect(notifier.stats()).toEqual({ delivered: 0, failed: 0, dropped: 2, queued: 3 });
    await receiver.waitForRequests(1);
    receiver.release();
    await notifier.flush();
    expect(notifier.stats()).toEqual({ delivered: 3, failed: 0, dropped: 2, queued: 0 });
    await notifier.close();
  });

  it('times out a webhook that does not answer, on the clock', async () => {
    const { scheduler } = fleet([]);
    const clock = new FakeClock();
    receiver.hold();
    const notifier = createNotifier(scheduler, {
      clock,
      retries: 0,
      webhooks: [{ url: receiver.origin, timeoutMs: 2 * SECOND }],
    });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await receiver.waitForRequests(1);
    await clock.advance(2 * SECOND);
    await notifier.flush();
    expect(notifier.stats()).toMatchObject({ failed: 1, queued: 0 });
    await notifier.close();
  });

  it('close() drops what waits and aborts what runs after the grace period', async () => {
    const { scheduler } = fleet([]);
    const clock = new FakeClock();
    receiver.hold();
    const notifier = createNotifier(scheduler, {
      clock,
      concurrency: 1,
      webhooks: [{ url: receiver.origin }],
    });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await receiver.waitForRequests(1);
    const closed = notifier.close({ graceMs: SECOND });
    await clock.advance(SECOND);
    await closed;
    expect(notifier.stats()).toEqual({ delivered: 0, failed: 0, dropped: 2, queued: 0 });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    expect(notifier.stats().queued).toBe(0);
  });

  it('never makes a backup wait for a delivery', async () => {
    const { clock, tap, scheduler } = fleet([device('r1'), device('r2')]);
    receiver.hold();
    const notifier = createNotifier(scheduler, {
      snapshots: tap,
      clock,
      concurrency: 1,
      queueSize: 1,
      webhooks: [{ url: receiver.origin }],
    });
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.status().map((s) => s.lastSuccessAt !== undefined)).toEqual([true, true]);
    expect(notifier.stats()).toMatchObject({ queued: 2, dropped: 0 });
    receiver.release();
    await notifier.flush();
    await scheduler.stop();
    await notifier.close();
  });
});

describe('createNotifier with metrics', () => {
  it('exposes its delivered, failed and dropped counts through registerSchedulerMetrics', async () => {
    const { scheduler } = fleet([]);
    receiver.respondWith(200, 404);
    const notifier = createNotifier(scheduler, { webhooks: [{ url: receiver.origin }] });
    const registry = new Registry();
    registerSchedulerMetrics(scheduler, { registry, notifier });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await notifier.flush();
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await notifier.flush();
    const m = parseExposition(await registry.metrics());
    expect(m.value('confsnap_notifications_total', { result: 'delivered' })).toBe(1);
    expect(m.value('confsnap_notifications_total', { result: 'failed' })).toBe(1);
    expect(m.value('confsnap_notifications_total', { result: 'dropped' })).toBe(0);
    expect(m.value('confsnap_notification_queue')).toBe(0);
    await notifier.close();
  });
});

describe('createNotifier execs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'confsnap-hooks-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the command without a shell, with CONFSNAP_* variables and the JSON on stdin', async () => {
    const script = join(dir, 'record.mjs');
    const out = join(dir, 'out.json');
    await writeFile(
      script,
      `import { writeFileSync, readFileSync } from 'node:fs';
const stdin = readFileSync(0, 'utf8');
writeFileSync(process.argv[2], JSON.stringify({ env: process.env, args: process.argv.slice(3), stdin }));
`,
    );
    process.env.CONFSNAP_TEST_PARENT_SECRET = 'do-not-pass';
    try {
      const { clock, tap, scheduler } = fleet([device('r1')]);
      const notifier = createNotifier(scheduler, {
        snapshots: tap,
        clock,
        execs: [
          {
            command: process.execPath,
            args: [script, out, '$HOME; echo injected', '*'],
            env: { HOOK_EXTRA: 'yes' },
          },
        ],
      });
      await scheduler.start();
      await clock.advance(30 * SECOND);
      await notifier.flush();
      expect(notifier.stats()).toMatchObject({ delivered: 1, failed: 0 });
      const seen = JSON.parse(await readFile(out, 'utf8')) as {
        env: Record<string, string>;
        args: string[];
        stdin: string;
      };
      expect(seen.args).toEqual(['$HOME; echo injected', '*']);
      expect(seen.env).toMatchObject({
        CONFSNAP_EVENT: 'config-changed',
        CONFSNAP_DEVICE_ID: 'r1',
        CONFSNAP_VENDOR: 'routeros',
        CONFSNAP_TENANT_ID: 't1',
        CONFSNAP_SHA256_AFTER: scheduler.status('r1')!.lastSha256,
        HOOK_EXTRA: 'yes',
      });
      expect(seen.env.CONFSNAP_TEST_PARENT_SECRET).toBeUndefined();
      expect(JSON.parse(seen.stdin)).toMatchObject({ event: 'config-changed', deviceId: 'r1' });
      await scheduler.stop();
      await notifier.close();
    } finally {
      delete process.env.CONFSNAP_TEST_PARENT_SECRET;
    }
  });

  it('kills a command that outlives its timeout and counts a failure', async () => {
    const script = join(dir, 'hang.mjs');
    await writeFile(script, 'setInterval(() => {}, 1000);\n');
    const { scheduler } = fleet([]);
    const clock = new FakeClock();
    const notifier = createNotifier(scheduler, {
      clock,
      retries: 0,
      execs: [{ command: process.execPath, args: [script], timeoutMs: 5 * SECOND }],
    });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await clock.advance(5 * SECOND);
    await notifier.flush();
    expect(notifier.stats()).toMatchObject({ failed: 1, delivered: 0, queued: 0 });
    await notifier.close();
  });

  it('counts a non-zero exit as a failure, and a missing program without retrying', async () => {
    const { scheduler } = fleet([]);
    const { logger, lines } = memoryLogger();
    const notifier = createNotifier(scheduler, {
      retries: 0,
      logger,
      execs: [
        { command: process.execPath, args: ['-e', 'process.exit(3)'] },
        { command: join(dir, 'no-such-program') },
      ],
    });
    notifier.runFinished({ devices: 0, succeeded: 0, failed: 0, changed: 0 });
    await notifier.flush();
    expect(notifier.stats()).toMatchObject({ failed: 2, delivered: 0 });
    expect(lines.join('\n')).toContain('exited 3');
    expect(lines.join('\n')).toContain('could not start (ENOENT)');
    await notifier.close();
  });
});

describe('createNotifier options', () => {
  it.each([
    [{ webhooks: [{ url: 'ftp://x' }] }, /webhooks\[0\]\.url must be an http\(s\) URL/],
    [{ webhooks: [{ url: 'not a url' }] }, /webhooks\[0\]\.url/],
    [{ webhooks: [{ url: 'https://u:p@x/' }] }, /must not hold credentials/],
    [{ execs: [{ command: '' }] }, /execs\[0\]\.command/],
    [{ failureThreshold: 0 }, /failureThreshold must be an integer >= 1/],
    [{ queueSize: 1.5 }, /queueSize/],
    [{ includeDiff: true }, /includeDiff needs snapshots/],
    [
      { webhooks: [{ url: 'http://127.0.0.1/', events: ['changed' as 'config-changed'] }] },
      /unknown "changed"/,
    ],
  ])('rejects %j', (options, message) => {
    const { scheduler } = fleet([]);
    expect(() => createNotifier(scheduler, options)).toThrow(message);
  });

  it('refuses a stopped scheduler', async () => {
    const { scheduler } = fleet([]);
    await scheduler.stop();
    expect(() => createNotifier(scheduler, {})).toThrow(/stopped/);
  });
});
