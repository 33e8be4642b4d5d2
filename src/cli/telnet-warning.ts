import type { Device } from '../index.js';

/**
 * The one warning `backup` and `run` print at start when the inventory has telnet devices, or
 * `undefined` when it has none: telnet sends the password in clear text.
 */
export function telnetWarning(devices: readonly Device[]): string | undefined {
  const telnet = devices.filter((device) => device.transport === 'telnet').map((d) => d.id);
  if (telnet.length === 0) return undefined;
  const shown = telnet.length > 5 ? `${telnet.slice(0, 5).join(', ')}, …` : telnet.join(', ');
  return (
    `${telnet.length === 1 ? 'one device uses' : `${telnet.length} devices use`} transport: telnet (${shown}): ` +
    'telnet sends the password in clear text and checks no host key; keep it for devices that have no SSH'
  );
}

/** ` (telnet)` after a device id whose record says telnet; `''` otherwise. */
export function transportNote(transport: string | undefined): string {
  return transport === 'telnet' ? ' (telnet)' : '';
}
