import type { Device } from '../core/device.js';
import { isSubjectToken } from '../publish/snapshot.js';
import { isFingerprint } from '../ssh/fingerprint.js';

/** One problem with a device record: which field, and what is wrong with it. */
export interface DeviceRecordProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Whether `id` can be a device id: also the last token of a NATS subject, so it must be non-empty
 * and free of `.`, `*`, `>` and white space.
 */
export function isValidDeviceId(id: unknown): id is string {
  return typeof id === 'string' && isSubjectToken(id);
}

/**
 * The first problem of a device record, or `undefined` when the scheduler can use it (SPEC §7).
 * Vendors are checked separately against the collector registry.
 */
export function checkDeviceRecord(record: unknown): DeviceRecordProblem | undefined {
  if (typeof record !== 'object' || record === null) {
    return { field: '(record)', message: 'is not an object' };
  }
  const device = record as Partial<Record<keyof Device, unknown>>;
  if (!isValidDeviceId(device.id)) {
    return {
      field: 'id',
      message:
        'must be a non-empty string without ".", "*", ">" or white space (it is a NATS subject token)',
    };
  }
  if (typeof device.host !== 'string' || device.host.trim() === '') {
    return { field: 'host', message: 'is missing' };
  }
  if (
    device.port !== undefined &&
    (typeof device.port !== 'number' ||
      !Number.isInteger(device.port) ||
      device.port < 1 ||
      device.port > 65_535)
  ) {
    return {
      field: 'port',
      message: `must be an integer from 1 to 65535, got ${JSON.stringify(device.port)}`,
    };
  }
  if (typeof device.vendor !== 'string' || device.vendor === '') {
    return { field: 'vendor', message: 'is missing' };
  }
  if (device.tenantId !== undefined && typeof device.tenantId !== 'string') {
    return { field: 'tenantId', message: 'must be a string' };
  }
  if (device.version !== undefined && typeof device.version !== 'string') {
    return { field: 'version', message: 'must be a string' };
  }
  const pin = device.hostKeyFingerprint;
  if (pin !== undefined && pin !== null && pin !== '') {
    if (typeof pin !== 'string' || !isFingerprint(pin)) {
      return {
        field: 'hostKeyFingerprint',
        message: 'must be SHA256:<43 base64 characters> as ssh-keygen -l prints it',
      };
    }
  }
  return undefined;
}
