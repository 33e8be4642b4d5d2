/**
 * Oxidized's CSV source (`router.db`) read as inventory entries: the delimiter, the `map` of field
 * positions and the `vars_map` of Oxidized, and its model names turned into confsnap vendor ids.
 */
import { closestNames, MODEL_VENDORS, vendorForModel } from '../models.js';

/** The node fields Oxidized's `map` may place, and the inventory field each one fills. */
export const ROUTER_DB_FIELDS = ['name', 'ip', 'model', 'group', 'username', 'password'] as const;

/** The node vars of Oxidized's `vars_map` confsnap understands. */
export const ROUTER_DB_VARS = ['ssh_port', 'telnet_port', 'enable', 'input'] as const;

/** How to read a router.db: Oxidized's `source.csv` settings. */
export interface RouterDbSettings {
  /** A string splits on itself (and `\` before it escapes it); a RegExp is used as Oxidized does. */
  readonly delimiter: string | RegExp;
  /** 0-based column of each node field; `name` is required. */
  readonly map: Readonly<Partial<Record<(typeof ROUTER_DB_FIELDS)[number], number>>>;
  /** 0-based column of each node var. */
  readonly varsMap: Readonly<Partial<Record<(typeof ROUTER_DB_VARS)[number], number>>>;
}

/**
 * Used for a router.db given without settings. Oxidized's own default map is name and model only;
 * confsnap also reads columns 2 and 3 as username and password, the layout of Oxidized's
 * documentation, since a bare router.db has no other place for credentials. Absent columns are
 * simply absent.
 */
export const DEFAULT_ROUTER_DB_SETTINGS: RouterDbSettings = Object.freeze({
  delimiter: ':',
  map: Object.freeze({ name: 0, model: 1, username: 2, password: 3 }),
  varsMap: Object.freeze({}),
});

/** Secrets a router.db holds for one device: kept apart from the fields, never shown. */
export interface RouterDbSecrets {
  readonly password?: string;
  readonly enableSecret?: string;
}

/** One device of a router.db, as inventory fields. */
export interface RouterDbEntry {
  /** 1-based line in the file. */
  readonly line: number;
  /** `id`, `host`, `vendor`, `group`, `username`, `port`, `transport`, as the inventory spells them. */
  readonly fields: Readonly<Record<string, string>>;
  readonly secrets: RouterDbSecrets;
}

/** The devices of a router.db, and one line for each one left out. */
export interface RouterDbContent {
  readonly entries: readonly RouterDbEntry[];
  /** `router.db:7: sw9: model "procurve" is not known …; the device is skipped`. */
  readonly skipped: readonly string[];
  /** Problems that make an entry unusable: the field and a message, never a value. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

/**
 * Splits a router.db into devices. An unknown model skips its device (listed in `skipped`, with the
 * closest model names and vendor ids); the rest of the file is still used.
 *
 * @param knownVendors the vendor ids that can be backed up (built-in and custom collectors).
 */
export function readRouterDb(
  text: string,
  settings: RouterDbSettings,
  shownFile: string,
  knownVendors: readonly string[],
): RouterDbContent {
  const entries: RouterDbEntry[] = [];
  const skipped: string[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/\r$/, '');
    if (/^\s*#/.test(content) || content.trim() === '') return;
    const columns = splitLine(content, settings.delimiter);
    const at = (position: number | undefined): string | undefined => {
      if (position === undefined) return undefined;
      const value = columns[position];
      // Oxidized reads the text "nil" as no value; an empty column is no value too, so the group's
      // or the defaults' setting applies.
      return value === undefined || value === '' || value === 'nil' ? undefined : value;
    };
    const name = at(settings.map.name);
    if (name === undefined) {
      problems.push({ line, message: `name (column ${settings.map.name ?? 0}) is empty` });
      return;
    }
    const fields: Record<string, string> = { id: name, host: at(settings.map.ip) ?? name };
    const model = at(settings.map.model);
    if (model !== undefined) {
      const vendor = vendorOfModel(model, knownVendors);
      if (vendor === undefined) {
        const closest = closestNames(model, [...Object.keys(MODEL_VENDORS), ...knownVendors]);
        skipped.push(
          `${shownFile}:${line}: ${name}: model ${JSON.stringify(model)} is not known` +
            (closest.length > 0 ? ` (closest: ${closest.join(', ')})` : '') +
            '; the device is skipped — use a known model or a vendor id, or add a collector',
        );
        return;
      }
      fields.vendor = vendor;
    }
    const group = at(settings.map.group);
    if (group !== undefined) fields.group = group;
    const username = at(settings.map.username);
    if (username !== undefined) fields.username = username;
    const input = at(settings.varsMap.input)?.split(',')[0]?.trim();
    if (input !== undefined) fields.transport = input;
    const port =
      input === 'telnet' ? at(settings.varsMap.telnet_port) : at(settings.varsMap.ssh_port);
    if (port !== undefined) fields.port = port;
    const password = at(settings.map.password);
    const enable = at(settings.varsMap.enable);
    // Oxidized: `true` enables with no secret, `false` not at all, any other text is the secret.
    const enableSecret =
      enable === undefined || enable === 'false' ? undefined : enable === 'true' ? '' : enable;
    entries.push({
      line,
      fields,
      secrets: {
        ...(password === undefined ? {} : { password }),
        ...(enableSecret === undefined ? {} : { enableSecret }),
      },
    });
  });
  return { entries, skipped, problems };
}

/** The vendor id of an Oxidized model name (or of a vendor id given as the model). */
export function vendorOfModel(model: string, knownVendors: readonly string[]): string | undefined {
  if (knownVendors.includes(model)) return model;
  const mapped = vendorForModel(model);
  return mapped !== undefined && knownVendors.includes(mapped) ? mapped : undefined;
}

/** A line split on a string delimiter (`\` before it keeps it in the value) or on a RegExp. */
function splitLine(line: string, delimiter: string | RegExp): string[] {
  if (delimiter instanceof RegExp) return line.split(delimiter);
  const columns: string[] = [];
  let current = '';
  for (let index = 0; index < line.length; index++) {
    if (line[index] === '\\' && line.startsWith(delimiter, index + 1)) {
      current += delimiter;
      index += delimiter.length;
    } else if (line.startsWith(delimiter, index)) {
      columns.push(current);
      current = '';
      index += delimiter.length - 1;
    } else current += line[index];
  }
  columns.push(current);
  return columns;
}

/**
 * `source:` of a YAML inventory with `format: oxidized` (Oxidized's `source.csv`: `file`,
 * `delimiter`, `map`, `vars_map`, `gpg`) as settings and the router.db path; problems as
 * `[field, message]`.
 */
export function routerDbSettingsOf(
  source: unknown,
  report: (field: string, message: string) => void,
): { file: string; settings: RouterDbSettings } | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    report(
      'source',
      'must be a mapping with file: (the router.db), and optionally delimiter:, map:, vars_map:',
    );
    return undefined;
  }
  const record = source as Record<string, unknown>;
  let valid = true;
  const fail = (field: string, message: string): void => {
    valid = false;
    report(field, message);
  };
  for (const key of Object.keys(record)) {
    if (!['file', 'delimiter', 'map', 'vars_map', 'gpg'].includes(key)) {
      fail(`source.${key}`, 'unknown setting; known: file, delimiter, map, vars_map');
    }
  }
  const gpg = record.gpg;
  if (gpg !== undefined && gpg !== 'false' && gpg !== false) {
    fail(
      'source.gpg',
      'gpg-encrypted router.db files are not supported; decrypt it to a 0600 file and name that',
    );
  }
  const file =
    typeof record.file === 'string' && record.file.trim() !== '' ? record.file.trim() : undefined;
  if (file === undefined) fail('source.file', 'is missing; name the router.db file');
  let delimiter: string | RegExp = DEFAULT_ROUTER_DB_SETTINGS.delimiter;
  if (record.delimiter !== undefined) {
    const text = typeof record.delimiter === 'string' ? record.delimiter : '';
    const regex = /^\/(.+)\/$/.exec(text);
    if (text === '')
      fail('source.delimiter', 'must be a non-empty string, or /a regular expression/');
    else if (regex) {
      try {
        delimiter = new RegExp(regex[1]!);
      } catch {
        fail('source.delimiter', `is not a valid regular expression: ${text}`);
      }
    } else delimiter = text;
  }
  const positions = <Name extends string>(
    field: string,
    value: unknown,
    names: readonly Name[],
  ): Partial<Record<Name, number>> => {
    const result: Partial<Record<Name, number>> = {};
    if (value === undefined) return result;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(field, `must be a mapping of ${names.join(', ')} to column numbers (from 0)`);
      return result;
    }
    for (const [name, position] of Object.entries(value as Record<string, unknown>)) {
      const text =
        typeof position === 'number'
          ? String(position)
          : typeof position === 'string'
            ? position.trim()
            : '';
      if (!(names as readonly string[]).includes(name)) {
        fail(`${field}.${name}`, `is not supported; known: ${names.join(', ')}`);
      } else if (!/^\d+$/.test(text)) {
        fail(
          `${field}.${name}`,
          `must be a column number (from 0), got ${JSON.stringify(position)}`,
        );
      } else result[name as Name] = Number(text);
    }
    return result;
  };
  const map =
    record.map === undefined
      ? DEFAULT_ROUTER_DB_SETTINGS.map
      : positions('source.map', record.map, ROUTER_DB_FIELDS);
  if (record.map !== undefined && map.name === undefined)
    fail('source.map.name', 'is missing; say which column holds the name');
  const varsMap = positions('source.vars_map', record.vars_map, ROUTER_DB_VARS);
  if (!valid || file === undefined) return undefined;
  return { file, settings: { delimiter, map, varsMap } };
}
