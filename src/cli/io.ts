/**
 * What the CLI reads from and writes to, injected so that every command runs in-process in tests:
 * `main.ts` passes the real process streams, tests pass string buffers.
 */
export interface CliIO {
  /** Results: the final summary, tables, `--json` output. */
  readonly stdout: { write(text: string): unknown };
  /** Everything for the person watching: progress, log lines, errors. */
  readonly stderr: { write(text: string): unknown };
  /** Whether `stderr` is a terminal: a live progress line instead of plain log lines. */
  readonly isTTY: boolean;
  /** Width of the terminal, for the progress line. Default 80. */
  readonly columns?: number;
  /** The environment secrets are read from (`password_env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths on the command line are resolved against. */
  readonly cwd: string;
  /**
   * Aborts on SIGINT/SIGTERM, with an `Interrupted` reason (see `signals.ts`): `backup` cancels
   * what is left and exits 130/143, `run` stops cleanly.
   */
  readonly signal?: AbortSignal;
  /**
   * Subscribes to reload requests (SIGHUP in `main.ts`); returns the unsubscribe function. `run`
   * re-reads its inventory on each. Absent: no reloads.
   */
  readonly onReload?: (listener: () => void) => () => void;
}

/** Writes one line (a newline is added). */
export function writeLine(stream: CliIO['stdout'], line = ''): void {
  stream.write(`${line}\n`);
}

/** A readable duration: `850 ms`, `3.4 s`, `5 min`, `6 h`. */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 9_950) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 59_500) return `${Math.round(ms / 1_000)} s`;
  if (ms < 3_570_000) return `${Math.round(ms / 60_000)} min`;
  const hours = ms / 3_600_000;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

/**
 * `stream` as the CLI writes to it, quiet when its reader went away: once a write fails with
 * `EPIPE` (`confsnap hostkeys list | head -3`, `… | head -c 0`), later writes are dropped instead
 * of crashing the process with an unhandled `write EPIPE`, so the exit code still tells how the
 * backups went. Any other write error is thrown as before.
 */
export function closedPipeTolerant(stream: NodeJS.WritableStream): CliIO['stdout'] {
  let readerGone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  return {
    write: (text: string) => (readerGone ? false : stream.write(text)),
  };
}
