import type { Device } from '../core/device.js';
import type { DeviceRecordProblem } from '../ssh/device-record.js';

/** Telnet's well-known port (RFC 854): a telnet record's default port. */
export const TELNET_PORT = 23;

/**
 * The problem of a record that asks for telnet with a vendor whose collector runs commands on SSH
 * exec channels (RouterOS, Junos, Linux): telnet has only the interactive terminal, so such a
 * record can never be backed up. `undefined` for any other record. The scheduler reports it as an
 * invalid record; `collectConfig` throws it as a `TypeError`.
 * @internal
 */
export function telnetRecordProblem(
  device: Pick<Device, 'transport' | 'vendor'>,
  mode: 'exec' | 'shell' | undefined,
): DeviceRecordProblem | undefined {
  if (device.transport !== 'telnet' || mode !== 'exec') return undefined;
  return {
    field: 'transport',
    message: `is "telnet", but vendor ${device.vendor} runs its commands on SSH exec channels, which telnet does not have; only shell-mode vendors can be backed up over telnet — reach ${device.vendor} over SSH (remove transport or set it to "ssh")`,
  };
}
