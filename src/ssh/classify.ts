import { BackupError, isBackupError } from '../core/errors.js';
import type { HostKeyVerifier } from './host-key-verifier.js';

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

/**
 * Turns what ssh2 or the socket reported during connect, key exchange or authentication into a
 * {@link BackupError}. Host-key refusals are recognised from the verifier's own record, never from
 * message text, so an algorithm negotiation failure can never pass for a mismatch.
 * @internal
 */
export function classifyConnectError(
  error: unknown,
  context: { deviceId: string; target: string; verifier: HostKeyVerifier },
): BackupError {
  if (isBackupError(error)) return error;
  const { deviceId, target, verifier } = context;
  if (verifier.rejected !== undefined) return hostKeyMismatch(deviceId, target, verifier);
  const err = (error ?? {}) as Ssh2Error;
  const message = typeof err.message === 'string' ? err.message : String(error);
  if (err.code === 'ECONNREFUSED') {
    return new BackupError({
      kind: 'connection-refused',
      deviceId,
      cause: error,
      message: `${deviceId}: ${target} refused the connection; check that SSH is enabled on the device and the port is right`,
    });
  }
  if (err.code !== undefined && UNREACHABLE_CODES.has(err.code)) {
    return new BackupError({
      kind: 'unreachable',
      deviceId,
      cause: error,
      message: `${deviceId}: ${target} is unreachable (${err.code}); check the address, routing and firewalls`,
    });
  }
  if (err.level === 'client-dns') {
    return new BackupError({
      kind: 'unreachable',
      deviceId,
      cause: error,
      message: `${deviceId}: the host name of ${target} does not resolve; check the device's address`,
    });
  }
  if (err.level === 'client-authentication') {
    return new BackupError({
      kind: 'auth-failed',
      deviceId,
      cause: error,
      message: `${deviceId}: ${target} rejected the credentials; fix the username/password/key for this device — it is blocked until its credentials change`,
    });
  }
  if (err.level === 'handshake' && /no matching/i.test(message)) {
    return new BackupError({
      kind: 'negotiation-failed',
      deviceId,
      cause: error,
      message: `${deviceId}: no SSH algorithm in common with ${target} (${message.replace(/^Handshake failed: /, '')}); for old devices try algorithms: 'legacy'`,
      details: { reason: message },
    });
  }
  if (/lost before handshake/i.test(message)) {
    // Accepted TCP, then closed without a word: a session limit or an access list, not a dialect.
    return new BackupError({
      kind: 'unreachable',
      deviceId,
      cause: error,
      message: `${deviceId}: ${target} closed the connection before the SSH handshake; the device may be at its session limit or refuse this address`,
    });
  }
  if (err.level === 'handshake' || err.level === 'protocol') {
    return new BackupError({
      kind: 'negotiation-failed',
      deviceId,
      cause: error,
      message: `${deviceId}: the SSH handshake with ${target} failed (${message}); the device may speak an SSH dialect that needs algorithms: 'legacy'`,
      details: { reason: message },
    });
  }
  return new BackupError({
    kind: 'unreachable',
    deviceId,
    cause: error,
    message: `${deviceId}: the connection to ${target} failed (${message})`,
  });
}

/** The `host-key-mismatch` error, carrying both fingerprints. */
export function hostKeyMismatch(
  deviceId: string,
  target: string,
  verifier: HostKeyVerifier,
): BackupError {
  const expected = verifier.expected ?? 'unknown';
  const observed = verifier.rejected ?? 'unknown';
  return new BackupError({
    kind: 'host-key-mismatch',
    deviceId,
    message:
      `${deviceId}: ${target} presented host key ${observed}, but ${expected} is pinned; ` +
      'no credentials were sent. If the device was legitimately replaced or re-keyed, reset its pin; ' +
      'otherwise treat it as a possible impostor. The device is blocked until its pin changes.',
    details: { expectedFingerprint: expected, observedFingerprint: observed },
  });
}
