/** The HTTP API of `confsnap run --http`, over loopback against a real scheduler and git output. */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessRule } from '../../../src/cli/http/auth.js';
import { ConfigHistory, HistoryError } from '../../../src/cli/http/history.js';
import { parseHttpAddress, isLoopbackHost } from '../../../src/cli/http/address.js';
import { startApiLab, TOKEN, type ApiLab } from './fixture.js';

const R1 = encodeURIComponent('core/r1');

interface DeviceJson {
  id: string;
  vendor: string;
  state: string;
  group: string | null;
}

/** The fields of the API's JSON answers these tests read. */
interface Body {
  [field: string]: unknown;
  devices: DeviceJson[];
  versions: { rev: string; sha256: string }[];
  outcome: { sha256: string };
  message: string;
  error: string;
}

async function getJson(lab: ApiLab, path: string, init?: RequestInit) {
  const response = await fetch(new URL(path, lab.api.url), init);
  return { status: response.status, body: (await response.json()) as Body };
}

async function backup(lab: ApiLab, encodedId: string) {
  return getJson(lab, `/api/devices/${encodedId}/backup`, { method: 'POST' });
}

/** A raw request, for headers fetch() will not send (Host). */
function rawGet(lab: ApiLab, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(new URL(path, lab.api.url), { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP API without a token (loopback)', () => {
  let lab: ApiLab;
  let metricsBody = 'confsnap_up 1\n';
  let metricsFail = false;
  let reloads = 0;
  beforeAll(async () => {
    lab = await startApiLab({
      extra: {
        metrics: () =>
          metricsFail
            ? Promise.reject(new Error('registry gone'))
            : Promise.resolve({ contentType: 'text/plain; version=0.0.4', body: metricsBody }),
        reload: () => {
          reloads++;
          return Promise.resolve({ ok: true, devices: 3 });
        },
      },
    });
  });
  afterAll(() => lab.close());

  it('listens on 127.0.0.1 and answers /healthz and /readyz', async () => {
    expect(lab.api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await getJson(lab, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await getJson(lab, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('lists every device with its state and group, sorted by id', async () => {
    const { status, body } = await getJson(lab, '/api/devices');
    expect(status).toBe(200);
    expect(body.devices.map((d) => d.id)).toEqual(['bad-pw', 'core/r1', 'edge-1']);
    expect(body.devices[1]).toMatchObject({
      id: 'core/r1',
      vendor: 'routeros',
      group: 'core',
      lastError: null,
    });
    expect(typeof body.devices[1]!.state).toBe('string');
  });

  it('filters the list by vendor, group and state', async () => {
    const ids = async (query: string) =>
      (await getJson(lab, `/api/devices?${query}`)).body.devices.map((d) => d.id);
    expect(await ids('vendor=cisco-ios')).toEqual(['edge-1']);
    expect(await ids('group=core')).toEqual(['core/r1']);
    expect(await ids('vendor=routeros&group=edge')).toEqual([]);
    const states = (await getJson(lab, '/api/devices')).body.devices.map((d) => d.state);
    expect(await ids(`state=${states[0]}`)).toContain('bad-pw');
  });

  it('refuses an unknown state, an unknown parameter and a repeated one with 400', async () => {
    const bad = await getJson(lab, '/api/devices?state=sleeping');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad-request' });
    expect(bad.body.message).toContain('idle, waiting, running, backoff, blocked, offline');
    expect((await getJson(lab, '/api/devices?colour=red')).body.message).toContain(
      'unknown parameter "colour"',
    );
    expect((await getJson(lab, '/api/devices?vendor=a&vendor=b')).status).toBe(400);
    expect((await getJson(lab, `/api/devices/${R1}?x=1`)).status).toBe(400);
  });

  it('answers an unknown device with a 404 JSON body on every device route', async () => {
    for (const [method, path] of [
      ['GET', '/api/devices/nope'],
      ['GET', '/api/devices/nope/config'],
      ['GET', '/api/devices/nope/versions'],
      ['GET', '/api/devices/nope/versions/abcdef1'],
      ['GET', '/api/devices/nope/diff'],
      ['POST', '/api/devices/nope/backup'],
    ] as const) {
      const { status, body } = await getJson(lab, path, { method });
      expect(status, path).toBe(404);
      expect(body, path).toEqual({
        error: 'not-found',
        message: 'no device "nope" in the inventory',
      });
    }
  });

  it('decodes a URL-encoded id before looking it up', async () => {
    const { status, body } = await getJson(lab, `/api/devices/${encodeURIComponent('a%b c/d')}`);
    expect(status).toBe(404);
    expect(body.message).toBe('no device "a%b c/d" in the inventory');
  });

  it('refuses a device id with a control character with 400', async () => {
    const { status, body } = await getJson(lab, '/api/devices/a%07b');
    expect(status).toBe(400);
    expect(body.message).toContain('without control characters');
  });

  it('backs a device up on POST, then serves its config, versions and diff from git', async () => {
    expect((await getJson(lab, `/api/devices/${R1}/config`)).status).toBe(404);
    const first = await backup(lab, R1);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      deviceId: 'core/r1',
      outcome: { status: 'success', changed: true, advice: null },
    });
    const firstText = await (await fetch(new URL(`/api/devices/${R1}/config`, lab.api.url))).text();
    expect(firstText).toContain('/system identity');
    const one = await getJson(lab, `/api/devices/${R1}/versions`);
    expect(one.body.versions).toHaveLength(1);
    expect(one.body.versions[0]!.sha256).toBe(first.body.outcome.sha256);
    expect((await getJson(lab, `/api/devices/${R1}/diff`)).body.message).toContain(
      'one committed version',
    );

    lab.devices['core/r1']!.setConfig(`${firstText}/ip dns set servers=192.0.2.53\n`);
    const second = await backup(lab, R1);
    expect(second.body.outcome).toMatchObject({ status: 'success', changed: true });
    const versions = (await getJson(lab, `/api/devices/${R1}/versions`)).body.versions as {
      rev: string;
      sha256: string;
    }[];
    expect(versions.map((v) => v.sha256)).toEqual([
      second.body.outcome.sha256,
      first.body.outcome.sha256,
    ]);
    expect((await getJson(lab, `/api/devices/${R1}/versions?limit=1`)).body.versions).toHaveLength(
      1,
    );

    const diff = await getJson(lab, `/api/devices/${R1}/diff`);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: versions[1]!.rev, to: versions[0]!.rev });
    expect(diff.body.unified).toContain('+/ip dns set servers=192.0.2.53');
    const reverse = await getJson(
      lab,
      `/api/devices/${R1}/diff?from=${versions[0]!.rev.slice(0, 10)}&to=${versions[1]!.rev}`,
    );
    expect(reverse.body.unified).toContain('-/ip dns set servers=192.0.2.53');
    const same = await getJson(
      lab,
      `/api/devices/${R1}/diff?from=${versions[0]!.rev}&to=${versions[0]!.rev}`,
    );
    expect(same.body).toMatchObject({ identical: true, unified: '' });

    const old = await fetch(
      new URL(`/api/devices/${R1}/versions/${versions[1]!.rev}`, lab.api.url),
    );
    expect(old.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await old.text()).toBe(firstText);
  });

  it('refuses a revision that is not a commit hash with 400 and an unknown one with 404', async () => {
    const bad = await getJson(lab, `/api/devices/${R1}/versions/HEAD~1`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('commit hash');
    expect((await getJson(lab, `/api/devices/${R1}/diff?from=--output=x`)).status).toBe(400);
    expect((await getJson(lab, `/api/devices/${R1}/versions/deadbeefdeadbeef`)).status).toBe(404);
    expect((await getJson(lab, `/api/devices/${R1}/versions?limit=0`)).status).toBe(400);
    expect((await getJson(lab, `/api/devices/${R1}/versions?limit=ten`)).status).toBe(400);
  });

  it('answers a failed backup with the kind and what to do, and shows it on the device', async () => {
    const failed = await backup(lab, 'bad-pw');
    expect(failed.status).toBe(200);
    expect(failed.body.outcome).toMatchObject({
      status: 'failed',
      kind: 'auth-failed',
      advice: 'check the password of bad-pw',
    });
    const device = await getJson(lab, '/api/devices/bad-pw');
    expect(device.body).toMatchObject({
      state: 'blocked',
      consecutiveFailures: 1,
      lastError: { kind: 'auth-failed', advice: 'check the password of bad-pw' },
    });
    const blocked = await getJson(lab, '/api/devices?state=blocked');
    expect(blocked.body.devices.map((d) => d.id)).toEqual(['bad-pw']);
  });

  it('serves the metrics function it was given, and 503 when it fails', async () => {
    const ok = await fetch(new URL('/metrics', lab.api.url));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await ok.text()).toBe(metricsBody);
    metricsBody = 'confsnap_up 2\n';
    expect(await (await fetch(new URL('/metrics', lab.api.url))).text()).toBe('confsnap_up 2\n');
    metricsFail = true;
    const failing = await getJson(lab, '/metrics');
    expect(failing.status).toBe(503);
    expect(failing.body.message).toContain('registry gone');
    metricsFail = false;
  });

  it('reloads the inventory on POST /api/reload', async () => {
    const before = reloads;
    expect(await getJson(lab, '/api/reload', { method: 'POST' })).toEqual({
      status: 200,
      body: { ok: true, devices: 3 },
    });
    expect(reloads).toBe(before + 1);
    expect((await getJson(lab, '/api/reload')).status).toBe(404);
  });

  it('refuses a Host header that does not name this machine (DNS rebinding)', async () => {
    const evil = await rawGet(lab, '/api/devices', { Host: 'evil.example:80' });
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('Host header refused');
    expect((await rawGet(lab, '/api/devices', { Host: `localhost:${lab.api.port}` })).status).toBe(
      200,
    );
    expect((await rawGet(lab, '/healthz', { Host: 'evil.example' })).status).toBe(200);
  });

  it('refuses a change asked for by another site (Origin)', async () => {
    const response = await getJson(lab, '/api/reload', {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(response.body.message).toContain('https://evil.example');
    const own = await getJson(lab, '/api/reload', {
      method: 'POST',
      headers: { Origin: lab.api.url.replace(/\/$/, '') },
    });
    expect(own.status).toBe(200);
  });

  it('refuses a request body over 8 KiB with 413', async () => {
    const response = await getJson(lab, '/api/reload', {
      method: 'POST',
      body: 'x'.repeat(9 * 1024),
    });
    expect(response.status).toBe(413);
  });

  it('accepts a change from the origin of a reverse proxy that says so (X-Forwarded-Host)', async () => {
    const proxied = await getJson(lab, '/api/reload', {
      method: 'POST',
      headers: { Origin: 'https://backups.example.net', 'X-Forwarded-Host': 'backups.example.net' },
    });
    expect(proxied.status).toBe(200);
  });

  it('serves the web UI from this process with a strict Content-Security-Policy', async () => {
    const page = await fetch(lab.api.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/ui/app.js" defer></script>');
    expect(html).not.toMatch(/https?:\/\/(?!127)/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(new URL('/ui/app.js', lab.api.url));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    // The script parses: a syntax error would leave the page blank.
    const source = await script.text();
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled, never run
    expect(() => new Function(source)).not.toThrow();
    expect((await fetch(new URL('/ui/style.css', lab.api.url))).status).toBe(200);
  });
});

describe('the HTTP API with a token', () => {
  let lab: ApiLab;
  beforeAll(async () => {
    lab = await startApiLab({ token: TOKEN });
  });
  afterAll(() => lab.close());

  it('answers /healthz without the token and everything else only with it', async () => {
    expect((await fetch(new URL('/healthz', lab.api.url))).status).toBe(200);
    for (const path of ['/readyz', '/api/devices', `/api/devices/${R1}`, '/metrics']) {
      const response = await getJson(lab, path);
      expect(response.status, path).toBe(401);
      expect(response.body.error).toBe('unauthorized');
    }
    const wrong = await fetch(new URL('/api/devices', lab.api.url), {
      headers: { Authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    const right = await fetch(new URL('/api/devices', lab.api.url), {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(right.status).toBe(200);
    const post = await fetch(new URL('/api/devices/edge-1/backup', lab.api.url), {
      method: 'POST',
    });
    expect(post.status).toBe(401);
  });

  it('asks a browser for the token and lets it in with a session cookie after the login', async () => {
    const page = await fetch(lab.api.url);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('<form method="post" action="/login">');
    const refused = await fetch(new URL('/login', lab.api.url), {
      method: 'POST',
      body: new URLSearchParams({ token: 'wrong-token-wrong-token' }),
      redirect: 'manual',
    });
    expect(refused.status).toBe(401);
    const login = await fetch(new URL('/login', lab.api.url), {
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^confsnap_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    const api = await fetch(new URL('/api/devices', lab.api.url), { headers: { Cookie: session } });
    expect(api.status).toBe(200);
    const forged = await fetch(new URL('/api/devices', lab.api.url), {
      headers: { Cookie: 'confsnap_session=forged' },
    });
    expect(forged.status).toBe(401);
  });
});

describe('the bind and token rules', () => {
  it('refuses an address beyond loopback without a token, naming the variable', () => {
    const rule = AccessRule.for('0.0.0.0', undefined, 'MY_TOKEN');
    expect(typeof rule).toBe('string');
    expect(rule).toContain('MY_TOKEN holds no token');
    expect(AccessRule.for('192.0.2.10', '   ', 'MY_TOKEN')).toMatch(/reachable beyond/);
  });

  it('refuses a token shorter than 16 characters', () => {
    expect(AccessRule.for('127.0.0.1', 'short', 'T')).toMatch(/too short \(5 characters\)/);
  });

  it('needs no token on loopback, and the token wherever one is given', () => {
    const open = AccessRule.for('::1', undefined, 'T') as AccessRule;
    expect(open.tokenRequired).toBe(false);
    expect(open.allows(undefined, undefined)).toBe(true);
    const guarded = AccessRule.for('0.0.0.0', TOKEN, 'T') as AccessRule;
    expect(guarded.allows(undefined, undefined)).toBe(false);
    expect(guarded.allows(`Bearer ${TOKEN}`, undefined)).toBe(true);
    expect(guarded.allows(`Basic ${TOKEN}`, undefined)).toBe(false);
  });

  it('tells loopback addresses from others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('parses PORT, HOST:PORT and [IPv6]:PORT, and says what is wrong otherwise', () => {
    expect(parseHttpAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseHttpAddress('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseHttpAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseHttpAddress('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    expect(parseHttpAddress('::1:80')).toMatch(/in brackets/);
    expect(parseHttpAddress('example.com:80')).toMatch(/not an IP address or localhost/);
    expect(parseHttpAddress('70000')).toMatch(/not a port/);
    expect(parseHttpAddress('[10.0.0.1]:80')).toMatch(/not an IPv6 address/);
  });
});

describe('ConfigHistory', () => {
  it('says versions need --git when the output directory is no git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confsnap-nogit-'));
    try {
      const history = new ConfigHistory(dir);
      const error = await history.versions('r1', 10).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HistoryError);
      expect(error).toMatchObject({ status: 409 });
      expect((error as Error).message).toContain('confsnap run --git');
      expect(await history.latest('r1')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
