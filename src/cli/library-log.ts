import type { Logger } from '../index.js';

/**
 * A `Logger` for the library that shows its warnings and errors as lines on the CLI's stderr
 * (through `warn`), e.g. "r1: could not pin the host key; … (EACCES: permission denied, …)".
 * Debug and info lines are dropped. Entries the CLI already reports from the scheduler's events are
 * left out, so nothing is said twice: a backup failure (it carries `kind`), a `warning` event (it
 * carries `code`) and an invalid device record (it carries `field`).
 *
 * The library never passes a secret or configuration text to a logger.
 */
export function libraryLogger(warn: (line: string) => void): Logger {
  const show = (entry: object, message?: string): void => {
    const fields = entry as Readonly<Record<string, unknown>>;
    if ('kind' in fields || 'code' in fields || 'field' in fields) return;
    const device = typeof fields.deviceId === 'string' ? `${fields.deviceId}: ` : '';
    const cause = typeof fields.error === 'string' ? ` (${fields.error})` : '';
    warn(`${device}${message ?? 'warning'}${cause}`);
  };
  return { debug: () => {}, info: () => {}, warn: show, error: show };
}
