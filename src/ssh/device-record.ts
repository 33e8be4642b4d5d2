import type { Device } from '../core/device.js';
import { deviceIdProblem } from '../publish/device-id.js';
import { algorithmsProblem } from './algorithms.js';
import { isFingerprint } from './fingerprint.js';

/** One problem with a device record: which field, and what is wrong with it. */
export interface DeviceRecordProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Whether `id` can be a device id (SPEC §7): a string of 1–255 UTF-8 bytes without control
 * characters. Dots, slashes and any other printable character are fine: where an id names a NATS
 * subject token or a file it is encoded (`encodeSubjectToken`, `encodeFileName`).
 *
 * @example
 * ```ts
 * isValidDeviceId('core-sw1.example.net'); // true
 * isValidDeviceId('x'.repeat(5000)); // false
 * ```
 */
export function isValidDeviceId(id: unknown): id is string {
  return deviceIdProblem(id) === undefined;
}

/**
 * The first problem of a device record, or `undefined` when it can be backed up (SPEC §7). The one
 * check of a record: the scheduler, `collectConfig` and the CLI's inventory all use it. Vendors are
 * checked separately against the collector registry.
 *
 * @example
 * ```ts
 * checkDeviceRecord({ id: 'r1', host: '', vendor: 'routeros' }); // { field: 'host', message: 'is missing' }
 * ```
 */
export function checkDeviceRecord(record: unknown): DeviceRecordProblem | undefined {
  if (typeof record !== 'object' || record === null) {
    return { field: '(record)', message: 'is not an object' };
  }
  const device = record as Partial<Record<keyof Device, unknown>>;
  const idProblem = deviceIdProblem(device.id);
  if (idProblem !== undefined) return { field: 'id', message: idProblem };
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
  if (
    device.transport !== undefined &&
    device.transport !== 'ssh' &&
    device.transport !== 'telnet'
  ) {
    return {
      field: 'transport',
      message: `must be "ssh" or "telnet", got ${JSON.stringify(device.transport)}`,
    };
  }
  if (device.maskSecrets !== undefined && typeof device.maskSecrets !== 'boolean') {
    return {
      field: 'maskSecrets',
      message: `must be true or false, got ${JSON.stringify(device.maskSecrets)}`,
    };
  }
  if (
    device.options !== undefined &&
    (typeof device.options !== 'object' || device.options === null || Array.isArray(device.options))
  ) {
    return { field: 'options', message: 'must be an object of collector option values by name' };
  }
  if (device.vars !== undefined) {
    const vars = device.vars;
    if (
      typeof vars !== 'object' ||
      vars === null ||
      Array.isArray(vars) ||
      Object.values(vars).some((value) => typeof value !== 'string')
    ) {
      return { field: 'vars', message: 'must be an object of strings by name' };
    }
  }
  const pinProblem = checkPin(device.hostKeyFingerprint, 'hostKeyFingerprint');
  if (pinProblem !== undefined) return pinProblem;
  return checkVia(device.via) ?? checkSSHSettings(device.ssh);
}

/** The settings `Device.ssh` may hold, and whether 0 is allowed (keepalive: 0 turns it off). */
const SSH_DURATIONS = Object.freeze({
  connectTimeoutMs: false,
  commandTimeoutMs: false,
  timeLimitMs: false,
  keepaliveIntervalMs: true,
});

/** The first problem of `ssh` (per-device SSH settings), fields named `ssh.<setting>`. */
function checkSSHSettings(ssh: unknown): DeviceRecordProblem | undefined {
  if (ssh === undefined || ssh === null) return undefined;
  if (typeof ssh !== 'object' || Array.isArray(ssh)) {
    return {
      field: 'ssh',
      message: "must be an object of SSH settings, e.g. { algorithms: 'legacy' }",
    };
  }
  const known = ['algorithms', ...Object.keys(SSH_DURATIONS)];
  for (const [name, value] of Object.entries(ssh as Record<string, unknown>)) {
    if (value === undefined) continue;
    const field = `ssh.${name}`;
    if (name === 'algorithms') {
      const problem = algorithmsProblem(value, field);
      if (problem !== undefined) return problem;
      continue;
    }
    if (!(name in SSH_DURATIONS)) {
      return { field, message: `is not an SSH setting (known: ${known.join(', ')})` };
    }
    const zeroAllowed = SSH_DURATIONS[name as keyof typeof SSH_DURATIONS];
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      (value === 0 && !zeroAllowed)
    ) {
      return {
        field,
        message: `must be ${zeroAllowed ? 'a number of ms >= 0 (0: off)' : 'a positive number of ms'}, got ${JSON.stringify(value)}`,
      };
    }
  }
  return undefined;
}

/** Hops a device may go through, at most: more is a mistake in the record, not a network. */
const MAX_JUMP_HOSTS = 8;

function checkPin(pin: unknown, field: string): DeviceRecordProblem | undefined {
  if (pin === undefined || pin === null || pin === '') return undefined;
  if (typeof pin === 'string' && isFingerprint(pin)) return undefined;
  return { field, message: 'must be SHA256:<43 base64 characters> as ssh-keygen -l prints it' };
}

/** The first problem of `via` (one jump host or a list of them, nearest first). */
function checkVia(via: unknown): DeviceRecordProblem | undefined {
  if (via === undefined || via === null) return undefined;
  const list: readonly unknown[] = Array.isArray(via) ? via : [via];
  const at = (i: number): string => (Array.isArray(via) ? `via[${i}]` : 'via');
  if (list.length > MAX_JUMP_HOSTS) {
    return {
      field: 'via',
      message: `names ${list.length} jump hosts; at most ${MAX_JUMP_HOSTS} are supported`,
    };
  }
  const seen = new Set<string>();
  for (const [i, hop] of list.entries()) {
    if (typeof hop !== 'object' || hop === null || Array.isArray(hop)) {
      return { field: at(i), message: 'must be an object { id, host, port? }' };
    }
    const { id, host, port, hostKeyFingerprint } = hop as Record<string, unknown>;
    const idProblem = deviceIdProblem(id);
    if (idProblem !== undefined) return { field: `${at(i)}.id`, message: idProblem };
    if (seen.has(id as string)) {
      return { field: `${at(i)}.id`, message: `names jump host ${String(id)} twice` };
    }
    seen.add(id as string);
    if (typeof host !== 'string' || host.trim() === '') {
      return { field: `${at(i)}.host`, message: 'is missing' };
    }
    if (
      port !== undefined &&
      (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535)
    ) {
      return {
        field: `${at(i)}.port`,
        message: `must be an integer from 1 to 65535, got ${JSON.stringify(port)}`,
      };
    }
    const pinProblem = checkPin(hostKeyFingerprint, `${at(i)}.hostKeyFingerprint`);
    if (pinProblem !== undefined) return pinProblem;
  }
  return undefined;
}
