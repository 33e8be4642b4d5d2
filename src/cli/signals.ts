/** The signals the CLI handles, with their numbers (an exit code after a signal is 128 + it). */
export const SIGNAL_NUMBERS = Object.freeze({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 });

/** A signal that stops a command: Ctrl-C, or `kill`/a service manager. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * The reason `CliIO.signal` aborts with when the process received SIGINT or SIGTERM. `backup`
 * reports it as an interruption and exits with {@link Interrupted.exitCode} (130 or 143, as shells
 * do); `run` takes it as the request to stop.
 */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  /** Brand that survives two copies of the module (see {@link interruption}). */
  readonly isConfsnapInterruption = true;

  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${describeSignal(signal)}`);
  }

  /** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. */
  get exitCode(): number {
    return 128 + SIGNAL_NUMBERS[this.signal];
  }
}

/** The interruption `signal` aborted with, if it aborted because the process got a signal. */
export function interruption(signal: AbortSignal | undefined): Interrupted | undefined {
  if (!signal?.aborted) return undefined;
  const reason: unknown = signal.reason;
  return typeof reason === 'object' &&
    reason !== null &&
    (reason as Partial<Interrupted>).isConfsnapInterruption === true
    ? (reason as Interrupted)
    : undefined;
}

/** `SIGINT (Ctrl-C)` / `SIGTERM`. */
export function describeSignal(signal: StopSignal): string {
  return signal === 'SIGINT' ? 'SIGINT (Ctrl-C)' : signal;
}
