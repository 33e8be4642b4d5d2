import type { Client } from 'ssh2';
import { onAbort } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import {
  jumpHostsOf,
  transportOf,
  type Credentials,
  type Device,
  type DeviceTransport,
} from '../core/device.js';
import { BackupError, isBackupError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { startTimer } from '../core/timer.js';
import { normalizeConfig } from '../collectors/normalize.js';
import { createCollectorRegistry, type CollectorRegistry } from '../collectors/registry.js';
import { VERSION_SEARCH_BYTES, type ConfigCollector } from '../collectors/types.js';
import { resolveAlgorithms, type AlgorithmsOption } from './algorithms.js';
import { Attempt } from './attempt.js';
import { hostKeyMismatch } from './classify.js';
import { connect } from './connect.js';
import { JumpHostPool, type JumpHostChannel } from './jump-hosts.js';
import { runExec } from './exec.js';
import { isUpdaterPinning, type HostKeyPinning } from './host-keys.js';
import { HostKeyVerifier } from './host-key-verifier.js';
import { ShellSession } from './shell.js';
import type { TranscriptListener } from './transcript.js';
import { isFingerprint } from './fingerprint.js';
import { checkDeviceRecord } from './device-record.js';
import { withDeviceSSH } from './device-settings.js';
import { openTelnet, type TelnetConnection } from '../telnet/connection.js';
import { TELNET_PORT, telnetRecordProblem } from '../telnet/record.js';

/** Default deadlines and limits of one collection (SPEC §1.8). */
export const COLLECT_DEFAULTS: Readonly<CollectLimits> = Object.freeze({
  connectTimeoutMs: 20_000,
  commandTimeoutMs: 60_000,
  timeLimitMs: 300_000,
  maxOutputBytes: 16 * 1024 * 1024,
});

/** The deadlines and limits of one collection, in milliseconds and bytes. */
export interface CollectLimits {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  timeLimitMs: number;
  maxOutputBytes: number;
}

/** Options of {@link collectConfig}. */
export interface CollectOptions {
  device: Device;
  credentials: Credentials;
  /**
   * Where host-key pins are read and written (trust on first use). A pin in
   * `device.hostKeyFingerprint` takes precedence over the store. Without either, any key is
   * accepted and nothing is pinned.
   */
  hostKeys?: HostKeyPinning;
  /** The vendors known. Default: the built-in collectors. */
  collectors?: CollectorRegistry;
  /**
   * The shared connections to jump hosts, for a device with `via` (required then). The device's
   * session runs through a channel of its last hop's connection; see {@link JumpHostPool}.
   */
  jumpHosts?: JumpHostPool;
  /**
   * SSH algorithms; `'legacy'` adds what old devices need. Default: ssh2's defaults. This and the
   * deadlines below yield to the device's own `device.ssh` settings.
   */
  algorithms?: AlgorithmsOption;
  /** One deadline for TCP connect + key exchange + authentication. Default 20 s. */
  connectTimeoutMs?: number;
  /** Deadline of each command (and of the prompt). Default 60 s. */
  commandTimeoutMs?: number;
  /**
   * Hard limit of the whole collection; the socket is destroyed when it passes (`time-limit`).
   * Default 300 s. One owner arms it: collectConfig, unless `timeLimitEnforcedBySignal` says the
   * caller does.
   */
  timeLimitMs?: number;
  /**
   * True when the caller enforces the time limit itself through `signal`, aborting it with a
   * `time-limit` `BackupError` (the scheduler does: its limit runs from the attempt's start and
   * covers its port calls too). collectConfig then arms no timer of its own and rejects with that
   * error as it is, so a time limit has one deadline and one message. Default false.
   */
  timeLimitEnforcedBySignal?: boolean;
  /** Output beyond this aborts with `output-too-large` without buffering the rest. Default 16 MiB. */
  maxOutputBytes?: number;
  /**
   * Mask the secrets the collector declares to `<secret hidden>` before hashing (SPEC §9); a
   * RouterOS device is asked for `/export hide-sensitive`. `device.maskSecrets` wins when set.
   * Default false.
   */
  maskSecrets?: boolean;
  /** SSH keepalive interval of the device's session, in ms; `0`: none. Default 0. */
  keepaliveIntervalMs?: number;
  /**
   * Told, in order, everything typed into the device's shell and everything it sent back (see
   * `TranscriptEvent`), e.g. to record the session as a test case. The enable secret is
   * marked `secret`; the login password never passes through it. Default: none.
   */
  transcript?: TranscriptListener;
  signal?: AbortSignal;
  /** Time source of the deadlines. Default the system clock. */
  clock?: Clock;
  logger?: Logger;
}

/** What {@link collectConfig} returns. */
export interface CollectResult {
  deviceId: string;
  /** Collector id. */
  vendor: string;
  /** The normalized configuration (SPEC §4). */
  text: string;
  /** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
  sha256: string;
  /** `latin1` when the device did not send valid UTF-8. */
  encoding?: 'latin1';
  /** True when the collector's secret rules masked `text` (`maskSecrets`, SPEC §9). */
  secretsMasked?: true;
  /** Software version the device reported in its output (e.g. RouterOS's export header). */
  deviceVersion?: string;
  /**
   * How the configuration was read: `device.transport`, or `ssh`. Always set by collectConfig; a
   * custom collect function may leave it out.
   */
  transport?: DeviceTransport;
  /**
   * The fingerprint of the host key the device presented. `''` over telnet, which has no host key
   * (nothing is checked or pinned).
   */
  hostKeyFingerprint: string;
  /** True when this attempt pinned the key (first use); false when it was already pinned or no store was given. */
  hostKeyPinned: boolean;
  collectedAt: Date;
  durationMs: number;
  /** Bytes received from the device over all channels. */
  bytesReceived: number;
}

/**
 * The results of {@link collectConfig} whose `sha256` is `normalizeConfig`'s over exactly the
 * `text` they were returned with. Keyed by the result object, so a copy or a changed text is not
 * trusted.
 */
const normalizedHashes = new WeakMap<
  CollectResult,
  { readonly text: string; readonly sha256: string }
>();

/**
 * Whether `result` came from {@link collectConfig} unchanged, so its `sha256` is the hash of its
 * `text` and need not be computed again (one SHA-256 per snapshot). A result a custom collect
 * function built, copied or changed answers false and is hashed again before it is published.
 *
 * @example
 * ```ts
 * const result = await collectConfig(options);
 * hasNormalizedHash(result); // true
 * hasNormalizedHash({ ...result }); // false
 * ```
 */
export function hasNormalizedHash(result: CollectResult): boolean {
  const known = normalizedHashes.get(result);
  return known !== undefined && known.text === result.text && known.sha256 === result.sha256;
}

/**
 * Backs up one device once: connects over SSH (checking its host key before any credential is
 * sent), runs its vendor's commands, normalizes and hashes the output. Usable without a scheduler.
 *
 * Rejects with a {@link BackupError} whose `kind` says what went wrong; the message names the
 * device and what to do, and never contains a secret or configuration text.
 *
 * @example
 * ```ts
 * import { collectConfig, FileHostKeyStore } from 'confsnap';
 *
 * const result = await collectConfig({
 *   device: { id: 'core-r1', host: '192.0.2.1', vendor: 'routeros', version: '7.16.2' },
 *   credentials: { username: 'backup', password: process.env.ROUTER_PASSWORD },
 *   hostKeys: new FileHostKeyStore('./hostkeys.json'),
 * });
 * console.log(result.sha256, result.text.length);
 * ```
 */
export async function collectConfig(options: CollectOptions): Promise<CollectResult> {
  const settings = validateOptions(options);
  const { device, credentials } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const registry = options.collectors ?? defaultRegistry();
  const collector = registry.get(device.vendor);
  if (!collector) {
    throw new TypeError(
      `collectConfig: device ${device.id} has vendor "${device.vendor}", which no collector handles (known: ${[...registry.vendors()].join(', ')})`,
    );
  }
  const telnetProblem = telnetRecordProblem(device, collector.mode);
  if (telnetProblem) {
    throw new TypeError(
      `collectConfig: device ${device.id}: ${telnetProblem.field} ${telnetProblem.message}`,
    );
  }
  const transport = transportOf(device);
  const port = device.port ?? (transport === 'telnet' ? TELNET_PORT : 22);
  const target = `${device.host}:${port}`;
  const startedAt = clock.now();
  const attempt = new Attempt(
    device.id,
    target,
    clock,
    logger,
    settings.commandTimeoutMs,
    settings.maxOutputBytes,
  );
  attempt.transcript = options.transcript;
  const detachCaller = onAbort(options.signal, () => {
    const reason: unknown = options.signal?.reason;
    attempt.fail(
      isBackupError(reason, 'time-limit')
        ? reason
        : new BackupError({
            kind: 'cancelled',
            deviceId: device.id,
            cause: reason,
            message: `${device.id}: the backup was cancelled`,
          }),
    );
  });
  const armTimeLimit = options.timeLimitEnforcedBySignal !== true;
  const cancelTimeLimit = !armTimeLimit
    ? () => {}
    : startTimer(clock, settings.timeLimitMs, () =>
        attempt.fail(
          new BackupError({
            kind: 'time-limit',
            deviceId: device.id,
            message: `${device.id}: the backup of ${target} passed timeLimitMs (${settings.timeLimitMs} ms) and was aborted; a slow device may need a higher limit`,
            details: { timeLimitMs: settings.timeLimitMs },
          }),
        ),
      );

  let client: Client | undefined;
  let channel: JumpHostChannel | undefined;
  let telnet: TelnetConnection | undefined;
  const finish = (
    raw: RawOutput,
    normalized: ReturnType<typeof normalizeConfig>,
    hostKey: { fingerprint: string; pinned: boolean },
  ): CollectResult => {
    const finishedAt = clock.now();
    logger.debug({ deviceId: device.id, bytes: attempt.bytesReceived, transport }, 'collected');
    const result: CollectResult = {
      deviceId: device.id,
      vendor: collector.vendor,
      text: normalized.text,
      sha256: normalized.sha256,
      ...(normalized.encoding ? { encoding: normalized.encoding } : {}),
      ...(normalized.secretsMasked ? { secretsMasked: true as const } : {}),
      ...(raw.deviceVersion ? { deviceVersion: raw.deviceVersion } : {}),
      transport,
      hostKeyFingerprint: hostKey.fingerprint,
      hostKeyPinned: hostKey.pinned,
      collectedAt: new Date(finishedAt),
      durationMs: finishedAt - startedAt,
      bytesReceived: attempt.bytesReceived,
    };
    normalizedHashes.set(result, { text: result.text, sha256: result.sha256 });
    return result;
  };
  const maskSecrets = device.maskSecrets ?? options.maskSecrets === true;
  const normalizeComplete = (raw: RawOutput): ReturnType<typeof normalizeConfig> => {
    const normalized = normalizeOutput(device.id, collector, raw.bytes, maskSecrets);
    if (!collector.isComplete(normalized.text)) {
      throw new BackupError({
        kind: 'truncated-output',
        deviceId: device.id,
        message: `${device.id}: the ${collector.displayName} configuration is incomplete (its end marker is missing); nothing was published — the device may have cut the output short`,
      });
    }
    return normalized;
  };
  try {
    if (transport === 'telnet') {
      // No host key to check or pin: telnet authenticates no host (see Device.transport).
      logger.debug(
        { deviceId: device.id, target, vendor: collector.vendor, transport },
        'connecting',
      );
      const hops = jumpHostsOf(device);
      channel =
        hops.length === 0
          ? undefined
          : await options.jumpHosts!.openChannel(
              attempt,
              hops,
              { host: device.host, port, transport },
              settings.connectTimeoutMs,
            );
      const connection = await openTelnet(attempt, {
        host: device.host,
        port,
        credentials,
        collector,
        connectTimeoutMs: settings.connectTimeoutMs,
        sock: channel?.stream,
        remainingMs: channel?.remainingMs(),
      });
      telnet = connection;
      const raw = await collectRaw(
        attempt,
        { shell: () => ShellSession.start(attempt, connection.stream, collector) },
        collector,
        device,
        credentials.enableSecret,
        maskSecrets,
      );
      const normalized = normalizeComplete(raw);
      return finish(raw, normalized, { fingerprint: '', pinned: false });
    }
    const pinned = await attempt.race(readPin(options, attempt.signal));
    const verifier = new HostKeyVerifier(pinned);
    logger.debug({ deviceId: device.id, target, vendor: collector.vendor }, 'connecting');
    // Through jump hosts: the device's own session runs inside a channel of the last hop.
    const hops = jumpHostsOf(device);
    channel =
      hops.length === 0
        ? undefined
        : await options.jumpHosts!.openChannel(
            attempt,
            hops,
            { host: device.host, port },
            settings.connectTimeoutMs,
          );
    client = await connect(attempt, {
      host: device.host,
      port,
      credentials,
      verifier,
      algorithms: resolveAlgorithms(settings.algorithms),
      connectTimeoutMs: settings.connectTimeoutMs,
      keepaliveIntervalMs: settings.keepaliveIntervalMs,
      sock: channel?.stream,
      remainingMs: channel?.remainingMs(),
    });
    const ssh = client;
    const raw = await collectRaw(
      attempt,
      { client: ssh, shell: () => ShellSession.open(attempt, ssh, collector, credentials) },
      collector,
      device,
      credentials.enableSecret,
      maskSecrets,
    );
    const normalized = normalizeComplete(raw);
    // A re-key may have presented a different key after the first check: refuse to pin that.
    if (verifier.rejected !== undefined) throw hostKeyMismatch(device.id, target, verifier);
    const fingerprint = verifier.observed!;
    const hostKeyPinned =
      pinned === undefined ? await pinHostKey(options, fingerprint, attempt, logger) : false;
    await closeGracefully(client, clock);
    return finish(raw, normalized, { fingerprint, pinned: hostKeyPinned });
  } catch (error) {
    // The attempt's own failure (time limit, output limit, cancel) beats the error it caused.
    const reason: unknown = attempt.signal.aborted ? attempt.signal.reason : error;
    throw asBackupError(reason, device.id);
  } finally {
    cancelTimeLimit();
    detachCaller();
    client?.destroy();
    telnet?.close();
    channel?.release();
  }
}

/** {@link normalizeConfig}, with its errors naming the device. */
function normalizeOutput(
  deviceId: string,
  collector: ConfigCollector,
  bytes: Buffer,
  maskSecrets: boolean,
): ReturnType<typeof normalizeConfig> {
  try {
    return normalizeConfig(collector, bytes, undefined, { maskSecrets });
  } catch (error) {
    if (!isBackupError(error) || error.deviceId !== undefined) throw error;
    throw new BackupError({
      kind: error.kind,
      deviceId,
      message: `${deviceId}: ${error.message}`,
      details: error.details,
    });
  }
}

let builtins: CollectorRegistry | undefined;
function defaultRegistry(): CollectorRegistry {
  builtins ??= createCollectorRegistry();
  return builtins;
}

interface RawOutput {
  bytes: Buffer;
  deviceVersion: string | undefined;
}

/** Where a collection runs its commands: an SSH connection, or a telnet shell. */
interface CommandTransport {
  /** The SSH connection, for exec-mode collectors (absent over telnet). */
  readonly client?: Client;
  /** Opens the interactive shell and learns its prompt. */
  readonly shell: () => Promise<ShellSession>;
}

async function collectRaw(
  attempt: Attempt,
  transport: CommandTransport,
  collector: ConfigCollector,
  device: Device,
  enableSecret: string | undefined,
  maskSecrets: boolean,
): Promise<RawOutput> {
  const context = { device, maskSecrets };
  const plan = collector.commands(context);
  const shell = collector.mode === 'shell' ? await transport.shell() : undefined;
  const client = transport.client;
  if (shell && collector.privilege) await shell.enterPrivilege(collector.privilege, enableSecret);
  if (shell) {
    for (const command of collector.setupCommands(context)) {
      const output = await shell.run(command);
      const error = matchAny(collector.errorPatterns, output);
      if (error !== undefined) {
        attempt.logger.debug(
          { deviceId: device.id, command, error },
          'setup command failed; continuing',
        );
      }
    }
  }
  // Only the first form may ask for the fallback: a fallback the device rejects too has no
  // further form to try, and is the device's refusal (command-failed), not an internal error.
  const runPlan = async (
    commands: readonly string[],
    hasFallback: boolean,
    triedForm?: readonly string[],
  ): Promise<Buffer[]> => {
    const outputs: Buffer[] = [];
    const check: OutputCheck = { attempt, collector, hasFallback, triedForm };
    for (const command of commands) {
      if (shell) {
        const text = await shell.run(command);
        checkOutput(check, command, errorRegion(text), undefined);
        outputs.push(Buffer.from(text, 'latin1'));
      } else {
        // Never without a client: telnet records of exec vendors are refused up front.
        const result = await runExec(attempt, client!, command, collector.exitStatus);
        checkOutput(
          check,
          command,
          `${errorRegion(result.stdout)}\n${errorRegion(result.stderr)}`,
          result.exitCode,
          result.exitSignal,
        );
        outputs.push(result.stdout);
      }
    }
    return outputs;
  };
  let outputs: Buffer[];
  try {
    outputs = await runPlan(plan.commands, plan.fallback !== undefined);
  } catch (error) {
    if (!(error instanceof FallbackNeeded) || !plan.fallback) throw error;
    attempt.logger.debug(
      { deviceId: device.id },
      'device rejected the command syntax; using the fallback',
    );
    outputs = await runPlan(plan.fallback, false, plan.commands);
  }
  shell?.logout();
  const bytes = joinOutputs(outputs);
  return { bytes, deviceVersion: detectVersion(collector, bytes) };
}

class FallbackNeeded extends Error {}

/** What {@link checkOutput} needs to know about the plan it checks. */
interface OutputCheck {
  readonly attempt: Attempt;
  readonly collector: ConfigCollector;
  /** A syntax error asks for the plan's fallback (only while running its first form). */
  readonly hasFallback: boolean;
  /** While running the fallback: the first form, which the device rejected already. */
  readonly triedForm?: readonly string[] | undefined;
}

function checkOutput(
  { attempt, collector, hasFallback, triedForm }: OutputCheck,
  command: string,
  text: string,
  exitCode: number | undefined,
  exitSignal?: string,
): void {
  const syntaxError = matchAny(collector.syntaxErrorPatterns, text);
  if (syntaxError !== undefined) {
    if (hasFallback) throw new FallbackNeeded();
    const tried =
      triedForm === undefined ? '' : ` after "${triedForm.join('; ')}" was rejected too`;
    throw new BackupError({
      kind: 'command-failed',
      deviceId: attempt.deviceId,
      message: `${attempt.deviceId}: the device does not accept "${command}"${tried}: ${syntaxError}; check the device's software version and the collector's commands`,
      details: {
        command,
        deviceError: syntaxError,
        ...(triedForm === undefined ? {} : { rejectedCommand: triedForm.join('; ') }),
      },
    });
  }
  const error = matchAny(collector.errorPatterns, text);
  if (error !== undefined) {
    throw new BackupError({
      kind: 'command-failed',
      deviceId: attempt.deviceId,
      message: `${attempt.deviceId}: "${command}" failed on the device: ${error}; check the account's privileges and the device's software version`,
      details: { command, deviceError: error },
    });
  }
  if (exitSignal !== undefined) {
    throw new BackupError({
      kind: 'truncated-output',
      deviceId: attempt.deviceId,
      message: `${attempt.deviceId}: "${command}" was killed by signal ${exitSignal} before it finished; nothing was published`,
      details: { command, exitSignal },
    });
  }
  if (exitCode !== undefined && exitCode !== 0) {
    throw new BackupError({
      kind: 'command-failed',
      deviceId: attempt.deviceId,
      message: `${attempt.deviceId}: "${command}" exited with status ${exitCode}`,
      details: { command, exitCode },
    });
  }
}

/** How much of each end of an output is searched for a device error. */
const ERROR_REGION_BYTES = 4096;

/**
 * Where a device's error text can be: the start or the end of a command's output. Searching only
 * there keeps a 16 MiB configuration cheap, and a configuration line that happens to read like an
 * error (a banner, a comment) in the middle of it cannot fail the backup.
 */
function errorRegion(output: Buffer | string): string {
  const text = typeof output === 'string' ? output : undefined;
  const length = text !== undefined ? text.length : (output as Buffer).length;
  const slice = (start: number, end: number): string =>
    text !== undefined ? text.slice(start, end) : (output as Buffer).toString('latin1', start, end);
  if (length <= 2 * ERROR_REGION_BYTES) return slice(0, length);
  return `${slice(0, ERROR_REGION_BYTES)}\n${slice(length - ERROR_REGION_BYTES, length)}`;
}

/** The first match of any pattern, cut to a short single line (a vendor error, never config). */
function matchAny(patterns: readonly RegExp[], text: string): string | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return match[0].replace(/\s+/g, ' ').trim().slice(0, 160);
  }
  return undefined;
}

function joinOutputs(outputs: Buffer[]): Buffer {
  if (outputs.length === 1) return outputs[0]!;
  const parts: Buffer[] = [];
  for (const output of outputs) {
    parts.push(output);
    if (output.length > 0 && output[output.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function detectVersion(collector: ConfigCollector, bytes: Buffer): string | undefined {
  if (!collector.detectVersion) return undefined;
  const version = collector.detectVersion(
    bytes.subarray(0, VERSION_SEARCH_BYTES).toString('latin1'),
  );
  return typeof version === 'string' && version !== '' ? version : undefined;
}

async function readPin(options: CollectOptions, signal: AbortSignal): Promise<string | undefined> {
  // Services map an empty column to null as often as to undefined.
  const fromDevice: unknown = options.device.hostKeyFingerprint;
  if (typeof fromDevice === 'string' && fromDevice.trim() !== '') return fromDevice;
  const store = options.hostKeys;
  if (!store || isUpdaterPinning(store)) return undefined;
  const pin = await store.get(options.device.id, signal);
  if (pin === undefined || pin === null || pin.trim() === '') return undefined;
  if (!isFingerprint(pin)) {
    // Never a mismatch (that would block the device and raise a false alarm): the store is wrong.
    throw new BackupError({
      kind: 'credentials-unavailable',
      deviceId: options.device.id,
      message: `${options.device.id}: the host key store holds no valid fingerprint for this device (expected SHA256:<43 base64 characters>); fix or delete its entry`,
    });
  }
  return pin;
}

async function pinHostKey(
  options: CollectOptions,
  fingerprint: string,
  attempt: Attempt,
  logger: Logger,
): Promise<boolean> {
  const store = options.hostKeys;
  if (!store) return false;
  const deviceId = options.device.id;
  try {
    if (isUpdaterPinning(store)) {
      await attempt.race(store.updater.updateSSHHostKey(deviceId, fingerprint, attempt.signal));
    } else {
      // Another attempt may have pinned meanwhile; never overwrite a different pin.
      const current = await attempt.race(store.get(deviceId, attempt.signal));
      if (current !== undefined) return false;
      await attempt.race(store.set(deviceId, fingerprint, attempt.signal));
    }
    logger.info({ deviceId, fingerprint }, 'pinned host key on first use');
    return true;
  } catch (error) {
    if (attempt.signal.aborted) throw error;
    logger.warn(
      { deviceId, error: error instanceof Error ? error.message : String(error) },
      'could not pin the host key; the next backup will trust on first use again',
    );
    return false;
  }
}

async function closeGracefully(client: Client, clock: Clock): Promise<void> {
  await new Promise<void>((resolve) => {
    const cancel = startTimer(clock, 1_000, resolve);
    client.once('close', () => {
      cancel();
      resolve();
    });
    client.end();
  });
}

function asBackupError(error: unknown, deviceId: string): BackupError {
  if (isBackupError(error)) return error;
  return new BackupError({
    kind: 'unreachable',
    deviceId,
    cause: error,
    message: `${deviceId}: the backup failed unexpectedly (${error instanceof Error ? error.name : 'error'}); see the cause`,
  });
}

/** The limits of one collection, with the device's own SSH settings applied. */
interface CollectSettings extends CollectLimits {
  algorithms: AlgorithmsOption | undefined;
  keepaliveIntervalMs: number;
}

function validateOptions(options: CollectOptions): CollectSettings {
  const { device, credentials } = options;
  const problem = checkDeviceRecord(device);
  if (problem) {
    const id = typeof device?.id === 'string' && problem.field !== 'id' ? ` ${device.id}` : '';
    throw new TypeError(`collectConfig: device${id}: ${problem.field} ${problem.message}`);
  }
  if (!credentials || typeof credentials.username !== 'string' || credentials.username === '') {
    throw new TypeError(`collectConfig: credentials for ${device.id} need a username`);
  }
  if (credentials.enableSecret !== undefined && typeof credentials.enableSecret !== 'string') {
    throw new TypeError(
      `collectConfig: credentials.enableSecret for ${device.id} must be a string ('' for an enable that asks for no password)`,
    );
  }
  if (jumpHostsOf(device).length > 0 && !(options.jumpHosts instanceof JumpHostPool)) {
    throw new TypeError(
      `collectConfig: device ${device.id} is reached through jump hosts (via); pass jumpHosts: new JumpHostPool({ credentials }) to connect through them`,
    );
  }
  const limits: CollectLimits = { ...COLLECT_DEFAULTS };
  for (const key of Object.keys(COLLECT_DEFAULTS) as (keyof CollectLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`collectConfig: ${key} must be a positive number, got ${String(value)}`);
    }
    limits[key] = value;
  }
  const keepalive = options.keepaliveIntervalMs;
  if (
    keepalive !== undefined &&
    (typeof keepalive !== 'number' || !Number.isFinite(keepalive) || keepalive < 0)
  ) {
    throw new RangeError(
      `collectConfig: keepaliveIntervalMs must be a number >= 0 (0: none), got ${String(keepalive)}`,
    );
  }
  // The device's own settings (checked with the record above) win over the options.
  const own = withDeviceSSH(device, { ...limits, ...options });
  return {
    ...limits,
    connectTimeoutMs: own.connectTimeoutMs ?? limits.connectTimeoutMs,
    commandTimeoutMs: own.commandTimeoutMs ?? limits.commandTimeoutMs,
    timeLimitMs: own.timeLimitMs ?? limits.timeLimitMs,
    algorithms: own.algorithms,
    keepaliveIntervalMs: own.keepaliveIntervalMs ?? 0,
  };
}
