import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import {
  InventoryError,
  loadInventory,
  loadInventoryCollectors,
  parseInventory,
  type Inventory,
  type InventoryProblem,
  type LoadInventoryOptions,
} from './inventory.js';
import type { CollectorRegistry } from '../index.js';
import { vendorOfModel } from './inventory/oxidized.js';
import { closestNames, MODEL_VENDORS } from './models.js';

/** How long one page may take unless `source.timeout_ms` says otherwise. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
/** The most pages followed through `next` links unless `source.max_pages` says otherwise. */
export const DEFAULT_HTTP_MAX_PAGES = 100;
/** The most response bytes read, all pages together, unless `source.max_bytes` says otherwise. */
export const DEFAULT_HTTP_MAX_BYTES = 50 * 1024 * 1024;

/** The `source:` of an inventory file that takes its devices from an HTTP JSON API. */
export interface HttpSourceSpec {
  /** The first page, `http://` or `https://`. */
  readonly url: string;
  /** Name of the environment variable that holds the API token. */
  readonly tokenEnv?: string;
  /** What precedes the token in `Authorization:` — `Bearer` (default), or `Token` for NetBox v1 tokens. */
  readonly tokenScheme: string;
  /** Absolute path of a PEM file of the CA(s) to trust instead of the system's. */
  readonly caFile?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxPages: number;
  readonly maxBytes: number;
  /** Dotted path of the record list in each page; absent: `results` of an object, or the page itself. */
  readonly hostsLocation?: string;
  /** Dotted path of the next page's URL in each page (NetBox: `next`); `false` for no paging. */
  readonly pagination: string | false;
  /**
   * Inventory field (`name`, `ip`, `model`; `group`, the name of an entry of the file's `groups:`,
   * when mapped) → dotted path in a record.
   */
  readonly map: Readonly<Record<'name' | 'ip' | 'model', string>> & { readonly group?: string };
  /**
   * More inventory fields (`port`, `tenant`, `version`, `username`, …; `vars.NAME` for one of the
   * device's free-form vars) → dotted path in a record.
   */
  readonly varsMap: Readonly<Record<string, string>>;
}

/** An inventory and what was left out of it: one line per record that could not be used. */
export interface LoadedInventory {
  readonly inventory: Inventory;
  /** `https://nb/api/dcim/devices/ record 4 (sw-9): model "foo" is not known …` — never a secret. */
  readonly skipped: readonly string[];
}

/** Options of {@link loadInventoryWithSources}. */
export interface LoadSourcesOptions extends Pick<
  LoadInventoryOptions,
  'format' | 'collectorFiles'
> {
  readonly cwd?: string;
  /** Where `source.token_env` is read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

/**
 * Reads an inventory file; when it has a `source: { type: http, … }`, fetches its devices from
 * that JSON API (every page, through `next` links) and adds them to the file's own `devices`, with
 * the file's `defaults` and `jump_hosts`. A record that cannot be used (no name, no address, an
 * unknown model, a field the inventory refuses) is left out and named in `skipped`; the others
 * are used. Without `source:` this is {@link loadInventory}.
 *
 * @throws {InventoryError} for a bad `source:`, an unreachable or refusing API, a page that is not
 *   JSON, too many pages or bytes — never with the token in it.
 * @example
 * ```yaml
 * defaults: { username: backup, password_env: ROUTER_PASSWORD }
 * source:
 *   type: http
 *   url: https://netbox.example.net/api/dcim/devices/?status=active
 *   token_env: NETBOX_TOKEN
 *   map: { name: name, ip: primary_ip.address, model: platform.slug }
 * ```
 */
export async function loadInventoryWithSources(
  file: string,
  options: LoadSourcesOptions,
): Promise<LoadedInventory> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const shown = displayPath(path, options.cwd);
  const { format, collectorFiles } = options;
  const own = (): Promise<LoadedInventory> =>
    loadInventory(file, {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(format === undefined ? {} : { format }),
      ...(collectorFiles === undefined ? {} : { collectorFiles }),
    }).then((inventory) => ({ inventory, skipped: [] }));
  // An Oxidized router.db (`--format oxidized`, a .db file, or YAML with `format: oxidized` and
  // its `source:` file) is the inventory loader's; only `source: { type: http }` is fetched here.
  if (format === 'oxidized' || extname(path) === '.db') return own();
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const root = text === undefined ? undefined : plainRoot(text);
  if (root === undefined || !Object.hasOwn(root, 'source') || root.format === 'oxidized') {
    return own();
  }
  const spec = parseHttpSource(root.source, shown, dirname(path));
  // The file's `collectors:` and `--collector`: records are checked against these vendors too.
  const collectors = await loadInventoryCollectors(root, file, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(collectorFiles === undefined ? {} : { collectorFiles }),
  });
  const records = await fetchRecords(spec, shown, options);
  const { source: _source, ...rest } = root;
  const base = {
    ...rest,
    devices: Array.isArray(rest.devices) ? (rest.devices as unknown[]) : [],
  };
  // Without the query: some APIs take a key there (`?api_key=…`).
  const listUrl = `${new URL(spec.url).origin}${new URL(spec.url).pathname}`;
  const skipped: string[] = [];
  const accepted: Record<string, unknown>[] = [];
  const seen = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const label = `${listUrl} record ${index + 1}`;
    const mapped = mapRecord(record, spec, collectors);
    if (typeof mapped === 'string') {
      skipped.push(mapped.startsWith('(') ? `${label} ${mapped}` : `${label}: ${mapped}`);
      continue;
    }
    const id = mapped.id as string;
    const first = seen.get(id);
    if (first !== undefined) {
      skipped.push(`${label} (${id}): the same name as record ${first + 1}; only that one is used`);
      continue;
    }
    // Each record is checked with the file's defaults on its own, so that one bad record names
    // itself and leaves the others alone.
    try {
      parseInventory(JSON.stringify({ ...base, devices: [mapped] }), {
        file: path,
        shownFile: shown,
        collectors,
      });
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      const own = error.problems.filter((problem) => problem.position?.startsWith('devices['));
      if (own.length === 0) throw error; // the file itself is wrong, not the record
      const reasons = own.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ');
      skipped.push(`${label} (${id}): ${reasons}`);
      continue;
    }
    seen.set(id, index);
    accepted.push(mapped);
  }
  if (base.devices.length === 0 && accepted.length === 0) {
    // Said of the source, with each record's reason: "devices: is empty" would point at the file.
    throw new InventoryError([
      {
        file: shown,
        field: 'source.url',
        message:
          records.length === 0
            ? `${listUrl} lists no devices, and the file has none of its own; check the URL's filters`
            : `${listUrl} lists ${records.length} record${records.length === 1 ? '' : 's'}, none of which can be used:`,
      },
      ...skipped.map((line) => ({ file: shown, message: `  ${line}` })),
    ]);
  }
  const inventory = parseInventory(
    JSON.stringify({ ...base, devices: [...base.devices, ...accepted] }),
    { file: path, shownFile: shown, collectors },
  );
  return { inventory, skipped };
}

/** The file's top level as plain data (strings kept as written), or undefined when unreadable. */
function plainRoot(text: string): Record<string, unknown> | undefined {
  try {
    const trimmed = text.trimStart();
    const value: unknown = trimmed.startsWith('{')
      ? JSON.parse(text)
      : parseDocument(text, { schema: 'failsafe', prettyErrors: false }).toJS();
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    // loadInventory reports the syntax error with its line.
    return undefined;
  }
}

const SOURCE_FIELDS = new Set([
  'type',
  'url',
  'token_env',
  'token_scheme',
  'ca_file',
  'headers',
  'timeout_ms',
  'max_pages',
  'max_bytes',
  'hosts_location',
  'pagination',
  'map',
  'vars_map',
]);
/** Inventory fields a `vars_map` may fill; secrets are named by variables, never taken from the API. */
const VARS_FIELDS = new Set([
  'port',
  'tenant',
  'version',
  'username',
  'password_env',
  'password_file',
  'private_key_file',
  'passphrase_env',
  'enable_secret_env',
  'vendor',
  'via',
  'transport',
]);

/**
 * Validates an inventory's `source:`; relative `ca_file` paths are resolved against `baseDir`.
 *
 * @throws {InventoryError} naming each bad field (`source.url`, `source.map.ip`, …).
 */
export function parseHttpSource(value: unknown, shown: string, baseDir: string): HttpSourceSpec {
  const problems: InventoryProblem[] = [];
  const report = (field: string, message: string): void => {
    problems.push({ file: shown, field: `source.${field}`, message });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InventoryError([
      { file: shown, field: 'source', message: 'must be a mapping: { type: http, url: … }' },
    ]);
  }
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!SOURCE_FIELDS.has(key)) {
      report(key, `unknown field; the fields are ${[...SOURCE_FIELDS].join(', ')}`);
    }
  }
  if (source.type !== 'http') report('type', 'must be "http" (the only source type)');
  const text = (field: string): string | undefined => {
    const v = source[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      report(field, 'must be a non-empty string');
      return undefined;
    }
    return v.trim();
  };
  const whole = (field: string, fallback: number, max: number): number => {
    const v = source[field];
    if (v === undefined) return fallback;
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > max) {
      report(field, `must be a whole number from 1 to ${max}`);
      return fallback;
    }
    return n;
  };
  const url = text('url');
  let parsedUrl: URL | undefined;
  if (url === undefined) {
    if (source.url === undefined) report('url', 'is required: the first page of the device list');
  } else {
    try {
      parsedUrl = new URL(url);
      if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') {
        report('url', 'must start with https:// (or http://)');
      } else if (parsedUrl.username !== '' || parsedUrl.password !== '') {
        report('url', 'must not hold a user or password; put the token in token_env');
      }
    } catch {
      report('url', 'is not a URL; write it as https://host/path');
    }
  }
  const tokenEnv = text('token_env');
  if (tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
    report('token_env', 'must be the name of an environment variable, e.g. NETBOX_TOKEN');
  }
  if (
    tokenEnv !== undefined &&
    parsedUrl?.protocol === 'http:' &&
    !isLoopback(parsedUrl.hostname)
  ) {
    report('url', 'is http://: the token would cross the network in clear text; use https://');
  }
  const tokenScheme = text('token_scheme') ?? 'Bearer';
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(tokenScheme)) {
    report('token_scheme', 'must be one word, e.g. Bearer or Token');
  }
  const caText = text('ca_file');
  const headers = stringMap(source.headers, 'headers', report);
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization') {
      report(
        `headers.${name}`,
        'is refused: a secret does not belong in the inventory; use token_env',
      );
    }
  }
  const map = stringMap(source.map, 'map', report);
  for (const key of Object.keys(map)) {
    if (!['name', 'ip', 'model', 'group'].includes(key)) {
      report(
        `map.${key}`,
        `unknown field; map takes name, ip, model and group${VARS_FIELDS.has(key) ? ` (put ${key} in vars_map)` : ''}`,
      );
    }
  }
  const varsMap = stringMap(source.vars_map, 'vars_map', report);
  for (const key of Object.keys(varsMap)) {
    const varName = /^vars\.(.+)$/.exec(key)?.[1];
    if (varName !== undefined) {
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(varName)) {
        report(`vars_map.${key}`, 'a var name is letters, digits, _ and -');
      }
    } else if (!VARS_FIELDS.has(key)) {
      report(
        `vars_map.${key}`,
        `unknown field; vars_map takes ${[...VARS_FIELDS].join(', ')}, or vars.NAME for a free-form var`,
      );
    }
  }
  const pagination =
    source.pagination === false || source.pagination === 'false'
      ? false
      : (text('pagination') ?? 'next');
  if (problems.length > 0) throw new InventoryError(problems);
  return {
    url: url!,
    ...(tokenEnv === undefined ? {} : { tokenEnv }),
    tokenScheme,
    ...(caText === undefined ? {} : { caFile: resolve(baseDir, caText) }),
    headers,
    timeoutMs: whole('timeout_ms', DEFAULT_HTTP_TIMEOUT_MS, 600_000),
    maxPages: whole('max_pages', DEFAULT_HTTP_MAX_PAGES, 100_000),
    maxBytes: whole('max_bytes', DEFAULT_HTTP_MAX_BYTES, 1024 * 1024 * 1024),
    ...(source.hosts_location === undefined ? {} : { hostsLocation: text('hosts_location') }),
    pagination,
    map: {
      name: map.name ?? 'name',
      ip: map.ip ?? 'ip',
      model: map.model ?? 'model',
      ...(map.group === undefined ? {} : { group: map.group }),
    },
    varsMap,
  };
}

function stringMap(
  value: unknown,
  field: string,
  report: (field: string, message: string) => void,
): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    report(field, 'must be a mapping of names to strings');
    return {};
  }
  const result: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.trim() === '') report(`${field}.${key}`, 'must be a string');
    else result[key] = v.trim();
  }
  return result;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

/** Every record of every page, following the pagination links within the source's origin. */
async function fetchRecords(
  spec: HttpSourceSpec,
  shown: string,
  options: LoadSourcesOptions,
): Promise<unknown[]> {
  const fail = (message: string, field = 'url'): never => {
    throw new InventoryError([{ file: shown, field: `source.${field}`, message }]);
  };
  let token: string | undefined;
  if (spec.tokenEnv !== undefined) {
    token = options.env[spec.tokenEnv];
    if (token === undefined || token === '') {
      fail(`$${spec.tokenEnv} is not set; export the API token in it`, 'token_env');
    }
  }
  let ca: Buffer | undefined;
  if (spec.caFile !== undefined) {
    ca = await readFile(spec.caFile).catch(() =>
      fail(`${spec.caFile} cannot be read; give a PEM file of the CA`, 'ca_file'),
    );
  }
  const origin = new URL(spec.url).origin;
  const records: unknown[] = [];
  let bytesLeft = spec.maxBytes;
  let next: string | undefined = spec.url;
  const visited = new Set<string>();
  for (let page = 1; next !== undefined; page++) {
    if (page > spec.maxPages) {
      fail(`more than ${spec.maxPages} pages; raise source.max_pages or filter the URL`);
    }
    const pageUrl: URL = new URL(next);
    // The token goes only where the user sent it: a `next` link elsewhere is refused.
    if (pageUrl.origin !== origin) {
      fail(
        `page ${page - 1} links to another site (${pageUrl.origin}); only ${origin} is followed`,
      );
    }
    if (visited.has(pageUrl.href)) fail(`page ${page - 1} links back to an earlier page`);
    visited.add(pageUrl.href);
    const shownUrl = `${pageUrl.origin}${pageUrl.pathname}`;
    const body = await getPage(pageUrl, spec, token, ca, bytesLeft, options.signal).catch(
      (error: unknown) =>
        fail(`${shownUrl}: ${error instanceof Error ? error.message : String(error)}`),
    );
    bytesLeft -= body.bytes;
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      fail(`${shownUrl} (page ${page}) did not answer JSON`);
    }
    const list =
      spec.hostsLocation !== undefined
        ? valueAt(json, spec.hostsLocation)
        : Array.isArray(json)
          ? json
          : valueAt(json, 'results');
    if (!Array.isArray(list)) {
      fail(
        `${shownUrl} (page ${page}) has no list of devices at ${spec.hostsLocation ?? 'results'}; set source.hosts_location`,
        'hosts_location',
      );
    }
    records.push(...(list as unknown[]));
    const link = spec.pagination === false ? undefined : valueAt(json, spec.pagination);
    if (link === undefined || link === null || link === '') next = undefined;
    else if (typeof link === 'string') next = new URL(link, pageUrl).href;
    else fail(`${shownUrl} (page ${page}): ${String(spec.pagination)} is not a URL`, 'pagination');
  }
  return records;
}

/** One GET, bounded in time and size. Rejects with a message that holds no token. */
function getPage(
  url: URL,
  spec: HttpSourceSpec,
  token: string | undefined,
  ca: Buffer | undefined,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<{ text: string; bytes: number }> {
  // node:https rather than fetch: fetch takes no CA of its own without the undici package, and
  // certificates are verified either way (rejectUnauthorized stays on; there is no option to
  // turn it off).
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...spec.headers,
    ...(token === undefined ? {} : { Authorization: `${spec.tokenScheme} ${token}` }),
  };
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, page?: { text: string; bytes: number }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Destroyed without an error: the outcome is reported here, not as a stream error.
      request.destroy();
      if (error) reject(error);
      else resolvePromise(page!);
    };
    const request = client.request(url, {
      method: 'GET',
      headers,
      ...(ca === undefined ? {} : { ca }),
      rejectUnauthorized: true,
      ...(signal === undefined ? {} : { signal }),
    });
    const timer = setTimeout(() => {
      settle(new Error(`no complete answer within ${spec.timeoutMs} ms (source.timeout_ms)`));
    }, spec.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      settle(new Error(describeRequestError(error)));
    });
    request.on('response', (response) => {
      response.on('error', (error) => settle(new Error(describeRequestError(error))));
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        settle(
          new Error(
            status === 401 || status === 403
              ? `refused with HTTP ${status}; check the token in source.token_env (and source.token_scheme)`
              : `answered HTTP ${status}`,
          ),
        );
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          settle(new Error(`the answers exceed ${spec.maxBytes} bytes (source.max_bytes)`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        settle(undefined, { text: Buffer.concat(chunks).toString('utf8'), bytes });
      });
    });
    request.end();
  });
}

function describeRequestError(error: NodeJS.ErrnoException): string {
  if (error.name === 'AbortError') return 'interrupted';
  const code = error.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `its TLS certificate is not trusted (${code}); give its CA in source.ca_file`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host name not found';
  return error.message;
}

/** The value at a dotted path (`primary_ip.address`, `custom_fields.ssh_port`, `tags.0.slug`). */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * A record as an inventory device entry, or why it cannot be one. A model is a name of the model
 * table or the id of one of `collectors` (built-in or custom).
 */
function mapRecord(
  record: unknown,
  spec: HttpSourceSpec,
  collectors: CollectorRegistry,
): Record<string, unknown> | string {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return 'is not a JSON object';
  }
  const name = scalar(valueAt(record, spec.map.name));
  if (name === undefined) return `has no name at ${spec.map.name} (source.map.name)`;
  const ipValue = scalar(valueAt(record, spec.map.ip));
  if (ipValue === undefined) {
    return `(${name}) has no address at ${spec.map.ip} (source.map.ip); give it one or map ip to another field`;
  }
  // NetBox gives addresses with their prefix length: 192.0.2.1/24.
  const host = ipValue.replace(/\/\d{1,3}$/, '');
  const entry: Record<string, unknown> = { id: name, host };
  const vars: Record<string, string> = {};
  for (const [field, path] of Object.entries(spec.varsMap)) {
    const v = scalar(valueAt(record, path));
    if (v === undefined) continue;
    if (field.startsWith('vars.')) vars[field.slice('vars.'.length)] = v;
    else entry[field] = field === 'port' && /^\d+$/.test(v) ? Number(v) : v;
  }
  if (Object.keys(vars).length > 0) entry.vars = vars;
  if (spec.map.group !== undefined) {
    // No group in the record: the file's defaults alone apply.
    const group = scalar(valueAt(record, spec.map.group));
    if (group !== undefined) entry.group = group;
  }
  const model = scalar(valueAt(record, spec.map.model));
  if (model !== undefined) {
    const vendors = collectors.vendors();
    const vendor = vendorOfModel(model, vendors);
    if (vendor === undefined) {
      const closest = closestNames(model, [...Object.keys(MODEL_VENDORS), ...vendors]);
      return `(${name}) model "${model.slice(0, 60)}" is not known${closest.length > 0 ? `; closest: ${closest.join(', ')}` : ''} (see the model table in docs/cli.md)`;
    }
    entry.vendor ??= vendor;
  }
  return entry;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function displayPath(path: string, cwd: string | undefined): string {
  if (cwd === undefined) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
