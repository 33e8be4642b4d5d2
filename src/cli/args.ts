import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_HTTP_TOKEN_ENV, parseHttpAddress, type HttpAddress } from './http/address.js';

/** Bad usage: an unknown command or option, a missing or malformed value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose `--help` to point at, when there is one. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** The default name of the pin file inside the output directory. */
export const DEFAULT_KNOWN_HOSTS_NAME = '.confsnap-hostkeys.json';
/** Devices backed up at once unless `--concurrency` says otherwise (the library's default). */
export const DEFAULT_CONCURRENCY = 10;
/** `run`: time between two backups of a device unless `--interval` says otherwise. */
export const DEFAULT_INTERVAL_MS = 6 * 3_600_000;

/** What `backup` and `run` share: where devices come from and where their configs go. */
export interface PipelineArgs {
  /** Absolute path of the inventory file. */
  readonly inventory: string;
  /** Absolute path of the output directory. */
  readonly out: string;
  readonly git: boolean;
  /** With `git`: the remote (name or URL) to push to after the commits of each run. */
  readonly gitPush: string | undefined;
  readonly concurrency: number;
  /** Absolute path of the pin file. */
  readonly knownHosts: string;
  readonly natsUrl: string | undefined;
  /** SSH connect and per-command deadline; the library's defaults when absent. */
  readonly timeoutMs: number | undefined;
  /** Also offer the SSH algorithms old devices need. */
  readonly legacySsh: boolean;
  /**
   * Mask passwords, keys and communities to `<secret hidden>` before writing or publishing
   * (SPEC §9). On unless `--no-mask-secrets`.
   */
  readonly maskSecrets: boolean;
  /** `--format oxidized`: the inventory is an Oxidized router.db whatever its extension. */
  readonly inventoryFormat: 'oxidized' | undefined;
  /** Absolute paths of the `--collector FILE` modules, in the order given. */
  readonly collectorFiles: readonly string[];
  /** `--webhook URL`s: every hook event is POSTed to each (see the inventory's `hooks:`). */
  readonly webhooks?: readonly string[];
}

/** `confsnap backup`. */
export interface BackupArgs extends PipelineArgs {
  readonly json: boolean;
}

/** `confsnap run`. */
export interface RunArgs extends PipelineArgs {
  readonly intervalMs: number;
  readonly redisUrl: string | undefined;
  /** `--http ADDR`: serve the HTTP API and web UI there. */
  readonly http?: HttpAddress;
  /** `--http-token-env NAME`: the variable holding the bearer token (default CONFSNAP_HTTP_TOKEN). */
  readonly httpTokenEnv?: string;
}

/** `confsnap hostkeys`. */
export type HostkeysArgs =
  | { readonly action: 'list'; readonly knownHosts: string; readonly json: boolean }
  | { readonly action: 'reset'; readonly deviceId: string; readonly knownHosts: string };

export const MAIN_USAGE = `Usage: confsnap <command> [options]

Back up the configuration of network devices over SSH.

Commands:
  backup     back up every device of an inventory once
  run        back up an inventory on a schedule, as a daemon
  hostkeys   list or reset pinned SSH host keys
  show       print the latest config of a device
  diff       show how a device's config changed (git output)
  inventory  convert an Oxidized router.db to a YAML inventory
  record     record a session with one device as a replayable test case
  demo       back up a simulated fleet of 50 devices (no network needed)

Options:
  -h, --help     show help (also: confsnap <command> --help)
  -V, --version  print the version

Exit codes: 0 every device backed up, 1 at least one failed, 2 bad usage, inventory or setup
(a secret, --out or the pin file), 130/143 interrupted by SIGINT/SIGTERM.
`;

const PIPELINE_HELP = `  --inventory FILE     devices to back up (YAML or JSON, or one whose source: is an HTTP API;
                       see docs/cli.md)   [required]
  --out DIR            where <device_id>.cfg files go (created if missing)   [required]
  --git                commit every changed config to a git repository in DIR
  --git-push REMOTE    with --git: git push the commits to REMOTE (a remote name or URL) after
                       each run; a failed push is reported and never fails the backups
  --concurrency N      devices worked on at once (default ${DEFAULT_CONCURRENCY})
  --known-hosts FILE   pinned host keys (default DIR/${DEFAULT_KNOWN_HOSTS_NAME}; created on
                       first use)
  --timeout-ms N       per device: deadline of TCP connect + SSH key exchange + login, and of
                       each command (defaults 20000 and 60000); each backup stays limited to 300 s
  --nats URL           also publish each snapshot to NATS JetStream, subject
                       config.snapshot.create.<device_id>
  --legacy-ssh         also offer the SSH algorithms old devices need (SHA-1 key exchange,
                       ssh-rsa host keys, CBC ciphers)
  --no-mask-secrets    KEEP passwords, secrets, keys and SNMP communities in the saved configs.
                       By default they read <secret hidden> (a backup that cannot rebuild a
                       device's secrets, but is safe to store and share)
  --format oxidized    the inventory is an Oxidized router.db (also: a .db file, or a YAML
                       file with format: oxidized and source:)
  --collector FILE     load a custom collector (a module whose default export is a
                       defineCollector result); may be repeated
  --webhook URL        POST a JSON notification to URL on each config change, repeated
                       failure, blocked or recovered device, and finished backup; may be
                       repeated (more in the inventory's hooks:, see docs/cli.md)
  -h, --help           show this help`;

export const BACKUP_USAGE = `Usage: confsnap backup --inventory FILE --out DIR [options]

Back up every device of the inventory once, then exit.

Options:
${PIPELINE_HELP}
  --json               print one JSON summary on stdout instead of the table

Exit codes: 0 every device backed up, 1 at least one failed, 2 bad usage, inventory or setup
(a secret, --out or the pin file), 130/143 interrupted by SIGINT/SIGTERM.
`;

export const RUN_USAGE = `Usage: confsnap run --inventory FILE --out DIR [options]

Back up the inventory on a schedule until SIGINT or SIGTERM. The inventory is re-read every
minute when it changed, and at once on SIGHUP; a device blocked by a wrong password or a changed host key is retried as soon as its
secret or its pin changes.

Options:
${PIPELINE_HELP}
  --interval DURATION  time between two backups of a device, e.g. 30m, 6h, 1d (default 6h);
                       first backups start within min(DURATION, 1m), spread at random
  --redis URL          share locks and last-success times with other instances through Redis,
                       and skip devices whose device:<id>:status key is not "online"
                       (--nats also answers manual triggers on config.backup.trigger)
  --http ADDR          serve the HTTP API and web UI on ADDR: PORT (on 127.0.0.1), HOST:PORT or
                       [IPv6]:PORT; beyond loopback only with a token (--http-token-env)
  --http-token-env NAME
                       the environment variable holding the HTTP bearer token (default
                       ${DEFAULT_HTTP_TOKEN_ENV}); when set, every route but /healthz needs it

Exit codes: 0 stopped cleanly, 1 could not start (e.g. NATS unreachable), 2 bad usage, inventory
or setup (a secret, --out or the pin file).
`;

export const HOSTKEYS_USAGE = `Usage: confsnap hostkeys list --known-hosts FILE [--json]
       confsnap hostkeys reset DEVICE --known-hosts FILE

List the pinned SSH host-key fingerprints, or forget the pin of one device so that its next
backup pins the key it presents (after a device was replaced or re-keyed on purpose).

Options:
  --known-hosts FILE   the pin file
  --out DIR            instead of --known-hosts: DIR/${DEFAULT_KNOWN_HOSTS_NAME}
  --json               list: print a JSON object { "<device_id>": "SHA256:…" }
  -h, --help           show this help

Exit codes: 0 done, 1 DEVICE has no pin, 2 bad usage.
`;

export const DEMO_USAGE = `Usage: confsnap demo

Start 50 simulated devices of mixed vendors on loopback, a few of them faulty, back them up into
./demo-output (a git repository; removed first), explain each failure, then show that a second
run finds nothing changed and that a changed config shows up in git log -p. Needs git.

Options:
  -h, --help   show this help
`;

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION: Options = { help: { type: 'boolean', short: 'h' } };

const PIPELINE_OPTIONS: Options = {
  ...HELP_OPTION,
  inventory: { type: 'string' },
  out: { type: 'string' },
  git: { type: 'boolean' },
  'git-push': { type: 'string' },
  concurrency: { type: 'string' },
  'known-hosts': { type: 'string' },
  'timeout-ms': { type: 'string' },
  nats: { type: 'string' },
  'legacy-ssh': { type: 'boolean' },
  'no-mask-secrets': { type: 'boolean' },
  format: { type: 'string' },
  collector: { type: 'string', multiple: true },
  webhook: { type: 'string', multiple: true },
};

const BACKUP_OPTIONS: Options = { ...PIPELINE_OPTIONS, json: { type: 'boolean' } };
const RUN_OPTIONS: Options = {
  ...PIPELINE_OPTIONS,
  interval: { type: 'string' },
  redis: { type: 'string' },
  http: { type: 'string' },
  'http-token-env': { type: 'string' },
};
const HOSTKEYS_OPTIONS: Options = {
  ...HELP_OPTION,
  'known-hosts': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
};

type Values = Record<string, string | boolean | string[] | undefined>;

interface Parsed {
  readonly values: Values;
  readonly positionals: readonly string[];
}

/** `parseArgs` with messages that name the option and the command's `--help`. */
function parse(command: string, argv: readonly string[], options: Options): Parsed | 'help' {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as {
      values: Values;
      positionals: string[];
    };
  } catch (error) {
    throw new UsageError(parseErrorText(error, options), command);
  }
  if (parsed.values.help === true) return 'help';
  return parsed;
}

function parseErrorText(error: unknown, options: Options): string {
  const err = error as { code?: string; message?: string };
  const message = err.message ?? String(error);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = option ?? message;
      const suggestion = closestOption(name.replace(/^-+/, ''), Object.keys(options));
      return `unknown option ${name}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option ?? 'an option';
      if (/ambiguous/.test(message)) {
        return `${name} needs a value; write ${name}=-… for one that starts with "-"`;
      }
      if (/does not take/.test(message)) return `${name} does not take a value`;
      return `${name} needs a value`;
    }
    default:
      return message;
  }
}

function closestOption(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function noPositionals(command: string, parsed: Parsed): void {
  const extra = parsed.positionals[0];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, command);
}

function requireString(command: string, values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} is required`, command);
  }
  return value;
}

function optionalString(command: string, values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} needs a value`, command);
  }
  return value;
}

/** A whole number within [min, max] from option `name`, or `fallback` when absent. */
function integerOption(
  command: string,
  values: Values,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const text = optionalString(command, values, name);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(
      `--${name} must be a whole number from ${range.min} to ${range.max}, got "${text}"`,
      command,
    );
  }
  return value;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A duration such as `500ms`, `90s`, `30m`, `6h`, `1d`, or a combination such as `1h30m`. A unit is
 * required: a bare number is ambiguous.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  let total = 0;
  let rest = trimmed;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
    rest = rest.slice(match[0].length).trimStart();
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

function urlOption(
  command: string,
  values: Values,
  name: string,
  schemes: readonly string[],
): string | undefined {
  const url = optionalString(command, values, name);
  if (url === undefined) return undefined;
  for (const part of url.split(',')) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(part.trim())?.[1]?.toLowerCase();
    if (scheme === undefined ? !/^[\w.-]+(:\d+)?$/.test(part.trim()) : !schemes.includes(scheme)) {
      throw new UsageError(
        `--${name} must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
        command,
      );
    }
  }
  return url;
}

function pipelineArgs(command: string, parsed: Parsed, cwd: string): PipelineArgs {
  const { values } = parsed;
  noPositionals(command, parsed);
  const inventory = resolve(cwd, requireString(command, values, 'inventory'));
  const out = resolve(cwd, requireString(command, values, 'out'));
  const knownHostsText = optionalString(command, values, 'known-hosts');
  const gitPush = optionalString(command, values, 'git-push');
  if (gitPush !== undefined && values.git !== true) {
    throw new UsageError('--git-push REMOTE pushes the commits --git makes; add --git', command);
  }
  if (gitPush?.startsWith('-')) {
    throw new UsageError(`--git-push needs a remote name or URL, not "${gitPush}"`, command);
  }
  return {
    inventory,
    out,
    git: values.git === true,
    gitPush,
    concurrency:
      integerOption(command, values, 'concurrency', { min: 1, max: 1_000 }) ?? DEFAULT_CONCURRENCY,
    knownHosts:
      knownHostsText === undefined
        ? resolve(out, DEFAULT_KNOWN_HOSTS_NAME)
        : resolve(cwd, knownHostsText),
    natsUrl: urlOption(command, values, 'nats', ['nats', 'tls', 'ws', 'wss']),
    timeoutMs: integerOption(command, values, 'timeout-ms', { min: 1, max: 3_600_000 }),
    legacySsh: values['legacy-ssh'] === true,
    maskSecrets: values['no-mask-secrets'] !== true,
    inventoryFormat: formatOption(command, values),
    collectorFiles: ((values.collector as string[] | undefined) ?? []).map((file) =>
      resolve(cwd, file),
    ),
    webhooks: webhookUrls(command, values),
  };
}

/** `--webhook URL`, each an http(s) URL. */
function webhookUrls(command: string, values: Values): string[] {
  const urls = (values.webhook as string[] | undefined) ?? [];
  for (const url of urls) {
    let ok = false;
    try {
      const parsed = new URL(url);
      ok =
        (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
        parsed.username === '' &&
        parsed.password === '';
    } catch {
      ok = false;
    }
    // The URL may hold a token: the message does not repeat it.
    if (!ok) {
      throw new UsageError(
        "--webhook must be an http:// or https:// URL without user:password@ (put a token in the inventory's hooks: headers_env)",
        command,
      );
    }
  }
  return urls;
}

/** `--format`: only `oxidized` (confsnap's own YAML/JSON needs no flag). */
function formatOption(command: string, values: Values): 'oxidized' | undefined {
  const format = optionalString(command, values, 'format');
  if (format === undefined) return undefined;
  if (format !== 'oxidized') {
    throw new UsageError(
      `--format must be oxidized (an Oxidized router.db); confsnap's YAML or JSON needs no --format; got "${format}"`,
      command,
    );
  }
  return format;
}

/** Parses `confsnap backup …`; `'help'` when `--help` was asked for. */
export function parseBackupArgs(argv: readonly string[], cwd: string): BackupArgs | 'help' {
  const parsed = parse('backup', argv, BACKUP_OPTIONS);
  if (parsed === 'help') return 'help';
  return { ...pipelineArgs('backup', parsed, cwd), json: parsed.values.json === true };
}

/** Parses `confsnap run …`; `'help'` when `--help` was asked for. */
export function parseRunArgs(argv: readonly string[], cwd: string): RunArgs | 'help' {
  const parsed = parse('run', argv, RUN_OPTIONS);
  if (parsed === 'help') return 'help';
  const base = pipelineArgs('run', parsed, cwd);
  const intervalText = optionalString('run', parsed.values, 'interval');
  let intervalMs = DEFAULT_INTERVAL_MS;
  if (intervalText !== undefined) {
    const parsedMs = parseDuration(intervalText);
    if (parsedMs === undefined || parsedMs < 1_000) {
      throw new UsageError(
        `--interval must be a duration of at least 1s with a unit, e.g. 30m, 6h or 1d; got "${intervalText}"`,
        'run',
      );
    }
    intervalMs = parsedMs;
  }
  const httpText = optionalString('run', parsed.values, 'http');
  const http = httpText === undefined ? undefined : parseHttpAddress(httpText);
  if (typeof http === 'string') throw new UsageError(`--http: ${http}`, 'run');
  const httpTokenEnv = optionalString('run', parsed.values, 'http-token-env');
  if (httpTokenEnv !== undefined && http === undefined) {
    throw new UsageError('--http-token-env applies to --http ADDR only', 'run');
  }
  if (httpTokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(httpTokenEnv)) {
    throw new UsageError(
      `--http-token-env must name an environment variable (letters, digits, _); got "${httpTokenEnv}"`,
      'run',
    );
  }
  return {
    ...base,
    intervalMs,
    redisUrl: urlOption('run', parsed.values, 'redis', ['redis', 'rediss']),
    ...(http === undefined ? {} : { http }),
    ...(httpTokenEnv === undefined ? {} : { httpTokenEnv }),
  };
}

/** Parses `confsnap hostkeys …`; `'help'` when `--help` was asked for. */
export function parseHostkeysArgs(argv: readonly string[], cwd: string): HostkeysArgs | 'help' {
  const parsed = parse('hostkeys', argv, HOSTKEYS_OPTIONS);
  if (parsed === 'help') return 'help';
  const { values, positionals } = parsed;
  const knownHostsText = optionalString('hostkeys', values, 'known-hosts');
  const outText = optionalString('hostkeys', values, 'out');
  if (knownHostsText !== undefined && outText !== undefined) {
    throw new UsageError('give --known-hosts FILE or --out DIR, not both', 'hostkeys');
  }
  if (knownHostsText === undefined && outText === undefined) {
    throw new UsageError('--known-hosts FILE is required (or --out DIR)', 'hostkeys');
  }
  const knownHosts =
    knownHostsText !== undefined
      ? resolve(cwd, knownHostsText)
      : resolve(cwd, outText!, DEFAULT_KNOWN_HOSTS_NAME);
  const [action, deviceId, ...extra] = positionals;
  if (action === 'list') {
    if (deviceId !== undefined)
      throw new UsageError(`unexpected argument "${deviceId}"`, 'hostkeys');
    return { action, knownHosts, json: values.json === true };
  }
  if (action === 'reset') {
    if (deviceId === undefined) throw new UsageError('reset needs a DEVICE id', 'hostkeys');
    if (extra[0] !== undefined)
      throw new UsageError(`unexpected argument "${extra[0]}"`, 'hostkeys');
    if (values.json === true) throw new UsageError('--json applies to list only', 'hostkeys');
    return { action, deviceId, knownHosts };
  }
  throw new UsageError(
    action === undefined
      ? 'say what to do: hostkeys list or hostkeys reset DEVICE'
      : `unknown hostkeys action "${action}"; use list or reset`,
    'hostkeys',
  );
}

/** Parses `confsnap demo …`; `'help'` when `--help` was asked for. */
export function parseDemoArgs(argv: readonly string[]): 'help' | 'run' {
  const parsed = parse('demo', argv, HELP_OPTION);
  if (parsed === 'help') return 'help';
  noPositionals('demo', parsed);
  return 'run';
}

/** `confsnap inventory convert`. */
export interface InventoryConvertArgs {
  readonly action: 'convert';
  /** Absolute path of the router.db (or of the YAML file with `format: oxidized`). */
  readonly from: string;
  /** Absolute path of the YAML inventory to write. */
  readonly out: string;
  readonly inventoryFormat: 'oxidized' | undefined;
}

export const INVENTORY_USAGE = `Usage: confsnap inventory convert FILE [--out inventory.yaml] [--format oxidized]

Write the YAML inventory equivalent to an Oxidized router.db (or to a YAML file with
format: oxidized and source:), so confsnap reads it without Oxidized's format from then on.

The passwords of the router.db are written to one 0600 file per device in the 0700
directory OUT.secrets/ and named by password_file; enable secrets go to OUT.secrets/enable.env
(0600), named by enable_secret_env: load that file into the environment confsnap runs in.
The output file and its secrets directory must not exist yet.

Options:
  --out FILE          the YAML inventory to write (default inventory.yaml)
  --format oxidized   FILE is a router.db whatever its extension
  -h, --help          show this help
`;

const INVENTORY_OPTIONS: Options = {
  ...HELP_OPTION,
  out: { type: 'string' },
  format: { type: 'string' },
};

/** Parses `confsnap inventory …`; `'help'` when `--help` was asked for. */
export function parseInventoryArgs(
  argv: readonly string[],
  cwd: string,
): InventoryConvertArgs | 'help' {
  const parsed = parse('inventory', argv, INVENTORY_OPTIONS);
  if (parsed === 'help') return 'help';
  const [action, from, ...extra] = parsed.positionals;
  if (action !== 'convert') {
    throw new UsageError(
      action === undefined
        ? 'say what to do: inventory convert FILE'
        : `unknown inventory action "${action}"; use convert`,
      'inventory',
    );
  }
  if (from === undefined) throw new UsageError('convert needs the router.db FILE', 'inventory');
  if (extra[0] !== undefined)
    throw new UsageError(`unexpected argument "${extra[0]}"`, 'inventory');
  return {
    action,
    from: resolve(cwd, from),
    out: resolve(cwd, optionalString('inventory', parsed.values, 'out') ?? 'inventory.yaml'),
    inventoryFormat: formatOption('inventory', parsed.values),
  };
}
