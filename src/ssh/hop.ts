import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { abortReason, onAbort } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import { jumpHostRecord, type Credentials, type Device, type JumpHost } from '../core/device.js';
import { BackupError, isBackupError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { Semaphore, type Release } from '../core/semaphore.js';
import { startTimer } from '../core/timer.js';
import type { Algorithms } from 'ssh2';
import { Attempt } from './attempt.js';
import { connect } from './connect.js';
import { isFingerprint } from './fingerprint.js';
import { HostKeyVerifier } from './host-key-verifier.js';
import { isUpdaterPinning, type HostKeyPinning } from './host-keys.js';

/**
 * Where a jump host's credentials come from: a `CredentialProvider` fits. `get` is given the
 * record `{ id, host, port, vendor: 'jump-host', jumpHost }` of the hop (see `isJumpHostRecord`);
 * resolving `undefined` (or rejecting) fails the devices behind it with `credentials-unavailable`.
 */
export interface HopCredentialSource {
  get(record: Device, signal: AbortSignal): Promise<Credentials | undefined>;
}

/** What every hop connection of one pool shares. @internal */
export interface HopSettings {
  readonly credentials: HopCredentialSource;
  readonly hostKeys: HostKeyPinning | undefined;
  readonly algorithms: Algorithms | undefined;
  readonly maxChannels: number;
  readonly idleTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called once per successful login to a hop. */
  readonly onLogin: () => void;
  /** Called when a hop's first host key was pinned (stored, or given to the updater). */
  readonly onPinned: (jumpHost: string, fingerprint: string) => void;
}

/** SSH keepalive of hop connections; ssh2 gives up after 3 unanswered ones. */
const HOP_KEEPALIVE_INTERVAL_MS = 15_000;

/** `jump host bastion1 (10.0.0.1:22)`: how errors and logs name a hop. @internal */
export function hopLabel(hop: JumpHost): string {
  return `jump host ${hop.id} (${hop.host}:${hop.port ?? 22})`;
}

/**
 * One SSH connection to one hop (reached directly, or through the connection to the hop before
 * it), shared by every device behind it. At most `maxChannels` TCP channels are open through it at
 * once; further callers queue. It connects on first use, reconnects on the next use after it was
 * lost, and closes after `idleTimeoutMs` without a channel.
 * @internal
 */
export class HopConnection {
  readonly label: string;
  readonly #permits: Semaphore;
  #client: Client | undefined;
  #connecting: Promise<Client> | undefined;
  /** The attempt of the connection being made or in use: its abort ends the connection. */
  #lifetime: Attempt | undefined;
  #busy = 0;
  #pending = 0;
  #cancelIdle: (() => void) | undefined;
  #closed = false;
  #releaseParent: Release | undefined;

  constructor(
    readonly hop: JumpHost,
    readonly parent: HopConnection | undefined,
    readonly settings: HopSettings,
    /** Called when this connection can be forgotten (closed, idle or lost while unused). */
    readonly onGone: (connection: HopConnection) => void,
  ) {
    this.label = hopLabel(hop);
    this.#permits = new Semaphore(settings.maxChannels);
  }

  /** Whether an SSH session to the hop is up. */
  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** Waits for a free channel (first come, first served); rejects with `signal.reason` on abort. */
  async acquireChannel(signal: AbortSignal): Promise<Release> {
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
    this.#pending++;
    try {
      const release = await this.#permits.acquire(signal);
      this.#busy++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.#busy--;
        release();
        this.#idleCheck();
      };
    } finally {
      this.#pending--;
      this.#idleCheck();
    }
  }

  /**
   * The authenticated client, connecting (and the hops before it) when there is none. Callers
   * arriving while a connection is made share it; `connectTimeoutMs` bounds the one they start.
   * Rejects with a {@link BackupError} whose `deviceId` is the hop's id and `details.hop` names it.
   */
  ready(connectTimeoutMs: number): Promise<Client> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.#connect(connectTimeoutMs).finally(() => {
      this.#connecting = undefined;
      this.#idleCheck();
    });
    return this.#connecting;
  }

  /** The hop still connecting on the way to this one (this one, or one before it). */
  get stage(): HopConnection {
    return this.parent && !this.parent.connected ? this.parent.stage : this;
  }

  /** The `connect-timeout` error of a device whose hops did not connect in time. */
  timeout(deviceId: string, connectTimeoutMs: number): BackupError {
    return hopTimeout(deviceId, this, connectTimeoutMs, 'SSH session');
  }

  /**
   * Opens a TCP channel from the hop to `host:port`, bounded by `timeoutMs`. `transport` is what
   * the device speaks on that port (for the advice of a refusal; default `ssh`).
   */
  forward(
    client: Client,
    attempt: Attempt,
    target: ForwardTarget,
    timeoutMs: number,
  ): Promise<Duplex> {
    return attempt.wait<Duplex>(
      timeoutMs,
      () =>
        hopTimeout(attempt.deviceId, this, timeoutMs, `channel to ${target.host}:${target.port}`),
      (resolve, reject) => {
        let abandoned = false;
        try {
          client.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => {
            if (error) {
              reject(forwardError(attempt.deviceId, this, target, error));
              return;
            }
            if (abandoned) stream.destroy();
            else resolve(stream);
          });
        } catch (error) {
          // ssh2 throws "Not connected" once the transport is gone.
          reject(forwardError(attempt.deviceId, this, target, error as Error));
        }
        return () => {
          abandoned = true;
        };
      },
    );
  }

  /** Ends the connection now; later calls of `ready` reject. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelIdle?.();
    this.#lifetime?.fail(this.#closedError());
    const client = this.#client;
    this.#drop();
    if (client) await endGracefully(client, this.settings.clock);
  }

  async #connect(connectTimeoutMs: number): Promise<Client> {
    const { clock, logger, credentials } = this.settings;
    const hop = this.hop;
    const deadlineAt = clock.now() + connectTimeoutMs;
    const remaining = (): number => Math.max(0, deadlineAt - clock.now());
    const attempt = new Attempt(hop.id, this.label, clock, logger, connectTimeoutMs, Infinity);
    this.#lifetime = attempt;
    const within = <T>(what: string, promise: () => Promise<T>): Promise<T> =>
      attempt.wait<T>(
        remaining(),
        () => hopTimeout(hop.id, this, connectTimeoutMs, what),
        (resolve, reject) => {
          promise().then(resolve, reject);
        },
      );
    let releaseParent: Release | undefined;
    let client: Client | undefined;
    try {
      let sock: Duplex | undefined;
      if (this.parent) {
        const parent = this.parent;
        const waiting = new AbortController();
        const detach = onAbort(attempt.signal, () => waiting.abort(abortReason(attempt.signal)));
        const acquiring = parent.acquireChannel(waiting.signal);
        try {
          releaseParent = await within('free channel on the hop before it', () => acquiring);
        } catch (error) {
          waiting.abort(error);
          acquiring.then(
            (release) => release(),
            () => {},
          );
          throw error;
        } finally {
          detach();
        }
        const parentClient = await within('SSH session on the hop before it', () =>
          parent.ready(remaining()),
        );
        sock = await parent.forward(
          parentClient,
          attempt,
          { host: hop.host, port: hop.port ?? 22 },
          remaining(),
        );
      }
      const record = jumpHostRecord(hop);
      const given = await within('answer from the credential provider', () =>
        credentials.get(record, attempt.signal).catch((error: unknown) => {
          throw new BackupError({
            kind: 'credentials-unavailable',
            deviceId: hop.id,
            cause: error,
            message: `${hop.id}: the credential provider failed for ${this.label}; check its backend`,
            details: { hop: hop.id },
          });
        }),
      );
      if (!given || typeof given.username !== 'string' || given.username === '') {
        throw new BackupError({
          kind: 'credentials-unavailable',
          deviceId: hop.id,
          message: `${hop.id}: the credential provider has no credentials for ${this.label} (it was asked with vendor 'jump-host')`,
          details: { hop: hop.id },
        });
      }
      const pinned = await within('answer from the host-key store', () =>
        this.#readPin(attempt.signal),
      );
      const verifier = new HostKeyVerifier(pinned);
      logger.debug({ jumpHost: hop.id, target: this.label }, 'connecting to the jump host');
      client = await connect(attempt, {
        host: hop.host,
        port: hop.port ?? 22,
        credentials: given,
        verifier,
        algorithms: this.settings.algorithms,
        connectTimeoutMs,
        remainingMs: remaining(),
        sock,
        // A long-lived shared connection: a bastion that vanished silently (a dropped NAT entry)
        // is noticed after about three intervals and connected again on the next use.
        keepaliveIntervalMs: HOP_KEEPALIVE_INTERVAL_MS,
      });
      // Every device's session runs as small request/answer packets over this one TCP connection;
      // with Nagle's algorithm a packet waits for the ACK of the one before it, which the bastion
      // delays (~40 ms on Linux), several times per device. A hop reached through another hop
      // rides a channel, which has no such setting (ssh2 then does nothing).
      client.setNoDelay(true);
      if (pinned === undefined && verifier.observed !== undefined) {
        await this.#pin(verifier.observed, attempt.signal);
      }
      if (this.#closed) throw this.#closedError();
      this.settings.onLogin();
      const established = client;
      established.once('close', () => {
        if (this.#client !== established) return;
        logger.debug({ jumpHost: hop.id }, 'the connection to the jump host ended');
        this.#drop();
        this.#idleCheck();
      });
      this.#client = established;
      this.#releaseParent = releaseParent;
      return established;
    } catch (error) {
      client?.destroy();
      releaseParent?.();
      const reason: unknown = attempt.signal.aborted ? attempt.signal.reason : error;
      throw asHopError(hop, this.label, reason);
    }
  }

  #drop(): void {
    this.#client = undefined;
    this.#releaseParent?.();
    this.#releaseParent = undefined;
  }

  #idleCheck(): void {
    if (this.#busy > 0 || this.#pending > 0 || this.#connecting) return;
    if (!this.#client) {
      this.onGone(this);
      return;
    }
    if (this.#cancelIdle) return;
    const client = this.#client;
    this.#cancelIdle = startTimer(this.settings.clock, this.settings.idleTimeoutMs, () => {
      this.#cancelIdle = undefined;
      if (this.#client !== client || this.#busy > 0 || this.#pending > 0) return;
      this.settings.logger.debug(
        { jumpHost: this.hop.id },
        'closing the idle jump host connection',
      );
      this.#drop();
      this.onGone(this);
      client.end();
    });
  }

  async #readPin(signal: AbortSignal): Promise<string | undefined> {
    const fromRecord: unknown = this.hop.hostKeyFingerprint;
    if (typeof fromRecord === 'string' && fromRecord.trim() !== '') return fromRecord;
    const store = this.settings.hostKeys;
    if (!store || isUpdaterPinning(store)) return undefined;
    const pin = await store.get(this.hop.id, signal);
    if (pin === undefined || pin === null || pin.trim() === '') return undefined;
    if (!isFingerprint(pin)) {
      throw new BackupError({
        kind: 'credentials-unavailable',
        deviceId: this.hop.id,
        message: `${this.hop.id}: the host key store holds no valid fingerprint for ${this.label} (expected SHA256:<43 base64 characters>); fix or delete its entry`,
        details: { hop: this.hop.id },
      });
    }
    return pin;
  }

  /** Pins the hop's key after its login; a store that fails is logged, never fatal. */
  async #pin(fingerprint: string, signal: AbortSignal): Promise<void> {
    const store = this.settings.hostKeys;
    if (!store) return;
    try {
      if (isUpdaterPinning(store)) {
        await store.updater.updateSSHHostKey(this.hop.id, fingerprint, signal);
      } else {
        if ((await store.get(this.hop.id, signal)) !== undefined) return;
        await store.set(this.hop.id, fingerprint, signal);
      }
      this.settings.logger.info(
        { jumpHost: this.hop.id, fingerprint },
        'pinned the jump host key on first use',
      );
      this.settings.onPinned(this.hop.id, fingerprint);
    } catch (error) {
      this.settings.logger.warn(
        { jumpHost: this.hop.id, error: error instanceof Error ? error.message : String(error) },
        'could not pin the jump host key; its next login will trust on first use again',
      );
    }
  }

  #closedError(): BackupError {
    return new BackupError({
      kind: 'cancelled',
      deviceId: this.hop.id,
      message: `${this.hop.id}: the connection to ${this.label} was closed (the jump host pool closed)`,
      details: { hop: this.hop.id },
    });
  }
}

/**
 * A hop's failure as a device's: the same kind, cause and details (with `details.hop`), the message
 * naming the device first and then the hop, e.g.
 * `r1: jump host bastion1 (10.0.0.1:22) refused the connection; …`.
 * @internal
 */
export function forDevice(deviceId: string, error: unknown): unknown {
  if (!isBackupError(error) || error.details?.hop === undefined) return error;
  if (error.deviceId === deviceId) return error;
  const prefix = `${error.deviceId ?? ''}: `;
  const text = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  return new BackupError({
    kind: error.kind,
    deviceId,
    cause: error.cause ?? error,
    message: `${deviceId}: ${text}`,
    // The jump host's own connection failed, not the device behind it: `jumpHostFailed` says so
    // to whoever explains the failure (the devices' events carry it as `jumpHost`).
    details: { ...error.details, jumpHostFailed: true },
  });
}

/** Any failure of a hop's connection as a BackupError naming the hop (`details.hop`). */
function asHopError(hop: JumpHost, label: string, error: unknown): BackupError {
  if (isBackupError(error) && error.details?.hop !== undefined) return error;
  if (!isBackupError(error)) {
    return new BackupError({
      kind: 'unreachable',
      deviceId: hop.id,
      cause: error,
      message: `${hop.id}: the connection to ${label} failed (${error instanceof Error ? error.name : 'error'})`,
      details: { hop: hop.id },
    });
  }
  const details = { ...error.details, hop: hop.id };
  if (error.kind === 'host-key-mismatch') {
    const expected = String(error.details?.expectedFingerprint ?? 'unknown');
    const observed = String(error.details?.observedFingerprint ?? 'unknown');
    return new BackupError({
      kind: 'host-key-mismatch',
      deviceId: hop.id,
      message:
        `${hop.id}: ${label} presented host key ${observed}, but ${expected} is pinned for it; ` +
        'no credentials were sent to it. If the jump host was legitimately replaced or re-keyed, ' +
        `reset its pin (confsnap hostkeys reset ${hop.id}); otherwise treat it as a possible impostor. ` +
        'The devices behind it are blocked until its pin changes.',
      details,
    });
  }
  if (error.kind === 'connect-timeout') {
    // The hop's own connect deadline and the device's wait for the hop end at the same moment:
    // whichever fires first, the message is the same and speaks of the jump host.
    const connectTimeoutMs = Number(error.details?.connectTimeoutMs);
    return new BackupError({
      kind: 'connect-timeout',
      deviceId: hop.id,
      cause: error.cause,
      message: `${hop.id}: ${label}: no SSH session within connectTimeoutMs (${connectTimeoutMs} ms, which covers every jump host's connect and login and the device's); check that the jump host is up and not overloaded`,
      details,
    });
  }
  if (error.kind === 'auth-failed' && error.details?.stage === undefined) {
    return new BackupError({
      kind: 'auth-failed',
      deviceId: hop.id,
      cause: error.cause,
      message: `${hop.id}: ${label} rejected the credentials given for it (the provider's answer for the record with vendor 'jump-host'); fix them — the devices behind it are blocked until then`,
      details,
    });
  }
  return new BackupError({
    kind: error.kind,
    deviceId: hop.id,
    cause: error.cause,
    message: error.message,
    details,
  });
}

function hopTimeout(
  deviceId: string,
  connection: HopConnection,
  connectTimeoutMs: number,
  what: string,
): BackupError {
  const stage = connection.stage;
  return new BackupError({
    kind: 'connect-timeout',
    deviceId,
    message: `${deviceId}: ${stage.label}: no ${what} within connectTimeoutMs (${connectTimeoutMs} ms, which covers every jump host's connect and login and the device's); check that the jump host is up and not overloaded`,
    details: { connectTimeoutMs, hop: stage.hop.id },
  });
}

/** ssh2's channel-open failure codes (RFC 4254 §5.1). */
const ADMINISTRATIVELY_PROHIBITED = 1;
const CONNECT_FAILED = 2;
const RESOURCE_SHORTAGE = 4;

/** Where a hop forwards a channel to, and what the device speaks there. @internal */
export interface ForwardTarget {
  readonly host: string;
  readonly port: number;
  readonly transport?: 'ssh' | 'telnet' | undefined;
}

function forwardError(
  deviceId: string,
  connection: HopConnection,
  target: ForwardTarget,
  error: Error & { reason?: number },
): BackupError {
  const where = `${target.host}:${target.port}`;
  const hop = connection.hop.id;
  const base = { deviceId, cause: error, details: { hop, reason: error.message.slice(0, 160) } };
  if (error.reason === ADMINISTRATIVELY_PROHIBITED) {
    return new BackupError({
      ...base,
      // The jump host's own setting is at fault, not the device.
      details: { ...base.details, jumpHostFailed: true },
      kind: 'unreachable',
      message: `${deviceId}: ${connection.label} refuses to forward to ${where} (administratively prohibited); allow TCP forwarding for this account (OpenSSH: AllowTcpForwarding yes, PermitOpen)`,
    });
  }
  if (error.reason === CONNECT_FAILED && /refused/i.test(error.message)) {
    return new BackupError({
      ...base,
      kind: 'connection-refused',
      message: `${deviceId}: ${where} refused the connection from ${connection.label}; ${
        target.transport === 'telnet'
          ? "check that telnet is enabled on the device and the port is right (telnet's default is 23)"
          : 'check that SSH is enabled on the device and the port is right'
      }`,
    });
  }
  if (error.reason === RESOURCE_SHORTAGE) {
    return new BackupError({
      ...base,
      kind: 'unreachable',
      message: `${deviceId}: ${connection.label} has no channel left for ${where} (resource shortage); lower maxChannelsPerHop`,
    });
  }
  return new BackupError({
    ...base,
    kind: 'unreachable',
    message: `${deviceId}: ${connection.label} cannot reach ${where} (${base.details.reason}); check the address, routing and firewalls from the jump host`,
  });
}

async function endGracefully(client: Client, clock: Clock): Promise<void> {
  await new Promise<void>((resolve) => {
    const cancel = startTimer(clock, 1_000, () => {
      client.destroy();
      resolve();
    });
    client.once('close', () => {
      cancel();
      resolve();
    });
    client.end();
  });
}
