import type { Device } from '../index.js';
import { loadTelnetLibrary } from '../telnet/library.js';
import { TELNETLIB_ADVICE } from './advice.js';
import { SetupError } from './publishers.js';

/**
 * Why the telnet devices among `devices` cannot be backed up — `telnetlib` cannot be loaded — in
 * one line naming them and where to install it; `undefined` when none uses telnet or it loads.
 */
export async function telnetLibraryProblem(
  devices: readonly Device[],
): Promise<string | undefined> {
  const telnet = devices.filter((device) => device.transport === 'telnet').map((d) => d.id);
  if (telnet.length === 0) return undefined;
  try {
    await loadTelnetLibrary();
    return undefined;
  } catch {
    const shown = telnet.length > 5 ? `${telnet.slice(0, 5).join(', ')}, …` : telnet.join(', ');
    return (
      `${telnet.length === 1 ? 'one device uses' : `${telnet.length} devices use`} transport: telnet (${shown}), ` +
      `which needs the telnetlib package, and it cannot be loaded. ${TELNETLIB_ADVICE}`
    );
  }
}

/**
 * Stops `backup` or `run` before it contacts any device (and before it creates `--out`) when the
 * inventory has telnet devices and `telnetlib` cannot be loaded.
 *
 * @throws {SetupError} (exit 2) naming the telnet devices and where to install telnetlib.
 */
export async function requireTelnetLibrary(devices: readonly Device[]): Promise<void> {
  const problem = await telnetLibraryProblem(devices);
  if (problem !== undefined) throw new SetupError(problem, 2);
}
