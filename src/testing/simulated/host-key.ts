import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

const { utils } = ssh2;

/** A simulated device's host key. */
export interface SimulatedHostKey {
  /** Key type, e.g. `ssh-ed25519`, `ssh-rsa`. */
  readonly type: string;
  /** The private key, as given or generated (OpenSSH format when generated). */
  readonly privateKey: string | Buffer;
  /** The public key as an OpenSSH line: `ssh-ed25519 AAAA…`. */
  readonly publicKey: string;
  /** The SSH wire-format public key blob the fingerprint is computed over. */
  readonly publicKeyBlob: Buffer;
  /** `SHA256:` + unpadded base64 of SHA-256 over {@link publicKeyBlob}, as `ssh-keygen -l` prints. */
  readonly fingerprint: string;
}

/**
 * Generates a host key for simulated devices, e.g. to give several devices the same key.
 *
 * ssh2 generates ed25519 keys it cannot parse back about once in 256 draws; this draws again until
 * the key parses.
 *
 * @example
 * ```ts
 * const hostKey = generateHostKey();
 * const a = await startSimulatedDevice({ vendor: 'routeros', config, hostKey });
 * const b = await startSimulatedDevice({ vendor: 'routeros', config, hostKey });
 * a.hostKeyFingerprint === b.hostKeyFingerprint; // true
 * ```
 */
export function generateHostKey(type: 'ed25519' | 'rsa' = 'ed25519'): SimulatedHostKey {
  for (let attempt = 0; attempt < 64; attempt++) {
    const pair =
      type === 'rsa'
        ? utils.generateKeyPairSync('rsa', { bits: 2048 })
        : utils.generateKeyPairSync('ed25519');
    const parsed = parsePrivateKey(pair.private);
    if (parsed) return describeHostKey(pair.private, parsed);
  }
  throw new Error(`could not generate a parsable ${type} host key`);
}

/** The host key a device uses: the one given, or a new ed25519 key. */
export function resolveHostKey(
  hostKey: string | Buffer | SimulatedHostKey | undefined,
): SimulatedHostKey {
  if (hostKey === undefined) return generateHostKey();
  const privateKey =
    typeof hostKey === 'string' || Buffer.isBuffer(hostKey) ? hostKey : hostKey.privateKey;
  const parsed = parsePrivateKey(privateKey);
  if (!parsed) throw new TypeError('hostKey is not a private key ssh2 can read');
  return describeHostKey(privateKey, parsed);
}

/** `SHA256:` + unpadded base64 of SHA-256 over a public key blob (`ssh-keygen -l`). */
export function fingerprintOf(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Parses a public or private key with ssh2, or returns undefined. */
export function parseAnyKey(key: string | Buffer): ParsedKey | undefined {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) return undefined;
  // The OpenSSH format may hold several keys; ssh2 returns an array then (its types omit it).
  const first: unknown = Array.isArray(parsed) ? (parsed as unknown[])[0] : parsed;
  return first as ParsedKey | undefined;
}

function parsePrivateKey(key: string | Buffer): ParsedKey | undefined {
  const parsed = parseAnyKey(key);
  return parsed?.isPrivateKey() ? parsed : undefined;
}

function describeHostKey(privateKey: string | Buffer, parsed: ParsedKey): SimulatedHostKey {
  const publicKeyBlob = parsed.getPublicSSH();
  return Object.freeze({
    type: parsed.type,
    privateKey,
    publicKey: `${parsed.type} ${publicKeyBlob.toString('base64')}`,
    publicKeyBlob,
    fingerprint: fingerprintOf(publicKeyBlob),
  });
}
