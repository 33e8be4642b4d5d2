import { canonicalFingerprint, fingerprintOf } from './fingerprint.js';

/**
 * The trust-on-first-use decision for one connection, made in ssh2's `hostVerifier`, i.e. before
 * any credential is sent. ssh2 calls the verifier again on every re-key, so the decision must be
 * the same each time for the same key: the first key seen is remembered, and a later different key
 * in the same connection is refused just as a pin mismatch is.
 * @internal
 */
export class HostKeyVerifier {
  readonly pinned: string | undefined;
  /** The fingerprint the server presented first. */
  observed: string | undefined;
  /** Set when the verifier refused a key: the fingerprint it refused. */
  rejected: string | undefined;

  constructor(pinned: string | undefined) {
    this.pinned =
      pinned === undefined || pinned.trim() === '' ? undefined : canonicalFingerprint(pinned);
  }

  /** For ssh2's `hostVerifier` option: true accepts the key, false ends the handshake. */
  readonly verify = (keyBlob: Buffer): boolean => {
    const fingerprint = fingerprintOf(keyBlob);
    const expected = this.pinned ?? this.observed;
    if (expected !== undefined && expected !== fingerprint) {
      this.rejected = fingerprint;
      return false;
    }
    this.observed ??= fingerprint;
    return true;
  };

  /** The fingerprint the connection was expected to present (pin, or first key seen). */
  get expected(): string | undefined {
    return this.pinned ?? this.observed;
  }
}
