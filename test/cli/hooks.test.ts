/** `hooks:` in the inventory and `--webhook URL`: parsing, and a backup posting to a real receiver. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBackupArgs, parseRunArgs, UsageError } from '../../src/cli/args.js';
import { prepareHooks } from '../../src/cli/hooks.js';
import { InventoryError, loadInventory, parseInventory } from '../../src/cli/inventory.js';
import { SetupError } from '../../src/cli/publishers.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Notification } from '../../src/hooks/index.js';
import { MemorySnapshotPublisher } from '../../src/testing/memory-publisher.js';
import { SECRET_VALUES } from '../fixtures/secret-values.js';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-3e8a61c0d9b7f2';
const CONFIG = readFileSync(
  new URL('../fixtures/vectors/routeros-secrets.raw', import.meta.url),
  'utf8',
).replace(/^# jan.*\n/, '');
const SECRETS = SECRET_VALUES['routeros-secrets.raw']!;

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

const DEVICE = {
  id: 'r1',
  host: '192.0.2.1',
  vendor: 'routeros',
  username: 'u',
  password_env: 'PW',
};

function parse(hooks: unknown) {
  return parseInventory(JSON.stringify({ hooks, devices: [DEVICE] }), {
    file: join(dir, 'inventory.json'),
  });
}

function problemsOf(hooks: unknown): string[] {
  try {
    parse(hooks);
  } catch (error) {
    if (error instanceof InventoryError)
      return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  throw new Error('expected an InventoryError');
}

describe('--webhook', () => {
  it('is parsed for backup and run, repeated', () => {
    const base = ['--inventory', 'i.yaml', '--out', 'out'];
    const backup = parseBackupArgs(
      [...base, '--webhook', 'http://127.0.0.1:9/a', '--webhook', 'https://chat.example/h'],
      dir,
    );
    expect(backup !== 'help' && backup.webhooks).toEqual([
      'http://127.0.0.1:9/a',
      'https://chat.example/h',
    ]);
    const run = parseRunArgs([...base, '--webhook', 'https://chat.example/h'], dir);
    expect(run !== 'help' && run.webhooks).toEqual(['https://chat.example/h']);
    const none = parseBackupArgs(base, dir);
    expect(none !== 'help' && none.webhooks).toEqual([]);
  });

  it('rejects a URL that is not http(s) without repeating it', () => {
    const call = () =>
      parseBackupArgs(['--inventory', 'i', '--out', 'o', '--webhook', 'ftp://tok3n@x/'], dir);
    expect(call).toThrow(UsageError);
    expect(call).toThrow(/--webhook must be an http:\/\/ or https:\/\/ URL/);
    expect(call).not.toThrow(/tok3n/);
    const withCredentials = () =>
      parseBackupArgs(['--inventory', 'i', '--out', 'o', '--webhook', 'https://u:s3cret@x/'], dir);
    expect(withCredentials).toThrow(/without user:password@/);
    expect(withCredentials).not.toThrow(/s3cret/);
  });
});

describe('hooks: in the inventory', () => {
  it('reads webhooks and execs with their settings', () => {
    const inventory = parse({
      failure_threshold: 5,
      include_diff: true,
      webhooks: [
        {
          url: 'https://chat.example.net/hook',
          events: ['config-changed', 'device-blocked'],
          headers: { 'X-Source': 'confsnap' },
          headers_env: { Authorization: 'CHAT_AUTH' },
          timeout: '5s',
        },
        { url_env: 'SECOND_HOOK_URL' },
      ],
      execs: [
        {
          command: './scripts/on-change.sh',
          args: ['--device', 7],
          env: { MODE: 'quiet' },
          pass_env: ['SLACK_TOKEN'],
          timeout: '1m',
          events: ['config-changed'],
        },
        { command: 'logger' },
      ],
    });
    expect(inventory.hooks).toEqual({
      failureThreshold: 5,
      includeDiff: true,
      webhooks: [
        {
          url: 'https://chat.example.net/hook',
          events: ['config-changed', 'device-blocked'],
          headers: { 'X-Source': 'confsnap' },
          headersEnv: { Authorization: 'CHAT_AUTH' },
          timeoutMs: 5_000,
        },
        { urlEnv: 'SECOND_HOOK_URL', headers: {}, headersEnv: {} },
      ],
      execs: [
        {
          command: join(dir, 'scripts/on-change.sh'),
          args: ['--device', '7'],
          env: { MODE: 'quiet' },
          passEnv: ['SLACK_TOKEN'],
          timeoutMs: 60_000,
          events: ['config-changed'],
        },
        { command: 'logger', args: [], env: {}, passEnv: [] },
      ],
    });
  });

  it('takes the example of docs/cli.md as written', () => {
    const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('\n## Hooks\n'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const inventory = parseInventory(
      `${yaml}devices:\n  - { id: r1, host: 192.0.2.1, vendor: routeros, username: u, password_env: PW }\n`,
      { file: join(dir, 'devices.yaml') },
    );
    expect(inventory.hooks).toMatchObject({
      failureThreshold: 3,
      includeDiff: true,
      webhooks: [
        { urlEnv: 'CHAT_WEBHOOK_URL', headersEnv: { Authorization: 'CHAT_AUTH_HEADER' } },
        { url: 'http://127.0.0.1:8080/confsnap', headers: { 'X-Source': 'confsnap' } },
      ],
      execs: [
        {
          command: join(dir, 'hooks/on-change.sh'),
          args: ['--channel', 'network-ops'],
          passEnv: ['SLACK_TOKEN'],
          timeoutMs: 30_000,
        },
      ],
    });
  });

  it('has no hooks when the section is absent', () => {
    expect(parse(undefined).hooks).toBeUndefined();
  });

  it('reports every problem with its field', () => {
    expect(
      problemsOf({
        failure_threshold: 0,
        include_diff: 'yes',
        webhook: [],
        webhooks: [
          { url: 'ftp://x' },
          { url: 'https://a', url_env: 'B' },
          { url: 'https://a', events: ['changed'], timeout: '5' },
          { url_env: 'not a name', headers_env: { Authorization: 'lower-case-ok but spaced' } },
        ],
        execs: [{ args: 'one string' }, { command: 'x', pass_env: ['A B'], shell: true }],
      }),
    ).toEqual(
      expect.arrayContaining([
        'hooks.failure_threshold: must be a whole number from 1 to 1000',
        'hooks.include_diff: must be true or false',
        expect.stringMatching(/^hooks\.webhook: unknown key/),
        'hooks.webhooks[0].url: must be an http:// or https:// URL without user:password@ (use headers_env)',
        expect.stringMatching(/^hooks\.webhooks\[1\]\.url: give url: or url_env:/),
        expect.stringMatching(/^hooks\.webhooks\[2\]\.events: must be a list of events out of/),
        expect.stringMatching(/^hooks\.webhooks\[2\]\.timeout: must be a duration/),
        'hooks.webhooks[3].url_env: must be the name of an environment variable',
        'hooks.webhooks[3].headers_env.Authorization: must be the name of an environment variable',
        expect.stringMatching(/^hooks\.execs\[0\]\.command: must be the program to run/),
        expect.stringMatching(/^hooks\.execs\[0\]\.args: must be a list of strings/),
        'hooks.execs[1].pass_env: must be a list of environment variable names',
        expect.stringMatching(/^hooks\.execs\[1\]\.shell: unknown key/),
      ]),
    );
  });

  it('names a variable that is not set, never a value', async () => {
    const inventory = parse({
      webhooks: [{ url: 'https://a.example/h', headers_env: { Authorization: 'HOOK_AUTH' } }],
    });
    const prepare = (env: Record<string, string>) =>
      prepareHooks({
        inventory,
        webhookUrls: [],
        env,
        out: dir,
        maskSecrets: true,
        publisher: new MemorySnapshotPublisher(),
        logger: silentLogger,
      });
    await expect(prepare({})).rejects.toThrow(SetupError);
    await expect(prepare({})).rejects.toThrow(
      'hooks.webhooks[0].headers_env.Authorization names the environment variable HOOK_AUTH, which is not set',
    );
    await expect(prepare({ HOOK_AUTH: 'Bearer s3cr3t' })).resolves.toBeDefined();
  });

  it('prepares nothing when neither hooks: nor --webhook is given', async () => {
    const hooks = await prepareHooks({
      inventory: parse(undefined),
      webhookUrls: [],
      env: {},
      out: dir,
      maskSecrets: true,
      publisher: new MemorySnapshotPublisher(),
      logger: silentLogger,
    });
    expect(hooks).toBeUndefined();
  });
});

describe('confsnap backup with hooks', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('posts the change with a masked diff, then run-finished, to the inventory webhook and --webhook', async () => {
    const router = await lab.start(PASSWORD, { vendor: 'routeros', config: CONFIG });
    const recorded = join(dir, 'exec.json');
    const script = join(dir, 'record.mjs');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
writeFileSync(process.argv[2], JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CONFSNAP_')))));
`,
    );
    const inventory = writeInventory(dir, {
      hooks: {
        include_diff: true,
        webhooks: [
          { url: `${receiver.origin}/inventory`, headers_env: { Authorization: 'HOOK_AUTH' } },
        ],
        execs: [
          { command: process.execPath, args: [script, recorded], events: ['config-changed'] },
        ],
      },
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const out = join(dir, 'out');
    const env = { ROUTER_PASSWORD: PASSWORD, HOOK_AUTH: 'Bearer hook-t0ken' };
    const backup = () =>
      cli(
        ['backup', '--inventory', inventory, '--out', out, '--webhook', `${receiver.origin}/flag`],
        { env, cwd: dir },
      );

    const first = await backup();
    expect(first.code, first.all()).toBe(0);
    const byPath = (path: string) =>
      receiver.requests.filter((r) => r.path === path).map((r) => r.body as Notification);
    expect(byPath('/inventory').map((b) => b.event)).toEqual(['config-changed', 'run-finished']);
    expect(byPath('/flag').map((b) => b.event)).toEqual(['config-changed', 'run-finished']);
    expect(receiver.requests[0]!.headers.authorization).toBe(
      receiver.requests[0]!.path === '/inventory' ? 'Bearer hook-t0ken' : undefined,
    );
    const saved = readFileSync(join(out, 'r1.cfg'), 'utf8');
    const sha = createHash('sha256').update(saved).digest('hex');
    expect(byPath('/inventory')[0]).toMatchObject({
      event: 'config-changed',
      deviceId: 'r1',
      vendor: 'routeros',
      sha256After: sha,
      diffOmitted: 'no-previous',
    });
    expect(byPath('/inventory')[1]).toMatchObject({
      event: 'run-finished',
      summary: { devices: 1, succeeded: 1, failed: 0, changed: 1, skipped: 0 },
    });
    expect(JSON.parse(readFileSync(recorded, 'utf8'))).toMatchObject({
      CONFSNAP_EVENT: 'config-changed',
      CONFSNAP_DEVICE_ID: 'r1',
      CONFSNAP_SHA256_AFTER: sha,
    });

    router.setConfig(CONFIG.replace(/name=(\S+)/, 'name=$1-renamed'));
    receiver.requests.length = 0;
    const second = await backup();
    expect(second.code).toBe(0);
    const change = byPath('/inventory').find((b) => b.event === 'config-changed');
    expect(change).toMatchObject({ event: 'config-changed', sha256Before: sha });
    expect(change!.diff).toMatch(/^-.*name=/m);
    expect(change!.diff).toMatch(/^\+.*-renamed/m);
    for (const request of receiver.requests) {
      for (const secret of SECRETS) expect(request.rawBody).not.toContain(secret);
    }
  });

  it('run posts changes and blocks as they happen, and stops cleanly', async () => {
    const good = await lab.start(PASSWORD, { vendor: 'routeros', config: CONFIG });
    const locked = await lab.start('another-password', { vendor: 'routeros', config: CONFIG });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', good), entry('r2', locked)],
    });
    const controller = new AbortController();
    const running = cli(
      [
        'run',
        ...['--inventory', inventory, '--out', join(dir, 'out'), '--interval', '1s'],
        ...['--webhook', `${receiver.origin}/run`],
      ],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir, signal: controller.signal },
    );
    await receiver.waitForRequests(2, 20_000);
    controller.abort(new Error('SIGTERM'));
    const run = await running;
    expect(run.code, run.all()).toBe(0);
    const events = receiver.requests.map((r) => r.body as Notification);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'config-changed', deviceId: 'r1' }),
        expect.objectContaining({ event: 'device-blocked', deviceId: 'r2', kind: 'auth-failed' }),
      ]),
    );
    expect(events.some((e) => e.event === 'run-finished')).toBe(false);
    expect(receiver.requests.some((r) => r.rawBody.includes('another-password'))).toBe(false);
  });

  it('says so, and still exits 0, when a webhook cannot be reached', async () => {
    const router = await lab.start(PASSWORD, { vendor: 'routeros', config: CONFIG });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    receiver.respondWith(400, 400);
    const run = await cli(
      [
        'backup',
        '--inventory',
        inventory,
        '--out',
        join(dir, 'out'),
        '--webhook',
        `${receiver.origin}/h/T0KEN`,
      ],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stderr()).toContain('hooks: 2 notification(s) failed and 0 dropped');
    expect(run.all()).toContain(receiver.origin);
    expect(run.all()).not.toContain('T0KEN');
  });

  it('stops before any backup when a variable the hooks name is not set', async () => {
    const router = await lab.start(PASSWORD, { vendor: 'routeros', config: CONFIG });
    const inventory = writeInventory(dir, {
      hooks: { webhooks: [{ url_env: 'CHAT_URL' }] },
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const run = await cli(['backup', '--inventory', inventory, '--out', join(dir, 'out')], {
      env: { ROUTER_PASSWORD: PASSWORD },
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('CHAT_URL');
    expect(router.commands).toEqual([]);
  });

  it('loads hooks from a YAML inventory file', async () => {
    const path = writeInventory(dir, {
      hooks: { webhooks: [{ url: 'http://127.0.0.1:1/h' }] },
      devices: [DEVICE],
    });
    const inventory = await loadInventory(path, { cwd: dir });
    expect(inventory.hooks?.webhooks).toEqual([
      { url: 'http://127.0.0.1:1/h', headers: {}, headersEnv: {} },
    ]);
  });
});
