import { UsageError } from './args.js';
import { InventoryError } from './inventory.js';
import { writeLine, type CliIO } from './io.js';
import { errorText } from '../core/errors.js';
import { SetupError } from './publishers.js';

/** Exit codes of every command. */
export const EXIT = Object.freeze({
  /** Every device backed up (or: the command did what was asked). */
  ok: 0,
  /** At least one device failed, or the command could not start for a reason outside it. */
  failed: 1,
  /** Bad usage, inventory or setup (a secret, `--out`, the pin file): found before any device. */
  usage: 2,
});

/**
 * Tells the user why a command could not run, on stderr, and returns its exit code: 2 for bad
 * usage or inventory, the setup error's own code, 1 for anything else.
 */
export function reportCliError(error: unknown, io: CliIO): number {
  if (error instanceof UsageError) {
    const command = error.command === undefined ? '' : ` ${error.command}`;
    writeLine(io.stderr, `confsnap${command}: ${error.message}`);
    writeLine(io.stderr, `Run "confsnap${command} --help" for usage.`);
    return EXIT.usage;
  }
  if (error instanceof InventoryError) {
    const count = error.problems.length;
    writeLine(
      io.stderr,
      `confsnap: the inventory has ${count === 1 ? 'a problem' : `${count} problems`}:`,
    );
    for (const line of error.message.split('\n')) writeLine(io.stderr, `  ${line}`);
    return EXIT.usage;
  }
  if (error instanceof SetupError) {
    writeLine(io.stderr, `confsnap: ${error.message}`);
    return error.exitCode;
  }
  writeLine(io.stderr, `confsnap: ${errorText(error)}`);
  return EXIT.failed;
}
