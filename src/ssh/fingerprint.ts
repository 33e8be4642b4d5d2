import { createHash } from 'node:crypto';

/**
 * The fingerprint of an SSH public key exactly as `ssh-keygen -l` prints it: `SHA256:` followed by
 * the unpadded base64 of the SHA-256 of the key blob.
 *
 * @param key the raw key blob (as ssh2 hands it to a host verifier), or a public key line in
 *   OpenSSH form (`ssh-ed25519 AAAA… comment`).
 * @example
 * ```ts
 * fingerprintOf(readFileSync('/etc/ssh/ssh_host_ed25519_key.pub', 'utf8'));
 * // 'SHA256:2zH0b2m…'
 * ```
 */
export function fingerprintOf(key: Uint8Array | string): string {
  const blob = typeof key === 'string' ? blobOfPublicKeyLine(key) : key;
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Whether two fingerprints name the same key (tolerates padding and a missing `SHA256:`). */
export function sameFingerprint(a: string, b: string): boolean {
  return canonicalFingerprint(a) === canonicalFingerprint(b);
}

/**
 * The canonical form of a fingerprint: `SHA256:` + unpadded base64. Accepts a value with or without
 * the prefix or padding, as operators paste them.
 */
export function canonicalFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim();
  const body = trimmed.startsWith('SHA256:') ? trimmed.slice(7) : trimmed;
  return `SHA256:${body.replace(/=+$/, '')}`;
}

/** Whether `value` is a SHA-256 key fingerprint (with or without `SHA256:` and padding). */
export function isFingerprint(value: string): boolean {
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(canonicalFingerprint(value));
}

function blobOfPublicKeyLine(line: string): Buffer {
  const parts = line.trim().split(/\s+/);
  // `type base64 [comment]`, or a bare base64 blob.
  const encoded = parts.length >= 2 ? parts[1]! : parts[0]!;
  const blob = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  // A key blob starts with its length-prefixed type name, e.g. "ssh-ed25519".
  const typeLength = blob && blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob?.subarray(4, 4 + typeLength).toString('latin1') ?? '';
  const valid =
    typeLength > 0 &&
    typeLength < 64 &&
    /^[a-z0-9@.-]+$/.test(type) &&
    (parts.length < 2 ||
      parts[0] === type ||
      parts[0]!.startsWith('sk-') ||
      parts[0]!.includes('cert'));
  if (!blob || !valid) {
    throw new TypeError('fingerprintOf: not an OpenSSH public key line or base64 key blob');
  }
  return blob;
}
