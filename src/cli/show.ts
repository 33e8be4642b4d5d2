import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './args.js';
import { EXIT } from './exit.js';
import { writeLine, type CliIO } from './io.js';
import { decodeFileName, encodeFileName } from '../publish/device-id.js';

export const SHOW_USAGE = `Usage: confsnap show DEVICE --out DIR

Print the latest backed-up configuration of DEVICE (its DIR/<device_id>.cfg), as written by
confsnap backup or run.

Options:
  --out DIR    the output directory of backup/run   [required]
  -h, --help   show this help

Exit codes: 0 printed, 1 DIR has no config of DEVICE, 2 bad usage.
`;

/** `show` and `diff`: the device, the output directory and the rest of the positionals. */
export interface DeviceCommandArgs {
  readonly deviceId: string;
  readonly out: string;
  readonly rest: readonly string[];
}

/**
 * Parses `DEVICE [more] --out DIR` for `command`; `'help'` for `--help`.
 *
 * @throws {UsageError} naming what is missing or unknown.
 */
export function parseDeviceCommandArgs(
  command: string,
  argv: readonly string[],
  cwd: string,
  maxRest: number,
): DeviceCommandArgs | 'help' {
  let parsed: { values: { out?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), command);
  }
  if (parsed.values.help === true) return 'help';
  const [deviceId, ...rest] = parsed.positionals;
  if (deviceId === undefined || deviceId === '') {
    throw new UsageError(`say which device: confsnap ${command} DEVICE --out DIR`, command);
  }
  if (rest.length > maxRest)
    throw new UsageError(`unexpected argument "${rest[maxRest]}"`, command);
  const out = parsed.values.out;
  if (out === undefined || out.trim() === '')
    throw new UsageError('--out DIR is required', command);
  return { deviceId, out: resolve(cwd, out), rest };
}

/** The file a device's config is kept in, as the directory publisher names it. */
export function configFileName(deviceId: string): string {
  return `${encodeFileName(deviceId)}.cfg`;
}

/**
 * The sentence for a device that `dir` has no config of: how many it has and the closest ids, so
 * a typo is spotted at once.
 */
export async function unknownDeviceMessage(deviceId: string, dir: string): Promise<string> {
  if (!existsSync(dir)) return `${dir} does not exist; give the --out DIR of confsnap backup/run`;
  const ids = (await readdir(dir))
    .filter((name) => name.endsWith('.cfg') && !name.startsWith('.'))
    .map((name) => {
      try {
        return decodeFileName(name.slice(0, -'.cfg'.length));
      } catch {
        return undefined;
      }
    })
    .filter((id): id is string => id !== undefined)
    .sort();
  if (ids.length === 0) return `${dir} holds no device configs yet`;
  const needle = deviceId.toLowerCase();
  const close = ids.filter(
    (id) => id.toLowerCase().includes(needle) || needle.includes(id.toLowerCase()),
  );
  const shown = (close.length > 0 ? close : ids).slice(0, 5);
  return `no config of device "${deviceId}" in ${dir} (it has ${ids.length} device${ids.length === 1 ? '' : 's'}; ${close.length > 0 ? 'similar' : 'e.g.'}: ${shown.join(', ')})`;
}

/** `confsnap show DEVICE --out DIR`: prints the device's latest config on stdout, unchanged. */
export async function showCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseDeviceCommandArgs('show', argv, io.cwd, 0);
  if (args === 'help') {
    io.stdout.write(SHOW_USAGE);
    return EXIT.ok;
  }
  const file = join(args.out, configFileName(args.deviceId));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    writeLine(io.stderr, `confsnap show: ${await unknownDeviceMessage(args.deviceId, args.out)}`);
    return EXIT.failed;
  }
  io.stdout.write(text);
  return EXIT.ok;
}
