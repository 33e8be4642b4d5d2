import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import {
  checkDeviceRecord,
  createCollectorRegistry,
  deviceIdProblem,
  DirectorySnapshotPublisher,
  type CollectorOptionType,
  type CollectorOptionValue,
  type CollectorRegistry,
  type ConfigCollector,
  type Device,
  type DeviceSSHSettings,
  type DeviceTransport,
  type JumpHost,
} from '../index.js';
import { collectorOptionProblem } from '../collectors/define.js';
import { telnetRecordProblem } from '../telnet/record.js';
import { loadCollectorFiles } from './inventory/collectors.js';
import { validateHooks, type HooksSpec } from './inventory/hooks.js';
import {
  DEFAULT_ROUTER_DB_SETTINGS,
  readRouterDb,
  routerDbSettingsOf,
  type RouterDbContent,
  type RouterDbSecrets,
} from './inventory/oxidized.js';

/** The longest file name most file systems allow, in bytes. */
const MAX_FILE_NAME_BYTES = 255;

/**
 * Where one device's login comes from. Secrets are named here, never held: they are read from the
 * environment or the files at every attempt (see `credentials.ts`).
 */
export interface CredentialSpec {
  readonly username: string;
  /** Name of the environment variable holding the password. */
  readonly passwordEnv?: string;
  /** Absolute path of a file holding the password. */
  readonly passwordFile?: string;
  /** Absolute path of a private key file (OpenSSH or PEM). */
  readonly privateKeyFile?: string;
  /** Name of the environment variable holding the passphrase of the private key. */
  readonly passphraseEnv?: string;
  /**
   * Name of the environment variable holding the enable secret (IOS, ASA, EOS accounts that land
   * at `>`); set but empty: an enable that asks for no password.
   */
  readonly enableSecretEnv?: string;
  /**
   * The password itself, only for an Oxidized router.db, which holds it (Oxidized's way). Never
   * logged nor put in a message; a YAML inventory cannot set it.
   */
  readonly password?: string;
  /** The enable secret itself (router.db's `enable` var; `''` for `enable: true`); as `password`. */
  readonly enableSecret?: string;
}

/** A loaded, valid inventory. */
export interface Inventory {
  /** Absolute path of the file it was read from. */
  readonly file: string;
  /** The devices, in the order of the file. */
  readonly devices: readonly Device[];
  /** How each device logs in, by device id; and each jump host, by its name (its id). */
  readonly credentials: ReadonlyMap<string, CredentialSpec>;
  /** The jump hosts of `jump_hosts:`, in the order of the file; devices name them in `via:`. */
  readonly jumpHosts: readonly JumpHost[];
  /**
   * One line for each device left out and why (a router.db model with no collector): the rest of
   * the inventory is used, and these are shown as warnings.
   */
  readonly skippedDevices: readonly string[];
  /** The vendors it may use: the built-in collectors and those of `collectors:` / `--collector`. */
  readonly collectors: CollectorRegistry;
  /** The `hooks:` section: webhooks and commands to notify. Absent when the file has none. */
  readonly hooks?: HooksSpec;
  /** The `group:` of each device that names one, by device id. */
  readonly deviceGroups?: ReadonlyMap<string, string>;
}

/** One problem of an inventory: where it is (file, line, device position, field) and what. */
export interface InventoryProblem {
  /** The file as shown to the user. */
  readonly file: string;
  /** 1-based line, for YAML files. */
  readonly line?: number;
  /**
   * `devices[3]`, `defaults`, `jump_hosts.bastion1`, or absent for the file as a whole; `6 devices` for one mistake
   * repeated on several devices.
   */
  readonly position?: string;
  /** The device's id; for a repeated mistake, the first ids, comma-separated. */
  readonly deviceId?: string;
  readonly field?: string;
  readonly message: string;
}

/** The inventory cannot be used; `problems` lists everything wrong with it. Exit code 2. */
export class InventoryError extends Error {
  override readonly name = 'InventoryError';
  readonly problems: readonly InventoryProblem[];

  constructor(problems: readonly InventoryProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

/** `hosts.yaml:7: devices[1] (r2): port: must be …` */
export function formatProblem(problem: InventoryProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const position =
    problem.position === undefined
      ? ''
      : ` ${problem.position}${problem.deviceId === undefined ? '' : ` (${problem.deviceId})`}:`;
  const field = problem.field === undefined ? '' : ` ${problem.field}:`;
  return `${where}:${position}${field} ${problem.message}`;
}

/** Options of {@link loadInventory}. */
export interface LoadInventoryOptions {
  /** Relative paths in error messages are shown relative to this directory. */
  readonly cwd?: string;
  /** The vendors allowed. Default: the built-in collectors. */
  readonly collectors?: CollectorRegistry;
  /**
   * `oxidized`: the file is an Oxidized router.db (as is a `.db` file without this option). A YAML
   * inventory says so itself with `format: oxidized` and `source:`.
   */
  readonly format?: 'oxidized';
  /**
   * Absolute paths of custom collector modules (`--collector FILE`), loaded after the inventory's
   * own `collectors:`. Ignored when `collectors` is given.
   */
  readonly collectorFiles?: readonly string[];
}

/** The options of {@link loadInventory} that the command line's `--format` and `--collector` set. */
export function inventoryOptionsOf(args: {
  readonly inventoryFormat: 'oxidized' | undefined;
  readonly collectorFiles: readonly string[];
}): Pick<LoadInventoryOptions, 'format' | 'collectorFiles'> {
  return {
    ...(args.inventoryFormat === undefined ? {} : { format: args.inventoryFormat }),
    collectorFiles: args.collectorFiles,
  };
}

/**
 * Reads and validates an inventory file (YAML, or JSON by its `.json` extension or a leading `{`).
 *
 * @throws {InventoryError} naming the file, the line (YAML), the device's position and the field of
 * every problem — never the value of a secret.
 */
export async function loadInventory(
  file: string,
  options: LoadInventoryOptions = {},
): Promise<Inventory> {
  const read = await readInventorySource(file, options);
  return validate(read.source, read.context, read.routerDb);
}

/**
 * The devices of an Oxidized router.db inventory (a `.db` file, `format: 'oxidized'`, or a YAML
 * file with `format: oxidized` and `source:`) as read, before validation: `sections` are the YAML
 * file's other sections (`defaults`, `groups`, …), `routerDb` the rows with their secrets.
 * `undefined` for confsnap's own inventory format. Used by `confsnap inventory convert`.
 *
 * @throws {InventoryError} when the file or its `source:` cannot be read.
 */
export async function readRouterDbInventory(
  file: string,
  options: LoadInventoryOptions = {},
): Promise<{ sections: FieldMap; routerDb: RouterDbContent } | undefined> {
  const read = await readInventorySource(file, options);
  if (read.routerDb === undefined) return undefined;
  const { devices: _devices, ...sections } = read.source.root as FieldMap;
  return { sections, routerDb: read.routerDb };
}

interface ReadSource {
  readonly source: Source;
  readonly context: Context;
  readonly routerDb?: RouterDbContent;
}

async function readInventorySource(
  file: string,
  options: LoadInventoryOptions,
): Promise<ReadSource> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const shown = displayPath(path, options.cwd);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not an inventory file'
          : `cannot be read (${code ?? 'error'})`;
    throw new InventoryError([{ file: shown, message }]);
  }
  const isRouterDb = options.format === 'oxidized' || extname(path).toLowerCase() === '.db';
  const source = isRouterDb
    ? undefined
    : isJson(path, text)
      ? parseJson(text, shown)
      : parseYaml(text, shown);
  const collectors =
    options.collectors ??
    (await customCollectors(source, path, shown, options.collectorFiles ?? [], options.cwd));
  const context: Context = { file: path, shown, collectors };
  if (source === undefined) {
    const content = readRouterDb(text, DEFAULT_ROUTER_DB_SETTINGS, shown, collectors.vendors());
    return { source: routerDbSource({}, undefined, content, shown), context, routerDb: content };
  }
  if (isRecord(source.root) && source.root.format !== undefined) {
    return readWrappedRouterDb(source, context, options.cwd);
  }
  return { source, context };
}

/**
 * The built-in collectors and the custom ones of the inventory's `collectors:` (paths relative to
 * its directory) and of `--collector`, in that order. @throws {InventoryError} naming each module
 * (or entry of `collectors:`) that cannot be used.
 */
async function customCollectors(
  source: Source | undefined,
  inventoryFile: string,
  shown: string,
  extraFiles: readonly string[],
  cwd: string | undefined,
): Promise<CollectorRegistry> {
  const problems = new Problems(shown, source ?? { root: undefined, lineOf: () => undefined });
  const listed = isRecord(source?.root) ? source.root.collectors : undefined;
  const files: string[] = [];
  if (listed !== undefined && listed !== '') {
    const entries = Array.isArray(listed) ? (listed as unknown[]) : [listed];
    entries.forEach((entry, index) => {
      const text = scalar(entry)?.trim();
      if (text === undefined || text === '') {
        problems.add(['collectors', index], {
          field: 'collectors',
          message: 'must be a list of collector module files (e.g. ./acme.mjs)',
        });
      } else files.push(resolve(dirname(inventoryFile), text));
    });
  }
  if (problems.list.length > 0) throw new InventoryError(problems.list);
  const loaded = await loadCollectorFiles([...files, ...extraFiles], (file) =>
    displayPath(file, cwd),
  );
  if (loaded.problems.length > 0) throw new InventoryError(loaded.problems);
  return loaded.collectors;
}

/**
 * The collectors an inventory may use: the built-in ones, those of its `collectors:` (`root` is the
 * file's top level as read, paths relative to `file`'s directory) and `collectorFiles`
 * (`--collector`). Used by inventories read otherwise than by {@link loadInventory} (an HTTP
 * `source:`), so that their records are checked against the same vendors.
 *
 * @throws {InventoryError} naming each module (or entry of `collectors:`) that cannot be used.
 */
export function loadInventoryCollectors(
  root: unknown,
  file: string,
  options: Pick<LoadInventoryOptions, 'cwd' | 'collectorFiles'> = {},
): Promise<CollectorRegistry> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  return customCollectors(
    { root, lineOf: () => undefined },
    path,
    displayPath(path, options.cwd),
    options.collectorFiles ?? [],
    options.cwd,
  );
}

/**
 * A YAML inventory with `format: oxidized` and `source:` (Oxidized's `source.csv` settings): its
 * `defaults:`, `groups:` and `jump_hosts:` over the devices of the router.db it names.
 */
async function readWrappedRouterDb(
  source: Source,
  context: Context,
  cwd: string | undefined,
): Promise<ReadSource> {
  const root = source.root as FieldMap;
  const problems = new Problems(context.shown, source);
  if (root.format !== 'oxidized') {
    problems.add(['format'], {
      field: 'format',
      message: `must be oxidized (with source:), or left out for confsnap's own inventory; got ${JSON.stringify(root.format)}`,
    });
  }
  if (root.devices !== undefined) {
    problems.add(['devices'], {
      field: 'devices',
      message: 'the devices come from the router.db of source:; give devices: or source:, not both',
    });
  }
  const settings = routerDbSettingsOf(root.source, (field, message) =>
    problems.add(['source', ...field.split('.').slice(1)], { field, message }),
  );
  if (problems.list.length > 0 || settings === undefined) throw new InventoryError(problems.list);
  const dbPath = resolve(dirname(context.file), settings.file);
  const dbShown = displayPath(dbPath, cwd);
  let text: string;
  try {
    text = await readFile(dbPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    problems.add(['source', 'file'], {
      field: 'source.file',
      message: `${dbShown} cannot be read (${code === 'ENOENT' ? 'file not found' : code})`,
    });
    throw new InventoryError(problems.list);
  }
  const content = readRouterDb(text, settings.settings, dbShown, context.collectors.vendors());
  return { source: routerDbSource(root, source, content, dbShown), context, routerDb: content };
}

/**
 * The devices of a router.db as the `devices:` of an inventory whose other sections are those of
 * `wrapper` (a YAML file's, or none); problems of a device point at its line of the router.db.
 */
function routerDbSource(
  wrapper: FieldMap,
  wrapperSource: Source | undefined,
  content: RouterDbContent,
  dbShown: string,
): Source {
  const rest = Object.fromEntries(
    Object.entries(wrapper).filter(([key]) => key !== 'format' && key !== 'source'),
  );
  return {
    root: { ...rest, devices: content.entries.map((entry) => entry.fields) },
    lineOf(path) {
      if (path[0] === 'devices' && typeof path[1] === 'number') {
        return content.entries[path[1]]?.line;
      }
      return wrapperSource?.lineOf(path);
    },
    fileOf(path) {
      return path[0] === 'devices' ? dbShown : undefined;
    },
  };
}

/** Options of {@link parseInventory}. */
export interface ParseInventoryOptions extends LoadInventoryOptions {
  /** Absolute path of the file: relative secret file paths are resolved against its directory. */
  readonly file: string;
  /** The file as shown in messages. Default `file`. */
  readonly shownFile?: string;
}

/** Parses and validates the text of an inventory. @throws {InventoryError} */
export function parseInventory(text: string, options: ParseInventoryOptions): Inventory {
  const shown = options.shownFile ?? options.file;
  const source = isJson(options.file, text) ? parseJson(text, shown) : parseYaml(text, shown);
  return validate(source, {
    file: options.file,
    shown,
    collectors: options.collectors ?? createCollectorRegistry(),
  });
}

function displayPath(path: string, cwd: string | undefined): string {
  if (cwd === undefined) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** The parsed document and, for YAML, where each value is. */
interface Source {
  readonly root: unknown;
  /** The 1-based line of the value at `path`, when known. */
  lineOf(path: readonly (string | number)[]): number | undefined;
  /** The file (as shown) the value at `path` is in, when not the inventory file itself. */
  fileOf?(path: readonly (string | number)[]): string | undefined;
}

function isJson(file: string, text: string): boolean {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.yaml' || extension === '.yml') return false;
  return text.trimStart().startsWith('{');
}

function parseJson(text: string, shown: string): Source {
  try {
    return { root: JSON.parse(text) as unknown, lineOf: () => undefined };
  } catch (error) {
    // Newer V8 versions quote the text around the error; it may hold a secret, so only the
    // position is reported.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const at = position === undefined ? undefined : lineAndColumn(text, Number(position));
    throw new InventoryError([
      {
        file: shown,
        ...(at ? { line: at.line } : {}),
        message: `not valid JSON${at ? ` (column ${at.column})` : ''}`,
      },
    ]);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseYaml(text: string, shown: string): Source {
  const lineCounter = new LineCounter();
  // The failsafe schema keeps every scalar a string as written: `version: 7.10` stays "7.10"
  // (the core schema would read the number 7.1). Ports are converted below. Errors are not
  // "pretty": a pretty error quotes the line, which may hold a secret by mistake.
  const document = parseDocument(text, {
    schema: 'failsafe',
    prettyErrors: false,
    lineCounter,
    uniqueKeys: true,
  });
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  const first = document.errors[0];
  if (first) {
    // One broken line makes the parser stumble over the lines after it too: only the first error
    // is the user's mistake, so only it is reported.
    const parserAt = lineCounter.linePos(first.pos[0]);
    // The parser notices a misindented line only at the key before or at the line's start; the
    // user needs the line whose indentation is off and the column its text starts in.
    const lastLine = Math.max(
      ...document.errors.map((error) => lineCounter.linePos(error.pos[1]).line),
    );
    const misindented = INDENTATION_CODES.has(first.code)
      ? misindentedLine(text, parserAt.line, lastLine)
      : undefined;
    const at = misindented ?? { line: parserAt.line, col: parserAt.col };
    throw new InventoryError([
      {
        file: shown,
        line: at.line,
        message: `not valid YAML (column ${at.col}): ${yamlErrorInWords(first)}`,
      },
    ]);
  }
  return {
    root: document.toJS() as unknown,
    lineOf(path) {
      for (let length = path.length; length > 0; length--) {
        const node = document.getIn(path.slice(0, length), true) as
          { range?: [number, number, number] } | undefined;
        if (node?.range) return lineAt(node.range[0]);
      }
      return undefined;
    },
  };
}

/** The parser's codes for a line indented more or less than its neighbours allow. */
const INDENTATION_CODES: ReadonlySet<string> = new Set([
  'BAD_INDENT',
  'BLOCK_AS_IMPLICIT_KEY',
  'MULTILINE_IMPLICIT_KEY',
  'MISSING_CHAR',
]);

/**
 * The first line from `fromLine` to `toLine` (1-based) whose indentation fits no open block: deeper
 * than the line before when that line holds a value (`host: x`), or between two open levels. Its
 * column is where its text starts. Block scalars (`key: |`) and comments are skipped. Undefined
 * when no line in the range is misindented this way.
 */
function misindentedLine(
  text: string,
  fromLine: number,
  toLine: number,
): { line: number; col: number } | undefined {
  const levels = [0];
  let opensBlock = false;
  let blockScalarIndent: number | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length && index < toLine; index++) {
    const raw = lines[index]!.replace(/\r$/, '');
    const content = raw.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = raw.length - content.length;
    if (blockScalarIndent !== undefined) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    let fits: boolean;
    if (indent > levels.at(-1)!) {
      fits = opensBlock;
      if (fits) levels.push(indent);
    } else {
      while (levels.at(-1)! > indent) levels.pop();
      fits = levels.at(-1) === indent;
    }
    if (!fits) {
      if (index + 1 >= fromLine) return { line: index + 1, col: indent + 1 };
      return undefined;
    }
    // `- id: r1` opens a mapping whose fields start where `id` does.
    let itemIndent = indent;
    let rest = content;
    while (/^-( |$)/.test(rest)) {
      const after = rest.slice(1).trimStart();
      itemIndent += rest.length - after.length;
      rest = after;
      if (rest !== '') levels.push(itemIndent);
    }
    const withoutComment = rest.replace(/\s+#.*$/, '');
    if (/:\s*[|>][-+0-9]*$/.test(withoutComment)) blockScalarIndent = itemIndent;
    opensBlock = rest === '' || withoutComment.endsWith(':');
  }
  return undefined;
}

/** What a YAML parse error means for someone editing an inventory, not for a parser author. */
function yamlErrorInWords(error: YAMLError): string {
  const original = error.message.split('\n')[0] ?? error.code;
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'a tab indents this line; indent with spaces only';
    case 'BAD_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'MISSING_CHAR':
      return (
        'the indentation is off here: the fields of one device (or of defaults) must start in the same ' +
        `column, and each device in the list starts with "- " (${original})`
      );
    case 'DUPLICATE_KEY':
      return 'a field is given twice in the same place; keep one';
    default:
      return original;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const DEVICE_FIELDS = [
  'id',
  'host',
  'port',
  'vendor',
  'tenant',
  'username',
  'password_env',
  'password_file',
  'private_key_file',
  'passphrase_env',
  'enable_secret_env',
  'version',
  'via',
  'ssh',
  // ssh (default) or telnet: never chosen by confsnap itself.
  'transport',
  // true / false: mask secrets in this device's saved configs, over the CLI's default (masked).
  'mask_secrets',
  // The name of an entry of `groups:` whose fields the device inherits (defaults < group < device).
  'group',
  // Values of the options the device's collector declares, merged option by option.
  'options',
  // Free-form text for collectors (Oxidized's vars), merged var by var: defaults < group < device.
  'vars',
] as const;

type Field = (typeof DEVICE_FIELDS)[number];

/** The fields of one entry of `jump_hosts:` (its name is its id). */
const JUMP_HOST_FIELDS = [
  'host',
  'port',
  'username',
  'password_env',
  'password_file',
  'private_key_file',
  'passphrase_env',
] as const;

const SECRET_SOURCE_FIELDS: readonly Field[] = [
  'password_env',
  'password_file',
  'private_key_file',
  'passphrase_env',
];

/** Fields that would hold a secret itself: refused, with a pointer to where secrets go. */
const SECRET_VALUE_FIELD = /pass|secret|token|private_?key|^key$/i;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Context {
  readonly file: string;
  readonly shown: string;
  readonly collectors: CollectorRegistry;
}

class Problems {
  readonly list: InventoryProblem[] = [];
  constructor(
    readonly shown: string,
    readonly source: Source,
  ) {}

  add(
    path: readonly (string | number)[],
    problem: Omit<InventoryProblem, 'file' | 'line' | 'position'>,
  ): void {
    const line = this.source.lineOf(path);
    const [section, index] = path;
    const position =
      section === 'devices' && typeof index === 'number'
        ? `devices[${index}]`
        : section === 'defaults'
          ? 'defaults'
          : section === 'jump_hosts' && typeof index === 'string'
            ? `jump_hosts.${index}`
            : section === 'groups' && typeof index === 'string'
              ? `groups.${index}`
              : undefined;
    this.list.push({
      file: this.source.fileOf?.(path) ?? this.shown,
      ...(line === undefined ? {} : { line }),
      ...(position === undefined ? {} : { position }),
      ...problem,
      ...(position === undefined && problem.field === undefined && typeof section === 'string'
        ? { field: section }
        : {}),
    });
  }
}

/** An inventory record (a device, `defaults`, a group) as written. */
export type FieldMap = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is FieldMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(source: Source, context: Context, routerDb?: RouterDbContent): Inventory {
  const problems = new Problems(context.shown, source);
  for (const { line, message } of routerDb?.problems ?? []) {
    problems.list.push({ file: source.fileOf?.(['devices']) ?? context.shown, line, message });
  }
  const root = source.root;
  if (!isRecord(root)) {
    problems.add([], {
      message:
        root === null || root === undefined
          ? 'is empty; it needs a devices: list'
          : 'must be a mapping with defaults: and devices:',
    });
    throw new InventoryError(problems.list);
  }
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      problems.add([key], {
        field: key,
        message: `unknown top-level key; an inventory has ${TOP_LEVEL_KEYS.map((k) => `${k}:`).join(', ')}`,
      });
    }
  }
  const jumpHosts = validateJumpHosts(root.jump_hosts, context, problems);
  let defaults: FieldMap = {};
  if (root.defaults !== undefined && root.defaults !== '') {
    if (!isRecord(root.defaults)) {
      problems.add(['defaults'], { field: 'defaults', message: 'must be a mapping of fields' });
    } else {
      defaults = root.defaults;
      checkFieldNames(problems, ['defaults'], defaults, new Set(['id', 'host', 'group']));
    }
  }
  const groups = validateGroups(root.groups, problems);
  const hooks = validateHooks(root.hooks, context.file, (path, problem) =>
    problems.add(path, problem),
  );
  const list = root.devices;
  if (!Array.isArray(list) || list.length === 0) {
    problems.add(['devices'], {
      field: 'devices',
      message:
        list === undefined
          ? 'is missing; list the devices under devices:'
          : Array.isArray(list)
            ? 'is empty; list at least one device'
            : 'must be a list of devices',
    });
    throw new InventoryError(problems.list);
  }

  const devices: Device[] = [];
  const credentials = new Map<string, CredentialSpec>();
  const deviceGroups = new Map<string, string>();
  const firstIndexOf = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const valid = validateDevice(entry, index, {
      defaults,
      groups,
      context,
      problems,
      firstIndexOf,
      jumpHosts,
      secrets: routerDb?.entries[index]?.secrets,
    });
    if (!valid) return;
    devices.push(valid.device);
    credentials.set(valid.device.id, valid.credentials);
    const group = isRecord(entry) ? scalar(entry.group)?.trim() : undefined;
    if (group) deviceGroups.set(valid.device.id, group);
  });
  for (const [name, hop] of jumpHosts) {
    if (firstIndexOf.has(name)) {
      problems.add(['jump_hosts', name], {
        message: `has the id of devices[${firstIndexOf.get(name)!}]; a jump host's name is its id for credentials and host-key pins — give it another`,
      });
    }
    credentials.set(name, hop.credentials);
  }
  if (problems.list.length > 0)
    throw new InventoryError(inLineOrder(groupRepeated(dedupe(problems.list))));
  return {
    file: context.file,
    devices,
    credentials,
    jumpHosts: [...jumpHosts.values()].map((hop) => hop.jumpHost),
    skippedDevices: routerDb?.skipped ?? [],
    collectors: context.collectors,
    ...(hooks ? { hooks } : {}),
    deviceGroups,
  };
}

interface ValidJumpHost {
  readonly jumpHost: JumpHost;
  readonly credentials: CredentialSpec;
}

/**
 * The valid entries of `jump_hosts:` by name, and the names of the entries that were reported as
 * invalid: a device naming one of those is not reported again (the mistake is the jump host's).
 */
interface JumpHosts extends ReadonlyMap<string, ValidJumpHost> {
  readonly invalid: ReadonlySet<string>;
}

/**
 * Checks `jump_hosts:`, a mapping of name → `{ host, port?, username, password_env | password_file
 * | private_key_file, passphrase_env? }`; the name is the hop's id. Invalid entries are reported
 * and left out.
 */
function validateJumpHosts(section: unknown, context: Context, problems: Problems): JumpHosts {
  const invalid = new Set<string>();
  const valid = Object.assign(new Map<string, ValidJumpHost>(), { invalid });
  if (section === undefined || section === '') return valid;
  if (!isRecord(section)) {
    problems.add(['jump_hosts'], {
      field: 'jump_hosts',
      message: 'must be a mapping of jump host names to { host, port, username, … }',
    });
    return valid;
  }
  for (const [name, entry] of Object.entries(section)) {
    const path = ['jump_hosts', name] as const;
    const report = (field: string, message: string): void =>
      problems.add([...path, field], { field, message });
    if (deviceIdProblem(name) !== undefined) {
      problems.add(path, { message: `the name ${deviceIdProblem(name)!}` });
      invalid.add(name);
      continue;
    }
    if (!isRecord(entry)) {
      problems.add(path, { message: 'must be a mapping with host, username, …' });
      invalid.add(name);
      continue;
    }
    const before = problems.list.length;
    for (const field of Object.keys(entry)) {
      if (!(JUMP_HOST_FIELDS as readonly string[]).includes(field)) {
        report(
          field,
          SECRET_VALUE_FIELD.test(field)
            ? 'secrets do not belong in the inventory: name an environment variable (password_env, passphrase_env) or a file (password_file, private_key_file)'
            : `unknown field; known fields: ${JUMP_HOST_FIELDS.join(', ')}`,
        );
      }
    }
    const text = (field: (typeof JUMP_HOST_FIELDS)[number]): string | undefined => {
      const value = entry[field];
      if (value === undefined) return undefined;
      const converted = scalar(value)?.trim();
      if (converted === undefined || converted === '') {
        report(field, 'must be a single, non-empty value');
        return undefined;
      }
      return converted;
    };
    const host = text('host');
    if (entry.host === undefined) report('host', 'is missing');
    const portText = text('port');
    const port = portText === undefined ? undefined : /^\d+$/.test(portText) ? Number(portText) : 0;
    if (port !== undefined && (port < 1 || port > 65_535)) {
      report('port', `must be a whole number from 1 to 65535, got ${JSON.stringify(portText)}`);
    }
    const username = text('username');
    if (entry.username === undefined) report('username', 'is missing');
    const passwordEnv = envName(text('password_env'), 'password_env', report);
    const passphraseEnv = envName(text('passphrase_env'), 'passphrase_env', report);
    const passwordFile = filePath(text('password_file'), context.file);
    const privateKeyFile = filePath(text('private_key_file'), context.file);
    if (entry.password_env !== undefined && entry.password_file !== undefined) {
      report('password_file', 'give password_env or password_file, not both');
    }
    if (
      entry.password_env === undefined &&
      entry.password_file === undefined &&
      entry.private_key_file === undefined
    ) {
      report('password_env', 'no credentials: set password_env, password_file or private_key_file');
    }
    if (entry.passphrase_env !== undefined && entry.private_key_file === undefined) {
      report('passphrase_env', 'needs private_key_file');
    }
    if (problems.list.length > before) {
      invalid.add(name);
      continue;
    }
    valid.set(name, {
      jumpHost: { id: name, host: host!, ...(port === undefined ? {} : { port }) },
      credentials: {
        username: username!,
        ...(passwordEnv === undefined ? {} : { passwordEnv }),
        ...(passwordFile === undefined ? {} : { passwordFile }),
        ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
        ...(passphraseEnv === undefined ? {} : { passphraseEnv }),
      },
    });
  }
  return valid;
}

/** The top-level keys of an inventory file. */
const TOP_LEVEL_KEYS: readonly string[] = [
  'collectors',
  'jump_hosts',
  'defaults',
  'groups',
  'devices',
  'hooks',
];

/**
 * Checks `groups:`, a mapping of group name → the fields a device may inherit (all but `id`,
 * `host` and `group`); returns the groups as written, by name.
 */
function validateGroups(section: unknown, problems: Problems): ReadonlyMap<string, FieldMap> {
  const groups = new Map<string, FieldMap>();
  if (section === undefined || section === '') return groups;
  if (!isRecord(section)) {
    problems.add(['groups'], {
      field: 'groups',
      message: 'must be a mapping of group names to fields (username, vendor, ssh, …)',
    });
    return groups;
  }
  for (const [name, fields] of Object.entries(section)) {
    if (fields === '' || fields === null) {
      groups.set(name, {});
      continue;
    }
    if (!isRecord(fields)) {
      problems.add(['groups', name], { message: 'must be a mapping of fields' });
      continue;
    }
    checkFieldNames(problems, ['groups', name], fields, new Set(['id', 'host', 'group']));
    groups.set(name, fields);
  }
  return groups;
}

/** One level a device inherits fields from: `defaults`, or its group. */
interface Layer {
  readonly path: readonly (string | number)[];
  readonly fields: FieldMap;
  /** Whether this level has a secret source outside `fields` (a router.db password). */
  readonly ownsSecrets?: boolean;
}

/**
 * The fields of `layers` (lowest first) merged, each level over the one below. Secret sources are
 * taken as a set: a level naming any of them replaces all of the lower levels' (a device with its
 * own key file must not also get the group's password). Also says which level each field came
 * from.
 */
function mergeLayers(layers: readonly Layer[]): {
  merged: FieldMap;
  originOf: ReadonlyMap<string, Layer>;
} {
  const merged: Record<string, unknown> = {};
  const originOf = new Map<string, Layer>();
  for (const layer of layers) {
    if (
      layer.ownsSecrets === true ||
      SECRET_SOURCE_FIELDS.some((field) => layer.fields[field] !== undefined)
    ) {
      for (const field of SECRET_SOURCE_FIELDS) {
        delete merged[field];
        originOf.delete(field);
      }
    }
    for (const [field, value] of Object.entries(layer.fields)) {
      if (value === undefined) continue;
      merged[field] = value;
      originOf.set(field, layer);
    }
  }
  return { merged, originOf };
}

interface DeviceContext {
  readonly defaults: FieldMap;
  /** The entries of `groups:`, by name. */
  readonly groups: ReadonlyMap<string, FieldMap>;
  readonly context: Context;
  readonly problems: Problems;
  /** Where each id was first seen, for duplicates. */
  readonly firstIndexOf: Map<string, number>;
  /** The entries of `jump_hosts:`, by name. */
  readonly jumpHosts: JumpHosts;
  /** The secrets a router.db holds for this device. */
  readonly secrets?: RouterDbSecrets | undefined;
}

/** Checks one entry of `devices` merged with the defaults; reports its problems. */
function validateDevice(
  entry: unknown,
  index: number,
  { defaults, groups, context, problems, firstIndexOf, jumpHosts, secrets }: DeviceContext,
): { device: Device; credentials: CredentialSpec } | undefined {
  const path = ['devices', index] as const;
  if (!isRecord(entry)) {
    problems.add(path, { message: 'must be a mapping with id, host, vendor, …' });
    return undefined;
  }
  const before = problems.list.length;
  const id = scalar(entry.id);
  const deviceId = typeof id === 'string' && id !== '' ? id : undefined;
  const report = (field: string, message: string): void =>
    problems.add([...path, field], {
      ...(deviceId === undefined ? {} : { deviceId }),
      field,
      message,
    });
  checkFieldNames(problems, path, entry, new Set(), deviceId);
  const layers: Layer[] = [{ path: ['defaults'], fields: defaults }];
  const groupName = scalar(entry.group)?.trim();
  if (entry.group !== undefined) {
    const group = groupName === undefined ? undefined : groups.get(groupName);
    if (group !== undefined) layers.push({ path: ['groups', groupName!], fields: group });
    else {
      const declared = [...groups.keys()];
      report(
        'group',
        groupName === undefined || groupName === ''
          ? 'must be the name of a group of groups:'
          : `names group ${JSON.stringify(groupName)}, which groups: does not declare` +
              (declared.length > 0 ? ` (declared: ${declared.join(', ')})` : ''),
      );
    }
  }
  // A router.db password is the device's own secret source: none is inherited beside it.
  const ownLayer: Layer = { path, fields: entry, ownsSecrets: secrets?.password !== undefined };
  const { merged, originOf } = mergeLayers([...layers, ownLayer]);
  // Secret sources are taken as a set (see mergeLayers): whether the device's own level names any.
  const ownsSecrets = SECRET_SOURCE_FIELDS.some((field) => entry[field] !== undefined);
  const reportMerged = (field: string, message: string): void => {
    const origin = originOf.get(field);
    if (origin !== undefined && origin !== ownLayer) {
      problems.add([...origin.path, field], { field, message });
    } else report(field, message);
  };
  const text = (field: Field): string | undefined => {
    const value = merged[field];
    if (value === undefined) return undefined;
    const converted = scalar(value);
    if (converted === undefined) {
      reportMerged(field, 'must be a single value (a string)');
      return undefined;
    }
    if (converted.trim() === '') {
      reportMerged(field, 'is empty; give a value or remove the field');
      return undefined;
    }
    return converted.trim();
  };

  if (entry.id === undefined) {
    report('id', 'is missing');
  } else if (id === undefined) {
    report('id', 'must be a single value (a string)');
  } else if (deviceIdProblem(id) !== undefined) {
    report('id', deviceIdProblem(id)!);
  } else if (fileNameProblem(id) !== undefined) {
    report('id', fileNameProblem(id)!);
  } else if (deviceId !== undefined && firstIndexOf.has(deviceId)) {
    report('id', `duplicates the id of devices[${firstIndexOf.get(deviceId)!}]`);
  } else if (deviceId !== undefined) {
    firstIndexOf.set(deviceId, index);
  }

  const host = text('host');
  if (host === undefined && merged.host === undefined) report('host', 'is missing');

  let port: number | undefined;
  const portText = text('port');
  if (portText !== undefined) {
    port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      reportMerged(
        'port',
        `must be a whole number from 1 to 65535, got ${JSON.stringify(portText)}`,
      );
    }
  }

  const vendor = text('vendor');
  if (vendor === undefined && merged.vendor === undefined) {
    report('vendor', `is missing; one of: ${context.collectors.vendors().join(', ')}`);
  } else if (vendor !== undefined && !context.collectors.has(vendor)) {
    reportMerged(
      'vendor',
      `unknown vendor ${JSON.stringify(vendor)}; one of: ${context.collectors.vendors().join(', ')}`,
    );
  }
  const tenant = text('tenant');
  const version = text('version');
  const transport = transportField(
    text('transport'),
    vendor ?? text('vendor'),
    context,
    reportMerged,
  );
  const maskSecrets =
    merged.mask_secrets === undefined
      ? undefined
      : (optionValue('boolean', merged.mask_secrets) as boolean | undefined);
  if (merged.mask_secrets !== undefined && maskSecrets === undefined) {
    reportMerged('mask_secrets', 'must be true or false');
  }
  const via = viaOf(merged.via, jumpHosts, (message) => reportMerged('via', message));
  const ssh = sshSettingsOf(
    [...layers, ownLayer].map((layer) => ({ block: layer.fields.ssh, level: layer })),
    (level, key, message) => {
      const at = key === '' ? ['ssh'] : ['ssh', key];
      const field = at.join('.');
      if (level !== ownLayer) problems.add([...level.path, ...at], { field, message });
      else
        problems.add([...path, ...at], {
          ...(deviceId === undefined ? {} : { deviceId }),
          field,
          message,
        });
    },
  );

  const options = collectorOptionsOf(
    [...layers, ownLayer],
    vendor === undefined ? undefined : context.collectors.get(vendor),
    context.collectors,
    (level, name, message) => {
      const at = name === '' ? ['options'] : ['options', name];
      const field = at.join('.');
      if (level !== ownLayer) problems.add([...level.path, ...at], { field, message });
      else
        problems.add([...path, ...at], {
          ...(deviceId === undefined ? {} : { deviceId }),
          field,
          message,
        });
    },
  );

  const vars = deviceVarsOf([...layers, ownLayer], (level, name, message) => {
    const at = name === '' ? ['vars'] : ['vars', name];
    const field = at.join('.');
    if (level !== ownLayer) problems.add([...level.path, ...at], { field, message });
    else
      problems.add([...path, ...at], {
        ...(deviceId === undefined ? {} : { deviceId }),
        field,
        message,
      });
  });

  const username = text('username');
  if (username === undefined && merged.username === undefined) {
    report('username', 'is missing (set it on the device, its group or in defaults)');
  }
  const passwordEnv = envName(text('password_env'), 'password_env', reportMerged);
  const passphraseEnv = envName(text('passphrase_env'), 'passphrase_env', reportMerged);
  // Not a login secret: a device with its own password still takes the fleet's enable secret.
  const enableSecretEnv = envName(text('enable_secret_env'), 'enable_secret_env', reportMerged);
  const passwordFile = filePath(text('password_file'), context.file);
  const privateKeyFile = filePath(text('private_key_file'), context.file);
  if (merged.password_env !== undefined && merged.password_file !== undefined) {
    report('password_file', 'give password_env or password_file, not both');
  }
  // A secret written into the inventory (reported once, where it is) is why there are no
  // credentials: saying so again for every device would bury that one line.
  const secretValueGiven =
    holdsSecretValue(entry) ||
    (!ownsSecrets && layers.some((layer) => holdsSecretValue(layer.fields)));
  if (
    merged.password_env === undefined &&
    merged.password_file === undefined &&
    merged.private_key_file === undefined &&
    secrets?.password === undefined &&
    !secretValueGiven
  ) {
    report(
      'password_env',
      'no credentials: set password_env, password_file or private_key_file (on the device, its group or in defaults)',
    );
  }
  if (merged.passphrase_env !== undefined && merged.private_key_file === undefined) {
    reportMerged('passphrase_env', 'needs private_key_file');
  }

  if (problems.list.length > before || deviceId === undefined) return undefined;
  const device: Device = {
    id: deviceId,
    host: host!,
    vendor: vendor!,
    ...(port === undefined ? {} : { port }),
    ...(tenant === undefined ? {} : { tenantId: tenant }),
    ...(version === undefined ? {} : { version }),
    ...(via === undefined || via.length === 0 ? {} : { via }),
    ...(ssh === undefined ? {} : { ssh }),
    ...(transport === undefined ? {} : { transport }),
    ...(options === undefined ? {} : { options }),
    ...(vars === undefined ? {} : { vars }),
    ...(maskSecrets === undefined ? {} : { maskSecrets }),
  };
  const libraryProblem = checkDeviceRecord(device);
  if (libraryProblem) {
    report(inventoryFieldName(libraryProblem.field), libraryProblem.message);
    return undefined;
  }
  return {
    device,
    credentials: {
      username: username!,
      ...(passwordEnv === undefined ? {} : { passwordEnv }),
      ...(passwordFile === undefined ? {} : { passwordFile }),
      ...(privateKeyFile === undefined ? {} : { privateKeyFile }),
      ...(passphraseEnv === undefined ? {} : { passphraseEnv }),
      ...(enableSecretEnv === undefined ? {} : { enableSecretEnv }),
      ...(secrets?.password === undefined ? {} : { password: secrets.password }),
      ...(secrets?.enableSecret === undefined ? {} : { enableSecret: secrets.enableSecret }),
    },
  };
}

const LIBRARY_FIELD_NAMES: Readonly<Record<string, string>> = { tenantId: 'tenant' };

/** The inventory's names of the settings of `ssh:`, and the library's (`Device.ssh`) for each. */
const SSH_SETTINGS = Object.freeze({
  algorithms: 'algorithms',
  connect_timeout_ms: 'connectTimeoutMs',
  command_timeout_ms: 'commandTimeoutMs',
  time_limit_ms: 'timeLimitMs',
  keepalive_interval_ms: 'keepaliveIntervalMs',
} as const);

/** The kinds of `ssh: { algorithms: { … } }`, and the library's name of each. */
const ALGORITHM_KINDS = Object.freeze({
  kex: 'kex',
  cipher: 'cipher',
  server_host_key: 'serverHostKey',
  hmac: 'hmac',
  compress: 'compress',
} as const);

/** A field the library's record check names (`ssh.connectTimeoutMs`), as the inventory spells it. */
function inventoryFieldName(field: string): string {
  const named = LIBRARY_FIELD_NAMES[field];
  if (named !== undefined) return named;
  const toInventory = (parts: Readonly<Record<string, string>>, name: string): string =>
    Object.entries(parts).find(([, library]) => library === name)?.[0] ?? name;
  const [head, setting, kind, ...rest] = field.split('.');
  if (head !== 'ssh' || setting === undefined) return field;
  return [
    'ssh',
    toInventory(SSH_SETTINGS, setting),
    ...(kind === undefined ? [] : [toInventory(ALGORITHM_KINDS, kind)]),
    ...rest,
  ].join('.');
}

/**
 * `ssh:` of each level (lowest first: defaults, group, device) merged setting by setting — a
 * device's own `connect_timeout_ms` leaves the group's `algorithms` in force — as the library's
 * `Device.ssh`; `undefined` when no level has one, or (after a report naming the level) when a
 * value is wrong. The library's record check then checks the algorithm names.
 */
function sshSettingsOf<Level>(
  levels: readonly { readonly block: unknown; readonly level: Level }[],
  report: (level: Level, key: string, message: string) => void,
): DeviceSSHSettings | undefined {
  if (levels.every(({ block }) => block === undefined)) return undefined;
  const settings: Record<string, unknown> = {};
  let valid = true;
  const fail = (fromDefault: Level, key: string, message: string): void => {
    valid = false;
    report(fromDefault, key, message);
  };
  for (const { level: fromDefault, block } of levels) {
    if (block === undefined) continue;
    if (!isRecord(block)) {
      valid = false;
      report(fromDefault, '', 'must be a mapping of settings: algorithms, connect_timeout_ms, …');
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      const setting = SSH_SETTINGS[key as keyof typeof SSH_SETTINGS];
      if (setting === undefined) {
        fail(fromDefault, key, `unknown setting; known: ${Object.keys(SSH_SETTINGS).join(', ')}`);
      } else if (setting === 'algorithms') {
        const algorithms = algorithmsOf(value, (message) => fail(fromDefault, key, message));
        if (algorithms !== undefined) settings.algorithms = algorithms;
      } else {
        const text = scalar(value)?.trim();
        const zeroAllowed = setting === 'keepaliveIntervalMs';
        const ms = text !== undefined && /^\d+$/.test(text) ? Number(text) : Number.NaN;
        if (!Number.isSafeInteger(ms) || (ms === 0 && !zeroAllowed)) {
          fail(
            fromDefault,
            key,
            `must be a whole number of milliseconds${zeroAllowed ? ' (0: off)' : ' of at least 1'}, got ${JSON.stringify(value)}`,
          );
        } else settings[setting] = ms;
      }
    }
  }
  return valid ? settings : undefined;
}

/** `ssh: { algorithms }`: `modern`, `legacy`, or lists per kind (`kex: [...]`, …). */
function algorithmsOf(
  value: unknown,
  report: (message: string) => void,
): DeviceSSHSettings['algorithms'] | undefined {
  const shape =
    'must be modern, legacy, or a mapping of lists (kex, cipher, server_host_key, hmac, compress)';
  const text = scalar(value)?.trim();
  if (text === 'modern' || text === 'legacy') return text;
  if (!isRecord(value)) {
    report(`${shape}, got ${JSON.stringify(value)}`);
    return undefined;
  }
  const lists: Record<string, string[]> = {};
  for (const [kind, names] of Object.entries(value)) {
    const libraryKind = ALGORITHM_KINDS[kind as keyof typeof ALGORITHM_KINDS];
    if (libraryKind === undefined) {
      report(`${kind} is no kind of algorithm; known: ${Object.keys(ALGORITHM_KINDS).join(', ')}`);
      return undefined;
    }
    const list = (Array.isArray(names) ? names : [names]).map((name) => scalar(name)?.trim());
    if (list.some((name) => name === undefined || name === '')) {
      report(`${kind} must be a list of algorithm names`);
      return undefined;
    }
    lists[libraryKind] = list as string[];
  }
  return lists;
}

/**
 * `options:` of each level (lowest first) merged option by option, checked against the options
 * the device's collector declares, as `Device.options`; `undefined` when none is given. A name
 * written on the device must be declared by its collector; one from `defaults` or a group applies
 * only to devices whose collector declares it, and is a mistake only when no collector does.
 */
function collectorOptionsOf(
  levels: readonly Layer[],
  collector: ConfigCollector | undefined,
  collectors: CollectorRegistry,
  report: (level: Layer, name: string, message: string) => void,
): Record<string, CollectorOptionValue> | undefined {
  const values: Record<string, CollectorOptionValue> = {};
  const own = levels.at(-1);
  for (const level of levels) {
    const block = level.fields.options;
    if (block === undefined || block === '') continue;
    if (!isRecord(block)) {
      report(level, '', 'must be a mapping of option names to values');
      continue;
    }
    for (const [name, value] of Object.entries(block)) {
      const declared = collector?.options?.find((option) => option.name === name);
      if (declared === undefined) {
        // The collector's own problems (an unknown vendor) are reported with the vendor.
        if (collector === undefined) continue;
        const anyCollector = [...collectors].some((c) => c.options?.some((o) => o.name === name));
        if (level === own || !anyCollector) {
          const names = (collector.options ?? []).map((option) => option.name);
          report(
            level,
            name,
            level === own
              ? `is not an option of ${collector.vendor}; ${names.length === 0 ? `${collector.vendor} declares no options` : `its options: ${names.join(', ')}`}`
              : "no collector declares this option; see the collectors' options in docs/cli.md",
          );
        }
        continue;
      }
      const converted = optionValue(declared.type, value);
      if (converted === undefined) {
        report(level, name, `must be ${OPTION_TYPE_WORDS[declared.type]} (${declared.doc})`);
        continue;
      }
      const problem = collectorOptionProblem(declared, converted);
      if (problem !== undefined) {
        report(level, name, `${problem} (${collector!.vendor}: ${declared.doc})`);
        continue;
      }
      values[name] = converted;
    }
  }
  return Object.keys(values).length === 0 ? undefined : values;
}

/** A var's name: letters, digits, `_` and `-`, as Oxidized's vars are named. */
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Oxidized vars that are settings of their own here: a var of that name would do nothing, so it
 * is refused with the setting to use instead.
 */
const OXIDIZED_SETTING_VARS: Readonly<Record<string, string>> = Object.freeze({
  enable:
    "is Oxidized's enable secret; here name the environment variable holding it in enable_secret_env",
  ssh_port: "is Oxidized's port; here it is port:",
  telnet_port: "is Oxidized's telnet port; here it is port: with transport: telnet",
  input: "is Oxidized's ssh or telnet choice; here it is transport:",
  remove_secret: "is Oxidized's secret masking; here it is mask_secrets: (on by default)",
  ssh_kex: "is one of Oxidized's SSH algorithm settings; here it is ssh: { algorithms: … }",
  ssh_encryption: "is one of Oxidized's SSH algorithm settings; here it is ssh: { algorithms: … }",
  ssh_hmac: "is one of Oxidized's SSH algorithm settings; here it is ssh: { algorithms: … }",
  ssh_host_key: "is one of Oxidized's SSH algorithm settings; here it is ssh: { algorithms: … }",
  ssh_proxy: "is Oxidized's SSH proxy; here it is a jump host of jump_hosts: named in via:",
  ssh_proxy_port: "is Oxidized's SSH proxy; here it is a jump host of jump_hosts: named in via:",
});

/**
 * `vars:` of each level (lowest first: defaults, group, device) merged var by var, as
 * `Device.vars`: free-form text for collectors, as Oxidized's vars. Values are single scalars
 * (numbers and true/false are kept as their text); a name that would hold a secret, or that is a
 * setting of its own (`enable`, `ssh_port`, …), is reported at its level — never with its value.
 * `undefined` when no level gives one.
 */
function deviceVarsOf(
  levels: readonly Layer[],
  report: (level: Layer, name: string, message: string) => void,
): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  for (const level of levels) {
    const block = level.fields.vars;
    if (block === undefined || block === '') continue;
    if (!isRecord(block)) {
      report(level, '', 'must be a mapping of names to values, e.g. { site: ams1 }');
      continue;
    }
    for (const [name, value] of Object.entries(block)) {
      const setting = OXIDIZED_SETTING_VARS[name];
      if (!VAR_NAME.test(name)) {
        report(level, name, 'a var name is letters, digits, _ and -, starting with a letter or _');
      } else if (setting !== undefined) {
        report(level, name, setting);
      } else if (SECRET_VALUE_FIELD.test(name)) {
        report(
          level,
          name,
          'looks like a secret, and secrets do not belong in the inventory: name an environment variable (password_env, passphrase_env, enable_secret_env) or a file (password_file, private_key_file)',
        );
      } else {
        const text = typeof value === 'boolean' ? String(value) : scalar(value);
        if (text?.trim() === '') {
          report(level, name, 'is empty; give a value or remove the var');
        } else if (text === undefined) {
          report(
            level,
            name,
            `must be a single value (text, a number or true/false), got ${Array.isArray(value) ? 'a list' : value === null ? 'nothing' : 'a mapping'}`,
          );
        } else values[name] = text;
      }
    }
  }
  return Object.keys(values).length === 0 ? undefined : values;
}

const OPTION_TYPE_WORDS: Readonly<Record<CollectorOptionType, string>> = {
  string: 'a single value',
  boolean: 'true or false',
  integer: 'a whole number',
  strings: 'a list of values',
};

/** An inventory value (YAML scalars are strings) as the option type, or `undefined` if it is not. */
function optionValue(type: CollectorOptionType, value: unknown): CollectorOptionValue | undefined {
  if (typeof value === 'boolean') return type === 'boolean' ? value : undefined;
  const text = scalar(value)?.trim();
  switch (type) {
    case 'string':
      return text === '' ? undefined : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'integer':
      return text !== undefined && /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))
        ? Number(text)
        : undefined;
    case 'strings': {
      const list = (Array.isArray(value) ? value : [value]).map((item) => scalar(item));
      return list.every((item): item is string => item !== undefined) ? list : undefined;
    }
  }
}

/**
 * `transport:` — `ssh` or `telnet` — as `Device.transport`; telnet only for a shell vendor.
 * `undefined` when absent or after a report.
 */
function transportField(
  value: string | undefined,
  vendor: string | undefined,
  context: { readonly collectors: CollectorRegistry },
  report: (field: string, message: string) => void,
): DeviceTransport | undefined {
  if (value === undefined) return undefined;
  if (value !== 'ssh' && value !== 'telnet') {
    report('transport', `must be ssh or telnet, got ${JSON.stringify(value)}`);
    return undefined;
  }
  const mode = vendor === undefined ? undefined : context.collectors.get(vendor)?.mode;
  const problem = telnetRecordProblem({ transport: value, vendor: vendor ?? '' }, mode);
  if (problem) {
    report('transport', problem.message);
    return undefined;
  }
  return value;
}

/**
 * `via:` — the name of a jump host of `jump_hosts:`, or a list of names (nearest first) — as the
 * library's `Device.via`; `undefined` (after a report) when a name is not declared, or (without
 * one, as the jump host's entry was reported already) when it names an invalid entry.
 */
function viaOf(
  value: unknown,
  jumpHosts: JumpHosts,
  report: (message: string) => void,
): JumpHost[] | undefined {
  if (value === undefined || value === '') return undefined;
  const names = Array.isArray(value) ? value : [value];
  const hops: JumpHost[] = [];
  for (const name of names) {
    if (typeof name !== 'string' || name.trim() === '') {
      report('must be the name of a jump host of jump_hosts:, or a list of names (nearest first)');
      return undefined;
    }
    const hop = jumpHosts.get(name.trim());
    // Its own problems are reported where it is declared.
    if (!hop && jumpHosts.invalid.has(name.trim())) return undefined;
    if (!hop) {
      const declared = [...jumpHosts.keys()];
      report(
        `names jump host ${JSON.stringify(name)}, which jump_hosts: does not declare` +
          (declared.length > 0 ? ` (declared: ${declared.join(', ')})` : ''),
      );
      return undefined;
    }
    hops.push(hop.jumpHost);
  }
  return hops;
}

/**
 * Why an id cannot name its file in `--out DIR`: the CLI always writes there, and `<id>.cfg` with
 * `/`, `\\`, `%` and a leading `.` encoded as `%XX` must fit the 255 bytes of a file name.
 */
function fileNameProblem(id: string): string | undefined {
  const nameBytes = Buffer.byteLength(DirectorySnapshotPublisher.fileNameOf(id));
  if (nameBytes <= MAX_FILE_NAME_BYTES) return undefined;
  return (
    `is ${Buffer.byteLength(id)} bytes, and its file name in --out (the id with /, \\, % and a leading . ` +
    `written as %XX, then .cfg) would be ${nameBytes} bytes, over the ${MAX_FILE_NAME_BYTES} bytes a file name may have; ` +
    `give the device a shorter id (at most ${MAX_FILE_NAME_BYTES - '.cfg'.length} bytes when nothing in it is encoded)`
  );
}

/** Whether a record names a field that would hold a secret itself, such as `password:`. */
function holdsSecretValue(record: FieldMap): boolean {
  return Object.keys(record).some(
    (field) =>
      !(DEVICE_FIELDS as readonly string[]).includes(field) && SECRET_VALUE_FIELD.test(field),
  );
}

function checkFieldNames(
  problems: Problems,
  path: readonly (string | number)[],
  record: FieldMap,
  excluded: ReadonlySet<string>,
  deviceId?: string,
): void {
  for (const field of Object.keys(record)) {
    const known = (DEVICE_FIELDS as readonly string[]).includes(field);
    if (known && !excluded.has(field)) continue;
    let message: string;
    if (known) {
      message =
        path[0] === 'groups'
          ? 'cannot be set on a group; set it on each device'
          : 'cannot be a default; set it on each device';
    } else if (SECRET_VALUE_FIELD.test(field)) {
      message =
        'secrets do not belong in the inventory: name an environment variable (password_env, passphrase_env, enable_secret_env) or a file (password_file, private_key_file)';
    } else message = `unknown field; known fields: ${DEVICE_FIELDS.join(', ')}`;
    problems.add([...path, field], {
      ...(deviceId === undefined ? {} : { deviceId }),
      field,
      message,
    });
  }
}

/** A scalar as a string (YAML scalars are strings already; JSON numbers are converted). */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function envName(
  name: string | undefined,
  field: string,
  report: (field: string, message: string) => void,
): string | undefined {
  if (name === undefined) return undefined;
  if (!ENV_NAME.test(name)) {
    // Not echoed: someone may have put the secret itself here.
    report(field, 'must be the name of an environment variable (letters, digits, _)');
    return undefined;
  }
  return name;
}

function filePath(path: string | undefined, inventoryFile: string): string | undefined {
  return path === undefined ? undefined : resolve(dirname(inventoryFile), path);
}

function dedupe(problems: readonly InventoryProblem[]): InventoryProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = formatProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Ids listed in a problem shared by several devices; the rest are counted. */
const SHOWN_IDS = 5;

/**
 * One problem for the same mistake on many devices (a field missing from every device, most often
 * because it belongs in `defaults`): "6 devices (r1, r2, r3, r4, r5, …): username: is missing".
 */
/**
 * The problems in the order of the file, as an editor goes through them: fields are checked in a
 * fixed order, which is not the order they are written in. Problems of the whole file (no line)
 * come first; among equal lines the order of the checks is kept.
 */
function inLineOrder(problems: readonly InventoryProblem[]): InventoryProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function groupRepeated(problems: readonly InventoryProblem[]): InventoryProblem[] {
  const groups = new Map<string, InventoryProblem[]>();
  for (const problem of problems) {
    const key = problem.position?.startsWith('devices[')
      ? `device\0${problem.field ?? ''}\0${problem.message}`
      : `single\0${groups.size}`;
    groups.set(key, [...(groups.get(key) ?? []), problem]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    if (group.length === 1) return first!;
    const ids = group.map((problem) => problem.deviceId ?? problem.position!);
    const shown = ids.slice(0, SHOWN_IDS).join(', ') + (ids.length > SHOWN_IDS ? ', …' : '');
    return { ...first!, position: `${group.length} devices`, deviceId: shown };
  });
}
