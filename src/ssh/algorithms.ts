import type { Algorithms as Ssh2Algorithms } from 'ssh2';

// confsnap declares these names itself (the same as ssh2's) so that its published types stand
// without @types/ssh2, which consumers need not install. test/ssh/algorithms.test.ts keeps them
// in step with ssh2's.

/** Key-exchange algorithms an SSH session may offer. */
export type SSHKexAlgorithm =
  | 'curve25519-sha256'
  | 'curve25519-sha256@libssh.org'
  | 'ecdh-sha2-nistp256'
  | 'ecdh-sha2-nistp384'
  | 'ecdh-sha2-nistp521'
  | 'diffie-hellman-group-exchange-sha256'
  | 'diffie-hellman-group14-sha256'
  | 'diffie-hellman-group15-sha512'
  | 'diffie-hellman-group16-sha512'
  | 'diffie-hellman-group17-sha512'
  | 'diffie-hellman-group18-sha512'
  | 'diffie-hellman-group-exchange-sha1'
  | 'diffie-hellman-group14-sha1'
  | 'diffie-hellman-group1-sha1';

/** Host-key algorithms an SSH session may accept from the device. */
export type SSHServerHostKeyAlgorithm =
  | 'ssh-ed25519'
  | 'ecdsa-sha2-nistp256'
  | 'ecdsa-sha2-nistp384'
  | 'ecdsa-sha2-nistp521'
  | 'rsa-sha2-512'
  | 'rsa-sha2-256'
  | 'ssh-rsa'
  | 'ssh-dss';

/** Ciphers an SSH session may offer (some need support in Node's OpenSSL). */
export type SSHCipherAlgorithm =
  | 'chacha20-poly1305@openssh.com'
  | 'aes128-gcm'
  | 'aes128-gcm@openssh.com'
  | 'aes256-gcm'
  | 'aes256-gcm@openssh.com'
  | 'aes128-ctr'
  | 'aes192-ctr'
  | 'aes256-ctr'
  | 'aes256-cbc'
  | 'aes192-cbc'
  | 'aes128-cbc'
  | 'blowfish-cbc'
  | '3des-cbc'
  | 'arcfour256'
  | 'arcfour128'
  | 'cast128-cbc'
  | 'arcfour';

/** Message authentication codes an SSH session may offer. */
export type SSHMacAlgorithm =
  | 'hmac-sha2-256-etm@openssh.com'
  | 'hmac-sha2-512-etm@openssh.com'
  | 'hmac-sha1-etm@openssh.com'
  | 'hmac-sha2-256'
  | 'hmac-sha2-512'
  | 'hmac-sha1'
  | 'hmac-md5'
  | 'hmac-sha2-256-96'
  | 'hmac-sha2-512-96'
  | 'hmac-ripemd160'
  | 'hmac-sha1-96'
  | 'hmac-md5-96';

/** Compression an SSH session may offer. */
export type SSHCompressionAlgorithm = 'none' | 'zlib' | 'zlib@openssh.com';

/**
 * One kind of algorithm: the whole list in order of preference (most preferred first), or edits
 * of the SSH client's default list (`append` and `prepend` add, `remove` takes away; any subset).
 */
export type SSHAlgorithmList<Name extends string> =
  | readonly Name[]
  | {
      readonly append?: Name | readonly Name[];
      readonly prepend?: Name | readonly Name[];
      readonly remove?: Name | readonly Name[];
    };

/** The SSH algorithms a session may use, per kind; a kind left out keeps the client's defaults. */
export interface SSHAlgorithms {
  readonly kex?: SSHAlgorithmList<SSHKexAlgorithm>;
  readonly cipher?: SSHAlgorithmList<SSHCipherAlgorithm>;
  readonly serverHostKey?: SSHAlgorithmList<SSHServerHostKeyAlgorithm>;
  readonly hmac?: SSHAlgorithmList<SSHMacAlgorithm>;
  readonly compress?: SSHAlgorithmList<SSHCompressionAlgorithm>;
}

/**
 * The algorithms an SSH session may use: lists, or `{ append, prepend, remove }` edits of the
 * SSH client's defaults (ssh2's), or `'legacy'` for old devices.
 */
export type AlgorithmsOption = SSHAlgorithms | 'legacy';

/**
 * ssh2's defaults plus what old devices (IOS 12.x, RouterOS 6, old ASA) still need:
 * diffie-hellman group1/group14/group-exchange with SHA-1, `ssh-dss` host keys and CBC ciphers.
 * Modern algorithms stay preferred; the legacy ones are only appended. (`ssh-rsa` host keys and
 * `hmac-sha1` are among ssh2's defaults already; they are listed again for clarity.)
 */
export const LEGACY_ALGORITHMS: SSHAlgorithms = Object.freeze<SSHAlgorithms>({
  kex: {
    append: [
      'diffie-hellman-group14-sha1',
      'diffie-hellman-group-exchange-sha1',
      'diffie-hellman-group1-sha1',
    ],
  },
  serverHostKey: { append: ['ssh-rsa', 'ssh-dss'] },
  cipher: { append: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'] },
  hmac: { append: ['hmac-sha1'] },
});

/** Resolves the `algorithms` option to what ssh2 takes. */
export function resolveAlgorithms(
  option: AlgorithmsOption | undefined,
): Ssh2Algorithms | undefined {
  const algorithms = option === 'legacy' ? LEGACY_ALGORITHMS : option;
  // The same names and shapes; ssh2's declarations only demand mutable lists and all three edits,
  // which ssh2 itself does not (it reads the lists and takes any subset of the edits).
  return algorithms as Ssh2Algorithms | undefined;
}
