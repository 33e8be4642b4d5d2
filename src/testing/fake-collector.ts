import { createHash } from 'node:crypto';
import { abortReason, raceSignal } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Device } from '../core/device.js';
import { BackupError, type BackupErrorKind } from '../core/errors.js';
import type { CollectOptions, CollectResult } from '../ssh/collect.js';
import { canonicalFingerprint, fingerprintOf } from '../ssh/fingerprint.js';
import { isUpdaterPinning } from '../ssh/host-keys.js';

/** One call a {@link FakeCollector} received. */
export interface FakeCollectCall {
  readonly deviceId: string;
  /** The device record the scheduler passed (read fresh for the attempt). */
  readonly device: Device;
  readonly username: string;
  /** When the call started, on the collector's clock. */
  readonly at: number;
}

type Failure = { kind: BackupErrorKind; remaining: number; message?: string };

/**
 * Stands in for SSH collection (`collect` option of `BackupScheduler`), so code built on confsnap
 * can be tested without a network. It answers per device with a configuration you set, can fail
 * with any error kind, stall until aborted, check a password and play a host key for trust on first
 * use — the same decisions a real device forces, without the SSH.
 *
 * @example
 * ```ts
 * const clock = new FakeClock();
 * const fake = new FakeCollector({ clock });
 * fake.setConfig('r1', '/system identity\nset name=r1\n');
 * fake.failNext('r2', 'connect-timeout', 2);
 * const scheduler = new BackupScheduler({ devices, credentials, publisher, clock, collect: fake.collect });
 * ```
 */
export class FakeCollector {
  readonly #clock: Clock;
  readonly #configs = new Map<string, string>();
  readonly #failures = new Map<string, Failure>();
  readonly #stalls = new Map<string, number>();
  readonly #passwords = new Map<string, string>();
  readonly #hostKeys = new Map<string, string>();
  readonly #durationMs: number;
  #active = 0;
  /** Every call, in order. */
  readonly calls: FakeCollectCall[] = [];
  /** The most calls that were running at the same time. */
  maxConcurrent = 0;

  /**
   * @param options.clock drives `durationMs` and stalls; default the system clock.
   * @param options.durationMs how long a successful collection takes on the clock. Default 0.
   */
  constructor(options: { clock?: Clock; durationMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#durationMs = options.durationMs ?? 0;
  }

  /** The configuration the device returns. Default `# config of <id>\n`. */
  setConfig(deviceId: string, text: string): this {
    this.#configs.set(deviceId, text);
    return this;
  }

  /** The next `times` calls for the device fail with `kind` (default: every call). */
  failNext(deviceId: string, kind: BackupErrorKind, times = Number.POSITIVE_INFINITY): this {
    this.#failures.set(deviceId, { kind, remaining: times });
    return this;
  }

  /** Clears the device's failures and stalls (a required password and a host key stay). */
  heal(deviceId: string): this {
    this.#failures.delete(deviceId);
    this.#stalls.delete(deviceId);
    return this;
  }

  /** Calls for the device hang for `ms` (default: until aborted or the time limit). */
  stall(deviceId: string, ms = Number.POSITIVE_INFINITY): this {
    this.#stalls.set(deviceId, ms);
    return this;
  }

  /** The device accepts only this password; another one is `auth-failed`. */
  requirePassword(deviceId: string, password: string): this {
    this.#passwords.set(deviceId, password);
    return this;
  }

  /**
   * The device presents this host key fingerprint: a pin that differs is `host-key-mismatch`, and
   * with no pin the fingerprint is pinned through `hostKeys` after success, as `collectConfig` does.
   */
  setHostKey(deviceId: string, fingerprint: string): this {
    this.#hostKeys.set(deviceId, canonicalFingerprint(fingerprint));
    return this;
  }

  /** Calls made for one device. */
  callsFor(deviceId: string): FakeCollectCall[] {
    return this.calls.filter((call) => call.deviceId === deviceId);
  }

  /** Calls running now. */
  get active(): number {
    return this.#active;
  }

  /** Pass this as the scheduler's `collect` option. Same signature as `collectConfig`. */
  readonly collect = async (options: CollectOptions): Promise<CollectResult> => {
    const { device, credentials, signal } = options;
    const startedAt = this.#clock.now();
    this.calls.push({ deviceId: device.id, device, username: credentials.username, at: startedAt });
    this.#active++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#active);
    try {
      if (signal?.aborted) throw abortReason(signal);
      const fingerprint =
        this.#hostKeys.get(device.id) ?? fingerprintOf(Buffer.from(`fake:${device.id}`));
      const pinned = await this.#pinOf(options);
      if (pinned !== undefined && pinned !== fingerprint) {
        throw new BackupError({
          kind: 'host-key-mismatch',
          deviceId: device.id,
          message: `${device.id}: presented host key ${fingerprint}, but ${pinned} is pinned`,
          details: { expectedFingerprint: pinned, observedFingerprint: fingerprint },
        });
      }
      const password = this.#passwords.get(device.id);
      if (password !== undefined && credentials.password !== password) {
        throw new BackupError({
          kind: 'auth-failed',
          deviceId: device.id,
          message: `${device.id}: credentials rejected`,
        });
      }
      const stallMs = this.#stalls.get(device.id);
      if (stallMs !== undefined) await this.#stall(options, stallMs);
      const failure = this.#failures.get(device.id);
      if (failure && failure.remaining > 0) {
        failure.remaining--;
        throw new BackupError({
          kind: failure.kind,
          deviceId: device.id,
          message: `${device.id}: simulated ${failure.kind}`,
        });
      }
      if (this.#durationMs > 0) await this.#clock.sleep(this.#durationMs, signal);
      const text = this.#configs.get(device.id) ?? `# config of ${device.id}\n`;
      let hostKeyPinned = false;
      if (pinned === undefined && options.hostKeys) {
        if (isUpdaterPinning(options.hostKeys)) {
          await options.hostKeys.updater.updateSSHHostKey(device.id, fingerprint, signal);
        } else {
          await options.hostKeys.set(device.id, fingerprint, signal);
        }
        hostKeyPinned = true;
      }
      const finishedAt = this.#clock.now();
      return {
        deviceId: device.id,
        vendor: device.vendor,
        text,
        sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
        hostKeyFingerprint: fingerprint,
        hostKeyPinned,
        collectedAt: new Date(finishedAt),
        durationMs: finishedAt - startedAt,
        bytesReceived: Buffer.byteLength(text),
        ...(device.version ? { deviceVersion: device.version } : {}),
      };
    } finally {
      this.#active--;
    }
  };

  async #pinOf(options: CollectOptions): Promise<string | undefined> {
    if (options.device.hostKeyFingerprint)
      return canonicalFingerprint(options.device.hostKeyFingerprint);
    const store = options.hostKeys;
    if (!store || isUpdaterPinning(store)) return undefined;
    return store.get(options.device.id, options.signal);
  }

  async #stall(options: CollectOptions, ms: number): Promise<void> {
    // Like collectConfig: a caller that enforces the limit through the signal owns it.
    const limit = options.timeLimitEnforcedBySignal
      ? Number.POSITIVE_INFINITY
      : (options.timeLimitMs ?? 300_000);
    const waitMs = Math.min(ms, limit);
    if (Number.isFinite(waitMs)) await this.#clock.sleep(waitMs, options.signal);
    else await raceSignal(new Promise<never>(() => {}), options.signal);
    if (waitMs >= limit && ms > limit) {
      throw new BackupError({
        kind: 'time-limit',
        deviceId: options.device.id,
        message: `${options.device.id}: passed timeLimitMs (${limit} ms)`,
      });
    }
  }
}
