import type { Device } from '../core/device.js';
import { algorithmsFor, type AlgorithmsOption } from './algorithms.js';

/** The SSH settings a device may override (`Device.ssh`), as a caller's options give them. */
export interface SSHSettingOptions {
  readonly algorithms?: AlgorithmsOption | undefined;
  readonly connectTimeoutMs?: number | undefined;
  readonly commandTimeoutMs?: number | undefined;
  readonly timeLimitMs?: number | undefined;
  readonly keepaliveIntervalMs?: number | undefined;
}

/**
 * The caller's `options` with the device's own `ssh` settings over them (SPEC §8): each setting
 * the device names wins, `algorithms: 'modern'` resolving to none (ssh2's defaults); the others
 * keep the caller's value (which may be `undefined`, for the caller's default). The record is
 * assumed checked (`checkDeviceRecord`).
 *
 * @example
 * ```ts
 * withDeviceSSH({ id: 'sw9', host: 'sw9', vendor: 'cisco-ios', ssh: { algorithms: 'modern' } }, {
 *   algorithms: 'legacy',
 *   connectTimeoutMs: 20_000,
 * }); // { algorithms: undefined, connectTimeoutMs: 20_000, … }
 * ```
 */
export function withDeviceSSH(
  device: Pick<Device, 'ssh'>,
  options: SSHSettingOptions,
): SSHSettingOptions {
  const own = device.ssh ?? {};
  return {
    algorithms: algorithmsFor(own.algorithms, options.algorithms),
    connectTimeoutMs: own.connectTimeoutMs ?? options.connectTimeoutMs,
    commandTimeoutMs: own.commandTimeoutMs ?? options.commandTimeoutMs,
    timeLimitMs: own.timeLimitMs ?? options.timeLimitMs,
    keepaliveIntervalMs: own.keepaliveIntervalMs ?? options.keepaliveIntervalMs,
  };
}
