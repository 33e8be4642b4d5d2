import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { bodyLimit } from 'hono/body-limit';
import type { AttemptOutcome, BackupScheduler, DeviceState, DeviceStatus } from '../../index.js';
import { isValidDeviceId } from '../../scheduler/validate.js';
import { isExpectedHost, SESSION_COOKIE, type AccessRule } from './auth.js';
import { HistoryError, REVISION_PATTERN, type ConfigHistory } from './history.js';
import { APP_JS } from './ui/app-js.js';
import { indexPage, loginPage } from './ui/pages.js';
import { STYLE_CSS } from './ui/style-css.js';

/** What `GET /metrics` serves: the text a Prometheus registry renders. */
export interface MetricsText {
  readonly contentType: string;
  readonly body: string;
}

/** What `POST /api/reload` came to. */
export interface ReloadResult {
  readonly ok: boolean;
  /** The devices scheduled after the reload. */
  readonly devices: number;
  /** When not `ok`: why the inventory was not used (the last good one is kept). */
  readonly problems?: readonly string[];
  /** Devices whose secrets cannot be read now (each is skipped until fixed). */
  readonly warnings?: readonly string[];
}

/** What the HTTP API serves and acts on. */
export interface HttpApiOptions {
  /** The scheduler of `confsnap run`. */
  readonly scheduler: Pick<BackupScheduler, 'status' | 'trigger'>;
  /** The configs and their versions in the output directory. */
  readonly history: ConfigHistory;
  /** Who may call the API. */
  readonly access: AccessRule;
  /** The address the server listens on (a `Host` header may name it). */
  readonly listenHost: string;
  /** The inventory group of a device (`group:`), if it has one. */
  readonly groupOf?: (deviceId: string) => string | undefined;
  /** What to do about a device's last error, in the CLI's words. */
  readonly adviceFor?: (
    deviceId: string,
    failure: Pick<AttemptOutcome, 'kind' | 'message' | 'jumpHost' | 'stage'>,
  ) => string | undefined;
  /** Re-reads the inventory now, as SIGHUP does. Absent: `POST /api/reload` is a 404. */
  readonly reload?: () => Promise<ReloadResult>;
  /** The Prometheus text of `GET /metrics`. Absent: a 404 saying so. */
  readonly metrics?: () => Promise<MetricsText>;
  /** Why the process is not ready (starting, stopping), or `undefined` when it is. */
  readonly notReady?: () => string | undefined;
  /** How often the web UI polls the device list, in ms. Default 5000. */
  readonly uiRefreshMs?: number;
}

const DEVICE_STATES: readonly DeviceState[] = [
  'idle',
  'waiting',
  'running',
  'backoff',
  'blocked',
  'offline',
];
const MAX_FILTER_LENGTH = 255;
const DEFAULT_VERSIONS_LIMIT = 100;
const MAX_VERSIONS_LIMIT = 1_000;

/** A device as the API shows it. */
export interface DeviceView {
  id: string;
  vendor: string;
  group: string | null;
  tenantId: string | null;
  transport: string;
  state: DeviceState;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  nextAttemptAt: string | null;
  consecutiveFailures: number;
  lastSha256: string | null;
  lastError: { kind: string | null; message: string | null; advice: string | null } | null;
}

type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unavailable'
  | 'internal';

/** A JSON error: `{ error, message }`. */
function problem(c: Context, status: number, error: ErrorCode, message: string): Response {
  return c.json({ error, message }, status as 400);
}

class BadRequest extends Error {}

/** The parts of hono the API is built of: loaded only when `--http` is given. */
export interface HonoModules {
  readonly Hono: typeof Hono;
  readonly bodyLimit: typeof bodyLimit;
}

/** The largest request body taken (the login form); no route needs more. */
const MAX_BODY_BYTES = 8 * 1024;

/**
 * The routes of `confsnap run --http` on a new hono app. Every parameter is checked; an unknown
 * device is a 404 with a JSON body.
 */
export function buildHttpApp(hono: HonoModules, options: HttpApiOptions): Hono {
  const app = new hono.Hono({ strict: true });
  const { scheduler, history, access } = options;

  app.use('*', securityHeaders());
  app.use('*', guard(options));
  app.use(
    '*',
    hono.bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        problem(c, 413, 'bad-request', `the request body is over ${MAX_BODY_BYTES} bytes`),
    }),
  );

  app.onError((error, c) => {
    if (error instanceof BadRequest) return problem(c, 400, 'bad-request', error.message);
    if (error instanceof HistoryError) {
      return problem(
        c,
        error.status,
        error.status === 404 ? 'not-found' : 'conflict',
        error.message,
      );
    }
    // The message may name a path or a git failure; never a secret or config text.
    return problem(c, 500, 'internal', `internal error: ${error.message}`);
  });
  app.notFound((c) => problem(c, 404, 'not-found', `no route ${c.req.method} ${c.req.path}`));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const reason = options.notReady?.();
    return reason === undefined
      ? c.json({ status: 'ready' })
      : c.json({ status: 'not-ready', message: reason }, 503);
  });
  app.get('/metrics', async (c) => {
    noQuery(c);
    if (!options.metrics) {
      return problem(c, 404, 'not-found', 'metrics are not enabled in this confsnap run');
    }
    let metrics: MetricsText;
    try {
      metrics = await options.metrics();
    } catch (error) {
      return problem(
        c,
        503,
        'unavailable',
        `the metrics could not be collected: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return c.body(metrics.body, 200, { 'Content-Type': metrics.contentType });
  });

  app.get('/api/devices', (c) => {
    const query = queryOf(c, ['state', 'vendor', 'group']);
    const states = query.state === undefined ? undefined : parseStates(query.state);
    const vendor = filterValue('vendor', query.vendor);
    const group = filterValue('group', query.group);
    const devices = scheduler
      .status()
      .map((status) => viewOf(status, options))
      .filter(
        (device) =>
          (states === undefined || states.has(device.state)) &&
          (vendor === undefined || device.vendor === vendor) &&
          (group === undefined || device.group === group),
      )
      .sort((a, b) => a.id.localeCompare(b.id));
    return c.json({ devices, generatedAt: new Date().toISOString() });
  });

  app.get('/api/devices/:id', (c) => {
    noQuery(c);
    const status = deviceOf(c, scheduler);
    return status instanceof Response ? status : c.json(viewOf(status, options));
  });

  app.get('/api/devices/:id/config', async (c) => {
    noQuery(c);
    const status = deviceOf(c, scheduler);
    if (status instanceof Response) return status;
    const text = await history.latest(status.deviceId);
    if (text === undefined) {
      return problem(
        c,
        404,
        'not-found',
        `device "${status.deviceId}" has no config yet: it has not been backed up successfully`,
      );
    }
    return c.text(text);
  });

  app.get('/api/devices/:id/versions', async (c) => {
    const query = queryOf(c, ['limit']);
    const limit = limitOf(query.limit);
    const status = deviceOf(c, scheduler);
    if (status instanceof Response) return status;
    const versions = await history.versions(status.deviceId, limit, c.req.raw.signal);
    return c.json({ deviceId: status.deviceId, versions });
  });

  app.get('/api/devices/:id/versions/:rev', async (c) => {
    noQuery(c);
    const rev = revisionOf('rev', c.req.param('rev'));
    const status = deviceOf(c, scheduler);
    if (status instanceof Response) return status;
    return c.text(await history.at(status.deviceId, rev, c.req.raw.signal));
  });

  app.get('/api/devices/:id/diff', async (c) => {
    const query = queryOf(c, ['from', 'to']);
    const from = query.from === undefined ? undefined : revisionOf('from', query.from);
    const to = query.to === undefined ? undefined : revisionOf('to', query.to);
    const status = deviceOf(c, scheduler);
    if (status instanceof Response) return status;
    const id = status.deviceId;
    let fromRev = from;
    let toRev = to;
    if (fromRev === undefined || toRev === undefined) {
      const latest = await history.versions(id, 2, c.req.raw.signal);
      toRev ??= latest[0]?.rev;
      fromRev ??= latest[1]?.rev;
      if (toRev === undefined || fromRev === undefined) {
        return problem(
          c,
          404,
          'not-found',
          `device "${id}" has ${latest.length === 0 ? 'no committed version' : 'one committed version'} yet: nothing to compare`,
        );
      }
    }
    const [fromCommit, toCommit] = [
      await history.resolve(fromRev, c.req.raw.signal),
      await history.resolve(toRev, c.req.raw.signal),
    ];
    const unified = await history.diff(id, fromCommit, toCommit, c.req.raw.signal);
    return c.json({
      deviceId: id,
      from: fromCommit,
      to: toCommit,
      identical: unified === '',
      unified,
    });
  });

  app.post('/api/devices/:id/backup', async (c) => {
    noQuery(c);
    const status = deviceOf(c, scheduler);
    if (status instanceof Response) return status;
    const outcome = await scheduler.trigger(status.deviceId, { signal: c.req.raw.signal });
    const advice =
      outcome.status === 'failed' ? (options.adviceFor?.(status.deviceId, outcome) ?? null) : null;
    return c.json({ deviceId: status.deviceId, outcome: { ...outcome, advice } });
  });

  app.post('/api/reload', async (c) => {
    noQuery(c);
    if (!options.reload) return problem(c, 404, 'not-found', 'reload is not available here');
    const result = await options.reload();
    return c.json(result, result.ok ? 200 : 422);
  });

  // The web UI: one page, its script and its stylesheet, all served from here.
  app.get('/', (c) => {
    noQuery(c);
    return c.html(indexPage({ refreshMs: options.uiRefreshMs ?? 5_000 }));
  });
  app.get('/ui/app.js', (c) =>
    c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/ui/style.css', (c) =>
    c.body(STYLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );
  app.post('/login', async (c) => {
    if (!access.tokenRequired) return c.redirect('/', 303);
    const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    if (!access.matches(token)) return c.html(loginPage('That token is not the right one.'), 401);
    c.header(
      'Set-Cookie',
      `${SESSION_COOKIE}=${access.sessionValue!}; Path=/; HttpOnly; SameSite=Strict`,
    );
    return c.redirect('/', 303);
  });

  return app;
}

function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    // Nothing is fetched from anywhere but this server; no inline script or style.
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
  };
}

/**
 * The checks before any route but `/healthz`: the `Host` header (without a token), the `Origin` of
 * a change (no other site may trigger backups through a browser), then the token.
 */
function guard(options: HttpApiOptions): MiddlewareHandler {
  const { access, listenHost } = options;
  return async (c, next) => {
    if (c.req.path === '/healthz') return next();
    if (!access.tokenRequired && !isExpectedHost(c.req.header('host'), listenHost)) {
      return problem(
        c,
        403,
        'forbidden',
        'this server answers requests to its loopback address only (Host header refused)',
      );
    }
    const origin = c.req.header('origin');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && origin !== undefined) {
      // Behind a reverse proxy the page's origin is the proxy's host. A cross-site request cannot
      // carry X-Forwarded-Host without a CORS preflight, which this server never grants.
      const hosts = [c.req.header('host'), c.req.header('x-forwarded-host')?.split(',')[0]?.trim()];
      if (
        !hosts.some((host) => host && (origin === `http://${host}` || origin === `https://${host}`))
      ) {
        return problem(c, 403, 'forbidden', `requests from ${origin} may not change anything here`);
      }
    }
    if (c.req.path === '/login' && c.req.method === 'POST') return next();
    if (access.allows(c.req.header('authorization'), c.req.header('cookie'))) return next();
    const wantsPage =
      c.req.method === 'GET' &&
      !c.req.path.startsWith('/api/') &&
      c.req.path !== '/metrics' &&
      c.req.path !== '/readyz';
    c.header('WWW-Authenticate', 'Bearer realm="confsnap"');
    if (wantsPage) return c.html(loginPage(), 401);
    return problem(
      c,
      401,
      'unauthorized',
      'send the token as Authorization: Bearer TOKEN (the value of the token variable of confsnap run --http)',
    );
  };
}

function queryOf(c: Context, allowed: readonly string[]): Record<string, string | undefined> {
  const url = new URL(c.req.url);
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name)) {
      throw new BadRequest(
        allowed.length === 0
          ? `unknown parameter "${name}": this route takes none`
          : `unknown parameter "${name}"; this route takes ${allowed.join(', ')}`,
      );
    }
    if (values[name] !== undefined) throw new BadRequest(`parameter "${name}" is given twice`);
    values[name] = value;
  }
  return values;
}

function noQuery(c: Context): void {
  queryOf(c, []);
}

function parseStates(text: string): Set<DeviceState> {
  const states = new Set<DeviceState>();
  for (const part of text.split(',')) {
    const state = part.trim() as DeviceState;
    if (!DEVICE_STATES.includes(state)) {
      throw new BadRequest(
        `state "${part}" is not one of ${DEVICE_STATES.join(', ')} (several: state=blocked,backoff)`,
      );
    }
    states.add(state);
  }
  return states;
}

function filterValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value.length > MAX_FILTER_LENGTH || /\p{Cc}/u.test(value)) {
    throw new BadRequest(
      `${name} must be 1-${MAX_FILTER_LENGTH} characters without control characters`,
    );
  }
  return value;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_VERSIONS_LIMIT;
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= MAX_VERSIONS_LIMIT)) {
    throw new BadRequest(`limit must be a whole number from 1 to ${MAX_VERSIONS_LIMIT}`);
  }
  return limit;
}

function revisionOf(name: string, value: string): string {
  if (!REVISION_PATTERN.test(value)) {
    throw new BadRequest(
      `${name} must be a commit hash (4-64 hex digits), as /versions lists them`,
    );
  }
  return value.toLowerCase();
}

/** The device the route's `:id` names, or the 400/404 response to send. */
function deviceOf(c: Context, scheduler: Pick<BackupScheduler, 'status'>): DeviceStatus | Response {
  const id = c.req.param('id');
  if (id === undefined || !isValidDeviceId(id)) {
    throw new BadRequest(
      'the device id must be 1-255 UTF-8 bytes without control characters, URL-encoded',
    );
  }
  const status = scheduler.status(id);
  return status ?? problem(c, 404, 'not-found', `no device "${id}" in the inventory`);
}

function viewOf(status: DeviceStatus, options: HttpApiOptions): DeviceView {
  const failed = status.lastErrorKind !== undefined || status.lastErrorMessage !== undefined;
  return {
    id: status.deviceId,
    vendor: status.vendor,
    group: options.groupOf?.(status.deviceId) ?? null,
    tenantId: status.tenantId ?? null,
    transport: status.transport,
    state: status.state,
    lastAttemptAt: status.lastAttemptAt?.toISOString() ?? null,
    lastSuccessAt: status.lastSuccessAt?.toISOString() ?? null,
    nextAttemptAt: status.nextAttemptAt?.toISOString() ?? null,
    consecutiveFailures: status.consecutiveFailures,
    lastSha256: status.lastSha256 ?? null,
    lastError: failed
      ? {
          kind: status.lastErrorKind ?? null,
          message: status.lastErrorMessage ?? null,
          advice:
            options.adviceFor?.(status.deviceId, {
              ...(status.lastErrorKind === undefined ? {} : { kind: status.lastErrorKind }),
              ...(status.lastErrorMessage === undefined
                ? {}
                : { message: status.lastErrorMessage }),
            }) ?? null,
        }
      : null,
  };
}
