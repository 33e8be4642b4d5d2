import { readFileSync } from 'node:fs';
import { MAIN_USAGE, UsageError } from './args.js';
import { backupCommand } from './backup.js';
import { demoCommand } from './demo.js';
import { diffCommand } from './diff.js';
import { EXIT, reportCliError } from './exit.js';
import { hostkeysCommand } from './hostkeys.js';
import { inventoryCommand } from './inventory-convert.js';
import type { CliIO } from './io.js';
import { credentialUrls, redactingIo } from './redact.js';
import { recordCommand } from './record.js';
import { runCommand } from './run.js';
import { showCommand } from './show.js';

export type { CliIO } from './io.js';

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIO) => Promise<number>>> =
  {
    backup: async (argv, io) => (await backupCommand(argv, io)).exitCode,
    run: runCommand,
    hostkeys: hostkeysCommand,
    demo: demoCommand,
    show: showCommand,
    diff: diffCommand,
    inventory: inventoryCommand,
    record: recordCommand,
  };

/**
 * Runs the `confsnap` command line `argv` (without `node` and the script) and resolves with its
 * exit code: 0 success, 1 at least one device failed, 2 bad usage, inventory or setup, 130/143 a
 * backup interrupted by SIGINT/SIGTERM. Credentials in `--nats`/`--redis` URLs are scrubbed from
 * everything written to `io`. Nothing here exits the process or touches `process`: `main.ts` does,
 * so tests call this in-process.
 */
export async function runCli(argv: readonly string[], given: CliIO): Promise<number> {
  // Credentials in --nats/--redis URLs never reach the output, whoever prints them.
  const io = redactingIo(given, credentialUrls(argv));
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(MAIN_USAGE);
      return EXIT.usage;
    }
    if (command === '--version' || command === '-V') {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      const topic = rest[0];
      if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) {
        return await COMMANDS[topic]!(['--help'], io);
      }
      io.stdout.write(MAIN_USAGE);
      return EXIT.ok;
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) {
      throw new UsageError(
        command.startsWith('-')
          ? `unknown option ${command}; a command comes first (backup, run, hostkeys, show, diff, inventory, record, demo)`
          : `unknown command "${command}"; the commands are backup, run, hostkeys, show, diff, inventory, record and demo`,
      );
    }
    return await run(rest, io);
  } catch (error) {
    return reportCliError(error, io);
  }
}

/** The package's version, from the package.json two levels up (`src/cli/` and `dist/cli/`). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
