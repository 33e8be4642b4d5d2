/**
 * The reads an attempt makes besides its steps' own port calls: the fresh device record, the
 * current pin, whether a block still holds, and a plausible last success.
 */
import { abortReason } from '../../core/abort.js';
import { jumpHostRecord, jumpHostsOf, type Device, type JumpHost } from '../../core/device.js';
import { BackupError, errorText } from '../../core/errors.js';
import { canonicalFingerprint } from '../../ssh/fingerprint.js';
import { isUpdaterPinning } from '../../ssh/host-keys.js';
import { checkDeviceRecord } from '../../ssh/device-record.js';
import { pinOf, type DeviceRecord } from '../device-record.js';
import type { UnblockReason } from '../events.js';
import type { AttemptContext } from './context.js';
import { callPort } from './port-call.js';

/**
 * The record to back up with, read now when the source has `get` (SPEC §1.1), carrying the
 * freshest pin known (§1.9). A record gone from the source removes the device; an unusable one is
 * reported and the last good record is used. A failing read fails the attempt as `unreachable`.
 */
export async function freshDevice(
  record: DeviceRecord,
  signal: AbortSignal,
  ctx: AttemptContext,
): Promise<Device> {
  const { devices, collectors } = ctx.settings;
  if (!devices.get) return withFreshestPin(record, record.device, ctx);
  let device: Device | undefined;
  const readSeq = ctx.nextReadSeq();
  try {
    device = await callPort(() => devices.get!(record.id, signal), signal);
  } catch (error) {
    if (signal.aborted) throw abortReason(signal);
    throw new BackupError({
      kind: 'unreachable',
      deviceId: record.id,
      cause: error,
      message: `${record.id}: reading the device from the device source failed (${errorText(error)}); not backing up with an older copy of its record, check the device source`,
    });
  }
  if (device === undefined) {
    ctx.remove(record);
    return record.device;
  }
  const problem = checkDeviceRecord(device);
  if (problem || device.id !== record.id || !collectors.has(device.vendor)) {
    ctx.reportInvalid(
      record.id,
      -1,
      problem?.field ?? 'vendor',
      problem?.message ?? 'has no collector',
    );
    return withFreshestPin(record, record.device, ctx);
  }
  record.device = device;
  record.learnPin(device, readSeq);
  return withFreshestPin(record, device, ctx);
}

/**
 * The record to connect with, carrying the freshest pin known. With a host-key store the store
 * itself is read by the collection and is the freshest; the record is used as it is.
 */
export function withFreshestPin(record: DeviceRecord, device: Device, ctx: AttemptContext): Device {
  if (ctx.storePinning || pinOf(device) === record.pin) return device;
  return { ...device, hostKeyFingerprint: record.pin };
}

/** What unblocks a blocked device now (SPEC §1.3), or `undefined` while its cause holds. */
export async function unblockReason(
  record: DeviceRecord,
  device: Device,
  signal: AbortSignal,
  ctx: AttemptContext,
): Promise<UnblockReason | undefined> {
  const blocked = record.block!;
  const { credentials, lastSuccess } = ctx.settings;
  // A hop's failure is re-checked on the hop: its credentials and its pin.
  let blockedBy: Device = device;
  if (blocked.hop !== undefined) {
    const hop = jumpHostsOf(device).find((h) => h.id === blocked.hop);
    // The device no longer goes through that hop: what blocked it is no longer in its way.
    if (!hop) return blocked.kind === 'host-key-mismatch' ? 'host-key' : 'credentials';
    blockedBy = jumpHostRecord(hop);
  }
  if (blocked.kind === 'host-key-mismatch') {
    const pin = await currentPin(blockedBy, signal, ctx);
    if ((pin ?? '') !== (blocked.pin ?? '')) return 'host-key';
  }
  const unanswered = (): undefined => {
    if (signal.aborted) throw abortReason(signal);
    return undefined;
  };
  if (blocked.kind === 'auth-failed') {
    const current = await callPort(() => credentials.get(blockedBy, signal), signal).catch(
      unanswered,
    );
    if (current?.version !== undefined && current.version !== blocked.credentialVersion) {
      return 'credentials';
    }
  }
  if (lastSuccess) {
    // Another instance fixed it (e.g. a manual trigger answered there): follow it.
    const recorded = await callPort(() => lastSuccess.get(record.id, signal), signal).catch(
      unanswered,
    );
    const last = plausibleLastSuccess(record, recorded, ctx);
    if (last !== undefined && last > blocked.at) return 'elsewhere';
  }
  return undefined;
}

/**
 * The jump host on `device`'s path that `error` names (`details.hop`), for a failure that blocks
 * on the hop rather than the device; `undefined` for the device's own failures.
 */
export function failedHop(error: BackupError, device: Device): JumpHost | undefined {
  const id: unknown = error.details?.hop;
  if (typeof id !== 'string') return undefined;
  return jumpHostsOf(device).find((hop) => hop.id === id);
}

/**
 * After a jump host refused its login: the version of the hop's credentials the provider has now
 * (those the shared hop connection was just refused with), bounded on its own; `undefined` when
 * the provider does not answer.
 */
export async function credentialVersionAtFailure(
  hopRecord: Device,
  ctx: AttemptContext,
): Promise<string | undefined> {
  const bound = ctx.portBound(undefined, 'the credential provider did not answer');
  try {
    const given = await callPort(
      () => ctx.settings.credentials.get(hopRecord, bound.signal),
      bound.signal,
    );
    return given?.version;
  } catch {
    return undefined;
  } finally {
    bound.dispose();
  }
}

/** The pin as the operator sees it: the record's, else the host-key store's. */
export async function currentPin(
  device: Device,
  signal: AbortSignal,
  ctx: AttemptContext,
): Promise<string | undefined> {
  if (device.hostKeyFingerprint) return canonicalFingerprint(device.hostKeyFingerprint);
  const store = ctx.settings.hostKeys;
  if (!store || isUpdaterPinning(store)) return undefined;
  const pin = await callPort(() => store.get(device.id, signal), signal).catch(() => {
    if (signal.aborted) throw abortReason(signal);
    return undefined;
  });
  return pin === undefined ? undefined : canonicalFingerprint(pin);
}

/**
 * A recorded last success, or `undefined` when it lies further in the future than the clock-skew
 * allowance (SPEC §1.6): an instance with a clock ahead must not stop every instance backing the
 * device up, nor unblock it. Warned about once per recorded value.
 */
export function plausibleLastSuccess(
  record: DeviceRecord,
  recorded: number | undefined,
  ctx: AttemptContext,
): number | undefined {
  if (recorded === undefined) return undefined;
  const { clock, clockSkewAllowanceMs } = ctx.settings;
  const now = clock.now();
  if (recorded <= now + clockSkewAllowanceMs) return recorded;
  if (record.futureLastSuccessReported !== recorded) {
    record.futureLastSuccessReported = recorded;
    ctx.warn(
      record.id,
      'last-success-in-future',
      `the recorded last success (${new Date(recorded).toISOString()}) is ${Math.round((recorded - now) / 1000)} s ahead of this instance's clock, more than clockSkewAllowanceMs (${clockSkewAllowanceMs} ms); ignoring it — check the clocks of the poller instances`,
    );
  }
  return undefined;
}
