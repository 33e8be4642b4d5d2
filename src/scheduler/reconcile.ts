/**
 * The difference between the devices the scheduler knows and a device list just read (SPEC §2
 * "Reconciliation"), as a pure function: {@link reconcile} reads nothing, schedules nothing and
 * emits nothing; the scheduler applies its changes in order.
 */
import type { Device } from '../core/device.js';
import { checkDeviceRecord } from '../ssh/device-record.js';
import { jumpHostRecord, jumpHostsOf } from '../core/device.js';
import { telnetRecordProblem } from '../telnet/record.js';
import { pinOf, type BlockCause } from './device-record.js';

/** What {@link reconcile} needs to know of a known device. */
export interface KnownDevice {
  /** The freshest pin known, and the read it is as fresh as (see `DeviceRecord.learnPin`). */
  readonly pin: string | undefined;
  readonly pinReadSeq: number;
  readonly block: BlockCause | undefined;
}

/** One change, in list order; removals come last. */
export type ReconcileChange =
  /** A record that cannot be used; a known device with that id keeps its last good record. */
  | {
      readonly type: 'invalid';
      readonly deviceId: string | undefined;
      readonly index: number;
      readonly field: string;
      readonly message: string;
    }
  /** A valid record whose vendor has no collector: the device is ignored. */
  | { readonly type: 'unsupported'; readonly deviceId: string; readonly vendor: string }
  | { readonly type: 'add'; readonly device: Device }
  /**
   * A known device's new record. `repinned`: the device is blocked by a host-key mismatch and the
   * operator reset or re-pinned its fingerprint beside the device row, which unblocks it.
   */
  | { readonly type: 'update'; readonly device: Device; readonly repinned: boolean }
  /** A known device missing from the list: it stops. */
  | { readonly type: 'remove'; readonly deviceId: string };

/**
 * The pin the block of `current` is compared with, as `device` (read as `readSeq`) shows it: the
 * hop's pin in `via` for a jump host's changed key, else the device's freshest pin.
 */
function blockedPin(device: Device, current: KnownDevice, readSeq: number): string | undefined {
  const hopId = current.block?.hop;
  if (hopId !== undefined) {
    const hop = jumpHostsOf(device).find((h) => h.id === hopId);
    // A device no longer routed through the hop: any other value than the blocked one unblocks.
    return hop ? pinOf(jumpHostRecord(hop)) : `(not through ${hopId})`;
  }
  return readSeq > current.pinReadSeq ? pinOf(device) : current.pin;
}

/** How {@link reconcile} judges a list. */
export interface ReconcileOptions {
  /** Whether a collector handles `vendor`. */
  readonly hasCollector: (vendor: string) => boolean;
  /** The mode of `vendor`'s collector: an exec vendor cannot run over telnet. */
  readonly collectorMode?: (vendor: string) => 'exec' | 'shell' | undefined;
  /** The sequence number of this read (pins from older reads do not replace newer ones). */
  readonly readSeq: number;
  /**
   * Pins live in a host-key store, not beside the device rows: a record's pin then never
   * unblocks (the store is read at the next attempt instead).
   */
  readonly storePinning: boolean;
}

/**
 * The changes that turn the `known` devices into those of `list`.
 *
 * @example
 * ```ts
 * reconcile(new Map(), [{ id: 'r1', host: '192.0.2.1', vendor: 'routeros' }], options);
 * // [{ type: 'add', device: { id: 'r1', … } }]
 * ```
 */
export function reconcile(
  known: ReadonlyMap<string, KnownDevice>,
  list: readonly unknown[],
  options: ReconcileOptions,
): ReconcileChange[] {
  const changes: ReconcileChange[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < list.length; index++) {
    const record = list[index];
    const problem = checkDeviceRecord(record);
    const id = (record as { id?: unknown } | undefined)?.id;
    const deviceId = typeof id === 'string' ? id : undefined;
    if (problem) {
      changes.push({ type: 'invalid', deviceId, index, ...problem });
      // A known device whose record broke keeps its last good record until it is fixed.
      if (deviceId !== undefined && known.has(deviceId)) seen.add(deviceId);
      continue;
    }
    const device = record as Device;
    if (seen.has(device.id)) {
      changes.push({
        type: 'invalid',
        deviceId: device.id,
        index,
        field: 'id',
        message: `duplicates an earlier device's id "${device.id}"`,
      });
      continue;
    }
    if (!options.hasCollector(device.vendor)) {
      changes.push({ type: 'unsupported', deviceId: device.id, vendor: device.vendor });
      continue;
    }
    const transportProblem = telnetRecordProblem(device, options.collectorMode?.(device.vendor));
    if (transportProblem) {
      changes.push({ type: 'invalid', deviceId: device.id, index, ...transportProblem });
      if (known.has(device.id)) seen.add(device.id);
      continue;
    }
    seen.add(device.id);
    const current = known.get(device.id);
    if (!current) {
      changes.push({ type: 'add', device });
      continue;
    }
    const pin = blockedPin(device, current, options.readSeq);
    const repinned =
      current.block?.kind === 'host-key-mismatch' &&
      (pin ?? '') !== (current.block.pin ?? '') &&
      !options.storePinning;
    changes.push({ type: 'update', device, repinned });
  }
  for (const deviceId of known.keys()) {
    if (!seen.has(deviceId)) changes.push({ type: 'remove', deviceId });
  }
  return changes;
}
