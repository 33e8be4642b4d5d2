/**
 * The `hooks:` section of an inventory: webhooks and commands told about changes, failures,
 * blocks, recoveries and finished runs. Secrets (a webhook URL with a token, an authorization
 * header) are named by environment variable, never written in the file.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../hooks/notification.js';
import { parseDuration } from '../args.js';

/** One webhook of `hooks.webhooks`. */
export interface WebhookSpec {
  /** The URL as written (`url:`), or absent when it is read from `urlEnv`. */
  readonly url?: string;
  /** The environment variable holding the URL (`url_env:`). */
  readonly urlEnv?: string;
  readonly events?: readonly NotificationEvent[];
  /** Header values written in the file (`headers:`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Header name → the environment variable holding its value (`headers_env:`). */
  readonly headersEnv: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** One command of `hooks.execs`. */
export interface ExecSpec {
  /** An absolute path, or a name looked up on `PATH`; relative paths are the inventory file's. */
  readonly command: string;
  readonly args: readonly string[];
  readonly events?: readonly NotificationEvent[];
  /** Variables set for the command (`env:`). */
  readonly env: Readonly<Record<string, string>>;
  /** Variables passed on from confsnap's environment (`pass_env:`). */
  readonly passEnv: readonly string[];
  readonly timeoutMs?: number;
}

/** A valid `hooks:` section. */
export interface HooksSpec {
  readonly webhooks: readonly WebhookSpec[];
  readonly execs: readonly ExecSpec[];
  /** `failure_threshold:`: failures in a row before `backup-failed`. */
  readonly failureThreshold?: number;
  /** `include_diff:`: a unified diff in `config-changed`, for masked configurations only. */
  readonly includeDiff?: boolean;
}

type Add = (
  path: readonly (string | number)[],
  problem: { field?: string; message: string },
) => void;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HOOKS_KEYS = ['webhooks', 'execs', 'failure_threshold', 'include_diff'];
const WEBHOOK_KEYS = ['url', 'url_env', 'events', 'headers', 'headers_env', 'timeout'];
const EXEC_KEYS = ['command', 'args', 'events', 'env', 'pass_env', 'timeout'];

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks `hooks:`; every problem goes to `add` with its path. Returns the section (parts with
 * problems left out), or `undefined` when there is none.
 */
export function validateHooks(
  section: unknown,
  inventoryFile: string,
  add: Add,
): HooksSpec | undefined {
  if (section === undefined || section === null || section === '') return undefined;
  if (!isRecord(section)) {
    add(['hooks'], { field: 'hooks', message: 'must be a mapping with webhooks: and/or execs:' });
    return undefined;
  }
  unknownKeys(section, HOOKS_KEYS, ['hooks'], 'hooks', add);
  const webhooks: WebhookSpec[] = [];
  const execs: ExecSpec[] = [];
  for (const [index, entry] of listOf(section.webhooks, 'hooks.webhooks', add).entries()) {
    const webhook = validateWebhook(
      entry,
      `hooks.webhooks[${index}]`,
      ['hooks', 'webhooks', index],
      add,
    );
    if (webhook) webhooks.push(webhook);
  }
  for (const [index, entry] of listOf(section.execs, 'hooks.execs', add).entries()) {
    const exec = validateExec(
      entry,
      `hooks.execs[${index}]`,
      ['hooks', 'execs', index],
      inventoryFile,
      add,
    );
    if (exec) execs.push(exec);
  }
  // YAML scalars arrive as strings (the failsafe schema), JSON ones as they are.
  let failureThreshold: number | undefined;
  if (section.failure_threshold !== undefined) {
    const text = scalarText(section.failure_threshold);
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isInteger(value) && value >= 1 && value <= 1_000) {
      failureThreshold = value;
    } else {
      add(['hooks', 'failure_threshold'], {
        field: 'hooks.failure_threshold',
        message: 'must be a whole number from 1 to 1000',
      });
    }
  }
  let includeDiff: boolean | undefined;
  if (section.include_diff !== undefined) {
    const text = scalarText(section.include_diff);
    if (text === 'true' || text === 'false') includeDiff = text === 'true';
    else {
      add(['hooks', 'include_diff'], {
        field: 'hooks.include_diff',
        message: 'must be true or false',
      });
    }
  }
  return {
    webhooks,
    execs,
    ...(failureThreshold === undefined ? {} : { failureThreshold }),
    ...(includeDiff === undefined ? {} : { includeDiff }),
  };
}

function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).trim()
    : '';
}

function listOf(value: unknown, field: string, add: Add): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  add(field.split('.'), { field, message: 'must be a list' });
  return [];
}

function unknownKeys(
  record: Readonly<Record<string, unknown>>,
  known: readonly string[],
  path: readonly (string | number)[],
  field: string,
  add: Add,
): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      add([...path, key], {
        field: `${field}.${key}`,
        message: `unknown key; ${field} has ${known.map((k) => `${k}:`).join(', ')}`,
      });
    }
  }
}

function validateWebhook(
  entry: unknown,
  field: string,
  path: readonly (string | number)[],
  add: Add,
): WebhookSpec | undefined {
  if (!isRecord(entry)) {
    add(path, { field, message: 'must be a mapping with url: (or url_env:)' });
    return undefined;
  }
  unknownKeys(entry, WEBHOOK_KEYS, path, field, add);
  let ok = true;
  const fail = (key: string, message: string) => {
    ok = false;
    add([...path, key], { field: `${field}.${key}`, message });
  };
  const { url, url_env: urlEnv } = entry;
  if ((url === undefined) === (urlEnv === undefined)) {
    fail('url', 'give url: or url_env: (the environment variable holding the URL), one of them');
  } else if (url !== undefined && (typeof url !== 'string' || !isHttpUrl(url))) {
    fail('url', 'must be an http:// or https:// URL without user:password@ (use headers_env)');
  } else if (urlEnv !== undefined && (typeof urlEnv !== 'string' || !ENV_NAME.test(urlEnv))) {
    fail('url_env', 'must be the name of an environment variable');
  }
  const events = eventsOf(entry.events, `${field}.events`, [...path, 'events'], add);
  if (events === null) ok = false;
  const headers = stringMap(
    entry.headers,
    HEADER_NAME,
    false,
    `${field}.headers`,
    [...path, 'headers'],
    add,
  );
  const headersEnv = stringMap(
    entry.headers_env,
    HEADER_NAME,
    true,
    `${field}.headers_env`,
    [...path, 'headers_env'],
    add,
  );
  if (headers === null || headersEnv === null) ok = false;
  const timeoutMs = timeoutOf(entry.timeout, `${field}.timeout`, [...path, 'timeout'], add);
  if (timeoutMs === null) ok = false;
  if (!ok) return undefined;
  return {
    ...(typeof url === 'string' ? { url } : {}),
    ...(typeof urlEnv === 'string' ? { urlEnv } : {}),
    ...(events ? { events } : {}),
    headers: headers ?? {},
    headersEnv: headersEnv ?? {},
    ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
  };
}

function validateExec(
  entry: unknown,
  field: string,
  path: readonly (string | number)[],
  inventoryFile: string,
  add: Add,
): ExecSpec | undefined {
  if (!isRecord(entry)) {
    add(path, { field, message: 'must be a mapping with command: (and args:)' });
    return undefined;
  }
  unknownKeys(entry, EXEC_KEYS, path, field, add);
  let ok = true;
  const fail = (key: string, message: string) => {
    ok = false;
    add([...path, key], { field: `${field}.${key}`, message });
  };
  const command = entry.command;
  if (typeof command !== 'string' || command.trim() === '') {
    fail('command', 'must be the program to run (a path or a name on PATH); no shell is used');
  }
  const args = entry.args ?? [];
  if (
    !Array.isArray(args) ||
    !args.every((arg) => typeof arg === 'string' || typeof arg === 'number')
  ) {
    fail('args', 'must be a list of strings (each one argument, never split or expanded)');
  }
  const passEnv = entry.pass_env ?? [];
  if (
    !Array.isArray(passEnv) ||
    !passEnv.every((name) => typeof name === 'string' && ENV_NAME.test(name))
  ) {
    fail('pass_env', 'must be a list of environment variable names');
  }
  const events = eventsOf(entry.events, `${field}.events`, [...path, 'events'], add);
  if (events === null) ok = false;
  const env = stringMap(entry.env, ENV_NAME, false, `${field}.env`, [...path, 'env'], add);
  if (env === null) ok = false;
  const timeoutMs = timeoutOf(entry.timeout, `${field}.timeout`, [...path, 'timeout'], add);
  if (timeoutMs === null) ok = false;
  if (!ok || typeof command !== 'string') return undefined;
  return {
    // A bare name is looked up on PATH; a path is the inventory file's, like its other files.
    command:
      command.includes('/') && !isAbsolute(command)
        ? resolve(dirname(inventoryFile), command)
        : command,
    args: (args as (string | number)[]).map(String),
    ...(events ? { events } : {}),
    env: env ?? {},
    passEnv: passEnv as string[],
    ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
  };
}

/** An http(s) URL without credentials (fetch refuses those; a token goes in `headers_env`). */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** The events of a target; `undefined` for all, `null` after a problem. */
function eventsOf(
  value: unknown,
  field: string,
  path: readonly (string | number)[],
  add: Add,
): NotificationEvent[] | undefined | null {
  if (value === undefined) return undefined;
  const known = NOTIFICATION_EVENTS as readonly string[];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((e) => known.includes(e as string))
  ) {
    add(path, { field, message: `must be a list of events out of ${known.join(', ')}` });
    return null;
  }
  return value as NotificationEvent[];
}

/** A mapping of names to strings (`asEnv`: to environment variable names); `null` after a problem. */
function stringMap(
  value: unknown,
  keyPattern: RegExp,
  asEnv: boolean,
  field: string,
  path: readonly (string | number)[],
  add: Add,
): Record<string, string> | undefined | null {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    add(path, { field, message: 'must be a mapping' });
    return null;
  }
  const map: Record<string, string> = {};
  let ok = true;
  for (const [key, entry] of Object.entries(value)) {
    const text = typeof entry === 'number' || typeof entry === 'boolean' ? String(entry) : entry;
    if (!keyPattern.test(key)) {
      ok = false;
      add([...path, key], { field: `${field}.${key}`, message: 'is not a valid name' });
    } else if (typeof text !== 'string' || (asEnv && !ENV_NAME.test(text))) {
      ok = false;
      add([...path, key], {
        field: `${field}.${key}`,
        message: asEnv ? 'must be the name of an environment variable' : 'must be a string',
      });
    } else {
      map[key] = text;
    }
  }
  return ok ? map : null;
}

/** `timeout:` as a duration (`10s`, `2m`); `null` after a problem. */
function timeoutOf(
  value: unknown,
  field: string,
  path: readonly (string | number)[],
  add: Add,
): number | undefined | null {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms < 1 || ms > 3_600_000) {
    add(path, { field, message: 'must be a duration with a unit, from 1ms to 1h, e.g. 10s' });
    return null;
  }
  return ms;
}
