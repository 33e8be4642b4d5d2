import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { DirectorySnapshotPublisher } from '../index.js';
import { INVENTORY_USAGE, parseInventoryArgs, type InventoryConvertArgs } from './args.js';
import { EXIT } from './exit.js';
import { writeLine, type CliIO } from './io.js';
import { loadInventory, readRouterDbInventory, type FieldMap } from './inventory.js';
import { SetupError } from './publishers.js';

/**
 * `confsnap inventory convert FILE [--out inventory.yaml]`: writes the YAML inventory equivalent
 * to an Oxidized router.db. The router.db's passwords go to one 0600 file per device in the 0700
 * directory `<out>.secrets/`, named by `password_file`; its enable secrets to
 * `<out>.secrets/enable.env` (0600, `NAME='value'` lines), named by `enable_secret_env`. The YAML
 * file holds no secret. Nothing is overwritten; the result is loaded back before the command
 * reports success. Skipped devices (unknown models) are listed as warnings and left out.
 */
export async function inventoryCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseInventoryArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout.write(INVENTORY_USAGE);
    return EXIT.ok;
  }
  return convertInventory(args, io);
}

async function convertInventory(args: InventoryConvertArgs, io: CliIO): Promise<number> {
  const options = {
    cwd: io.cwd,
    ...(args.inventoryFormat === undefined ? {} : { format: args.inventoryFormat }),
  };
  // Validated first: a router.db that would not back up is not converted.
  await loadInventory(args.from, options);
  const read = await readRouterDbInventory(args.from, options);
  if (read === undefined) {
    throw new SetupError(
      `${args.from} is confsnap's own inventory already; convert takes an Oxidized router.db (a .db file, --format oxidized, or YAML with format: oxidized)`,
      2,
    );
  }
  const secretsDir = `${args.out.replace(/\.ya?ml$/i, '')}.secrets`;
  for (const path of [args.out, secretsDir]) {
    if (existsSync(path))
      throw new SetupError(`${path} exists already; remove it or give another --out`, 2);
  }
  const secretsRef = relative(dirname(args.out), secretsDir) || basename(secretsDir);
  const envLines: string[] = [];
  const envNames = new Set<string>();
  const secretFiles: [string, string][] = [];
  const devices = read.routerDb.entries.map((entry) => {
    const device: Record<string, unknown> = { ...entry.fields };
    // router.db columns are text; a port reads best as the number it is.
    if (typeof device.port === 'string' && /^\d+$/.test(device.port))
      device.port = Number(device.port);
    const id = entry.fields.id!;
    if (entry.secrets.password !== undefined) {
      const name = DirectorySnapshotPublisher.fileNameOf(id).replace(/\.cfg$/, '.password');
      secretFiles.push([name, entry.secrets.password]);
      device.password_file = `${secretsRef}/${name}`;
    }
    if (entry.secrets.enableSecret !== undefined) {
      const name = uniqueEnvName(`ENABLE_${id}`, envNames);
      envLines.push(`${name}=${shellQuoted(entry.secrets.enableSecret)}`);
      device.enable_secret_env = name;
    }
    return device;
  });
  const groups: Record<string, unknown> = isMapping(read.sections.groups)
    ? { ...read.sections.groups }
    : {};
  // A bare router.db's groups are labels: each one becomes an empty group to fill in.
  for (const device of devices) {
    const group = device.group;
    if (typeof group === 'string' && !(group in groups)) groups[group] = {};
  }
  const document = {
    ...read.sections,
    ...(Object.keys(groups).length > 0 ? { groups } : {}),
    devices,
  };
  await mkdir(dirname(args.out), { recursive: true });
  try {
    await mkdir(secretsDir, { mode: 0o700 });
    for (const [name, password] of secretFiles) {
      await writeFile(join(secretsDir, name), `${password}\n`, { mode: 0o600, flag: 'wx' });
    }
    if (envLines.length > 0) {
      await writeFile(join(secretsDir, 'enable.env'), `${envLines.join('\n')}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
    }
    await writeFile(
      args.out,
      `# Converted from ${basename(args.from)} by confsnap inventory convert; see docs/cli.md.\n` +
        `# Passwords: ${secretsRef}/ (0600 files). Enable secrets: ${secretsRef}/enable.env.\n` +
        stringify(document),
      { flag: 'wx' },
    );
    await loadInventory(args.out, { cwd: io.cwd });
  } catch (error) {
    await rm(secretsDir, { recursive: true, force: true });
    await rm(args.out, { force: true });
    throw error;
  }
  for (const skipped of read.routerDb.skipped) writeLine(io.stderr, `warning: ${skipped}`);
  writeLine(
    io.stdout,
    `Wrote ${args.out}: ${devices.length} device${devices.length === 1 ? '' : 's'}` +
      (secretFiles.length > 0 ? `, ${secretFiles.length} password files in ${secretsDir}` : '') +
      '.',
  );
  if (envLines.length > 0) {
    writeLine(
      io.stdout,
      `Enable secrets are in ${join(secretsDir, 'enable.env')}: load it into confsnap's environment ` +
        `(set -a; . ${join(secretsDir, 'enable.env')}; set +a — or systemd EnvironmentFile=).`,
    );
  }
  return EXIT.ok;
}

function isMapping(value: unknown): value is FieldMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An environment variable name from a device id (`ENABLE_CORE_R1`), unique among `taken`. */
function uniqueEnvName(base: string, taken: Set<string>): string {
  const stem = base.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  let name = stem;
  for (let suffix = 2; taken.has(name); suffix++) name = `${stem}_${suffix}`;
  taken.add(name);
  return name;
}

/** A value in single quotes for a shell or systemd environment file. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
