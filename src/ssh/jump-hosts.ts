import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { systemClock, type Clock } from '../core/clock.js';
import type { JumpHost } from '../core/device.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { resolveAlgorithms, type AlgorithmsOption } from './algorithms.js';
import type { Attempt } from './attempt.js';
import { forDevice, HopConnection, type ForwardTarget, type HopCredentialSource } from './hop.js';

export type { HopCredentialSource };
import type { HostKeyPinning } from './host-keys.js';

/** Defaults of {@link JumpHostPool}. */
export const JUMP_HOST_DEFAULTS = Object.freeze({
  /** Channels open through one hop at once: OpenSSH's own `MaxSessions` default. */
  maxChannelsPerHop: 10,
  /** A hop connection without a channel for this long is closed. */
  idleTimeoutMs: 60_000,
});

/** Options of {@link JumpHostPool}. */
export interface JumpHostPoolOptions {
  /**
   * Where hop credentials come from: the same `CredentialProvider` as the devices'. It is asked
   * with a record `{ id, host, port, vendor: 'jump-host', jumpHost }` whose `id` is the hop's (see
   * `isJumpHostRecord`); its answer is used for the one shared connection to the hop.
   */
  credentials: HopCredentialSource;
  /**
   * Where hop host-key pins are read and written, keyed by the hop's id — the store the devices'
   * pins are in. A pin in `JumpHost.hostKeyFingerprint` takes precedence. With `{ updater }` the
   * hop's first key is reported through `updateSSHHostKey(hop.id, …)`.
   */
  hostKeys?: HostKeyPinning;
  /** Channels (devices, or hops further on) open through one hop at once. Default 10. */
  maxChannelsPerHop?: number;
  /** A hop connection without a channel for this long is closed. Default 60 s. */
  idleTimeoutMs?: number;
  /** SSH algorithms for the hops. Default: ssh2's defaults. */
  algorithms?: AlgorithmsOption;
  clock?: Clock;
  logger?: Logger;
}

/** A hop's first host key, pinned by a {@link JumpHostPool}. */
export interface JumpHostPinnedEvent {
  /** The hop's id (`JumpHost.id`), under which the pin is stored. */
  readonly jumpHost: string;
  readonly fingerprint: string;
}

/**
 * A channel through the hops to a device: speak SSH to the device over `stream`.
 * @internal
 */
export interface JumpHostChannel {
  readonly stream: Duplex;
  /** What is left of the caller's `connectTimeoutMs` for the device's own handshake and login. */
  remainingMs(): number;
  /** Gives the channel's place back (also done when the stream closes). */
  release(): void;
}

/**
 * The SSH connections to jump hosts, one per hop, shared by every device behind it (SPEC §8).
 * Each device's SSH session runs inside a TCP channel (`direct-tcpip`) of its last hop's
 * connection; at most `maxChannelsPerHop` are open through one hop at once, and further devices
 * wait their turn (abortably). A connection is made on first use — with the hop's credentials from
 * the provider, its host key checked against its pin before they are sent — made again on the next
 * use after it was lost, and closed after `idleTimeoutMs` without a channel and by {@link close}.
 *
 * A `BackupScheduler` makes one of its own and closes it at `stop()`; give `collectConfig` one
 * when calling it directly for devices with `via`.
 *
 * @example
 * ```ts
 * import { collectConfig, JumpHostPool, MemoryHostKeyStore, type CredentialProvider } from 'confsnap';
 *
 * declare const provider: CredentialProvider; // answers devices and (vendor 'jump-host') hops
 * const hostKeys = new MemoryHostKeyStore();
 * const jumpHosts = new JumpHostPool({ credentials: provider, hostKeys });
 * const device = {
 *   id: 'edge-r7',
 *   host: '10.20.0.7',
 *   vendor: 'cisco-ios',
 *   via: { id: 'bastion1', host: 'bastion1.example.net' },
 * };
 * try {
 *   const credentials = await provider.get(device, AbortSignal.timeout(10_000));
 *   const result = await collectConfig({ device, credentials: credentials!, hostKeys, jumpHosts });
 *   console.log(result.sha256);
 * } finally {
 *   await jumpHosts.close();
 * }
 * ```
 */
export class JumpHostPool {
  readonly #connections = new Map<string, HopConnection>();
  readonly #settings: ConstructorParameters<typeof HopConnection>[2];
  #logins = 0;
  readonly #pinnedListeners = new Set<(event: JumpHostPinnedEvent) => void>();

  /** @throws {TypeError | RangeError} for a missing provider or a bad limit. */
  constructor(options: JumpHostPoolOptions) {
    if (typeof options?.credentials?.get !== 'function') {
      throw new TypeError('JumpHostPool: credentials must be a CredentialProvider (with get)');
    }
    const maxChannels = options.maxChannelsPerHop ?? JUMP_HOST_DEFAULTS.maxChannelsPerHop;
    if (!Number.isInteger(maxChannels) || maxChannels < 1) {
      throw new RangeError(
        `JumpHostPool: maxChannelsPerHop must be an integer >= 1, got ${String(maxChannels)}`,
      );
    }
    const idleTimeoutMs = options.idleTimeoutMs ?? JUMP_HOST_DEFAULTS.idleTimeoutMs;
    if (typeof idleTimeoutMs !== 'number' || !Number.isFinite(idleTimeoutMs) || idleTimeoutMs < 0) {
      throw new RangeError(
        `JumpHostPool: idleTimeoutMs must be a number >= 0, got ${String(idleTimeoutMs)}`,
      );
    }
    this.#settings = {
      credentials: options.credentials,
      hostKeys: options.hostKeys,
      algorithms: resolveAlgorithms(options.algorithms),
      maxChannels,
      idleTimeoutMs,
      clock: options.clock ?? systemClock,
      logger: options.logger ?? silentLogger,
      onLogin: () => this.#logins++,
      onPinned: (jumpHost, fingerprint) => {
        for (const listener of [...this.#pinnedListeners]) {
          try {
            listener({ jumpHost, fingerprint });
          } catch {
            // A listener that throws must not undo a pin or break the connection.
          }
        }
      },
    };
  }

  /**
   * Calls `listener` each time the pool pins a hop's first host key (trust on first use, after
   * the hop's login), as the scheduler's `hostkey:pinned` event does for devices. Returns a
   * function that removes the listener.
   *
   * @example
   * ```ts
   * const off = pool.onHostKeyPinned(({ jumpHost, fingerprint }) => audit(jumpHost, fingerprint));
   * off();
   * ```
   */
  onHostKeyPinned(listener: (event: JumpHostPinnedEvent) => void): () => void {
    this.#pinnedListeners.add(listener);
    return () => this.#pinnedListeners.delete(listener);
  }

  /** Hop connections open (or being opened) right now. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Successful logins to hops since the pool was made: one per hop, unless a connection was lost or idle. */
  get loginCount(): number {
    return this.#logins;
  }

  /**
   * Opens a channel through `hops` (nearest first) to `target`. Waiting for a free channel on the
   * last hop is bounded only by the attempt; from then on, one deadline of `connectTimeoutMs`
   * covers every hop's connect and login, the channel, and (through `remainingMs`) the device's
   * own. Errors name the device and the hop (`details.hop`); `target.transport` (default `ssh`) is
   * what the device speaks there, for the advice when it refuses.
   * @internal
   */
  async openChannel(
    attempt: Attempt,
    hops: readonly JumpHost[],
    target: ForwardTarget,
    connectTimeoutMs: number,
  ): Promise<JumpHostChannel> {
    const clock = this.#settings.clock;
    const last = this.#connectionTo(hops);
    try {
      const release = await last.acquireChannel(attempt.signal);
      try {
        const deadlineAt = clock.now() + connectTimeoutMs;
        const remainingMs = (): number => Math.max(0, deadlineAt - clock.now());
        const client = await attempt.wait<Client>(
          connectTimeoutMs,
          () => last.timeout(attempt.deviceId, connectTimeoutMs),
          (resolve, reject) => {
            last.ready(connectTimeoutMs).then(resolve, reject);
          },
        );
        const stream = await last.forward(client, attempt, target, remainingMs());
        stream.once('close', release);
        return { stream, remainingMs, release };
      } catch (error) {
        release();
        throw error;
      }
    } catch (error) {
      throw forDevice(attempt.deviceId, error);
    }
  }

  /** Closes every hop connection. The pool stays usable: the next channel connects again. */
  async close(): Promise<void> {
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(connections.map((connection) => connection.close()));
  }

  /** The shared connection for the path `hops`, made (not yet connected) when there is none. */
  #connectionTo(hops: readonly JumpHost[]): HopConnection {
    let connection: HopConnection | undefined;
    let key = '';
    for (const hop of hops) {
      key += `${JSON.stringify([hop.id, hop.host, hop.port ?? 22, hop.hostKeyFingerprint ?? ''])}\n`;
      let next = this.#connections.get(key);
      // A hop reached through an earlier connection that has since been replaced is replaced too.
      if (!next || next.parent !== connection) {
        const path = key;
        next = new HopConnection(hop, connection, this.#settings, (gone) => {
          if (this.#connections.get(path) === gone) this.#connections.delete(path);
        });
        this.#connections.set(path, next);
      }
      connection = next;
    }
    if (!connection) throw new TypeError('JumpHostPool: a channel needs at least one jump host');
    return connection;
  }
}
