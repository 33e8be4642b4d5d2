import { formatDuration, writeLine, type CliIO } from './io.js';
import type { DeviceResult } from './summary.js';

/** Shows how a `backup` goes while it runs. */
export interface BackupProgress {
  /** One device finished. */
  deviceDone(result: DeviceResult): void;
  /** Shows one line that is not a device's result (a warning) without garbling the progress. */
  note(line: string): void;
  /** The backup is over: removes the progress line and its timer. */
  stop(): void;
}

/** How often the progress line is redrawn for the rate and ETA, besides on every device. */
const REDRAW_EVERY_MS = 250;

/**
 * On a terminal: one live line on stderr — done/total, ok, failed, changed, rate, ETA — redrawn in
 * place. Otherwise (a pipe, a log file, CI): one plain line per finished device.
 */
export function createProgress(
  io: CliIO,
  deviceIds: readonly string[],
  now: () => number = () => performance.now(),
): BackupProgress {
  return io.isTTY && io.env.TERM !== 'dumb'
    ? new ProgressLine(io, deviceIds.length, now)
    : new PlainLines(io, deviceIds.length, Math.max(0, ...deviceIds.map((id) => id.length)));
}

class Counts {
  done = 0;
  ok = 0;
  failed = 0;
  changed = 0;

  add(result: DeviceResult): void {
    this.done++;
    if (result.status === 'success') {
      this.ok++;
      if (result.changed) this.changed++;
    } else if (result.status === 'failed') this.failed++;
  }
}

class ProgressLine implements BackupProgress {
  readonly #counts = new Counts();
  readonly #startedAt: number;
  readonly #timer: NodeJS.Timeout;
  #stopped = false;

  constructor(
    readonly io: CliIO,
    readonly total: number,
    readonly now: () => number,
  ) {
    this.#startedAt = now();
    this.#timer = setInterval(() => this.#draw(), REDRAW_EVERY_MS);
    this.#timer.unref();
    this.#draw();
  }

  deviceDone(result: DeviceResult): void {
    this.#counts.add(result);
    this.#draw();
  }

  note(line: string): void {
    if (this.#stopped) {
      writeLine(this.io.stderr, line);
      return;
    }
    this.io.stderr.write('\r\x1b[2K');
    writeLine(this.io.stderr, line);
    this.#draw();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.io.stderr.write('\r\x1b[2K');
  }

  #draw(): void {
    if (this.#stopped) return;
    const { done, ok, failed, changed } = this.#counts;
    const elapsedMs = Math.max(1, this.now() - this.#startedAt);
    const perSecond = (done * 1_000) / elapsedMs;
    const eta =
      done === 0 ? '…' : formatDuration(((this.total - done) / Math.max(perSecond, 1e-9)) * 1_000);
    const width = String(this.total).length;
    const line =
      `confsnap ${String(done).padStart(width)}/${this.total}` +
      `  ok ${ok}  failed ${failed}  changed ${changed}` +
      `  ${perSecond.toFixed(1)}/s  ETA ${eta}`;
    const columns = Math.max(20, (this.io.columns || 80) - 1);
    this.io.stderr.write(`\r\x1b[2K${line.slice(0, columns)}`);
  }
}

class PlainLines implements BackupProgress {
  readonly #counts = new Counts();

  constructor(
    readonly io: CliIO,
    readonly total: number,
    readonly idWidth: number,
  ) {}

  deviceDone(result: DeviceResult): void {
    this.#counts.add(result);
    const width = String(this.total).length;
    const position = `[${String(this.#counts.done).padStart(width)}/${this.total}]`;
    writeLine(this.io.stderr, `${position} ${describeResult(result, Math.min(this.idWidth, 24))}`);
  }

  note(line: string): void {
    writeLine(this.io.stderr, line);
  }

  stop(): void {}
}

/** `ok      r1  changed    sha256 1a2b3c4d5e6f  312 ms` / `failed  r2  auth-failed  …` */
export function describeResult(result: DeviceResult, idWidth = 0): string {
  const id = result.id.padEnd(idWidth);
  if (result.status === 'success') {
    const sha = (result.sha256 ?? '').slice(0, 12);
    return `ok      ${id}  ${result.changed ? 'changed  ' : 'unchanged'}  sha256 ${sha}  ${formatDuration(result.durationMs)}`;
  }
  const word = result.status === 'failed' ? 'failed ' : 'skipped';
  return `${word} ${id}  ${result.kind ?? result.status}  ${result.message ?? ''}`.trimEnd();
}
