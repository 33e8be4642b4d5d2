import type { Algorithms as Ssh2Algorithms } from 'ssh2';

// confsnap declares these names itself (the same as ssh2's) so that its published types stand
// without @types/ssh2, which consumers need not install. test/ssh/algorithms.test.ts keeps them
// in step with ssh2's.

/** Every key-exchange algorithm name confsnap accepts (those ssh2 declares). */
export const SSH_KEX_ALGORITHMS = Object.freeze([
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group14-sha256',
  'diffie-hellman-group15-sha512',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group17-sha512',
  'diffie-hellman-group18-sha512',
  'diffie-hellman-group-exchange-sha1',
  'diffie-hellman-group14-sha1',
  'diffie-hellman-group1-sha1',
] as const);

/** Key-exchange algorithms an SSH session may offer. */
export type SSHKexAlgorithm = (typeof SSH_KEX_ALGORITHMS)[number];

/** Every host-key algorithm name confsnap accepts (those ssh2 declares). */
export const SSH_SERVER_HOST_KEY_ALGORITHMS = Object.freeze([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
  'ssh-dss',
] as const);

/** Host-key algorithms an SSH session may accept from the device. */
export type SSHServerHostKeyAlgorithm = (typeof SSH_SERVER_HOST_KEY_ALGORITHMS)[number];

/** Every cipher name confsnap accepts (those ssh2 declares). */
export const SSH_CIPHER_ALGORITHMS = Object.freeze([
  'chacha20-poly1305@openssh.com',
  'aes128-gcm',
  'aes128-gcm@openssh.com',
  'aes256-gcm',
  'aes256-gcm@openssh.com',
  'aes128-ctr',
  'aes192-ctr',
  'aes256-ctr',
  'aes256-cbc',
  'aes192-cbc',
  'aes128-cbc',
  'blowfish-cbc',
  '3des-cbc',
  'arcfour256',
  'arcfour128',
  'cast128-cbc',
  'arcfour',
] as const);

/** Ciphers an SSH session may offer (some need support in Node's OpenSSL). */
export type SSHCipherAlgorithm = (typeof SSH_CIPHER_ALGORITHMS)[number];

/** Every MAC name confsnap accepts (those ssh2 declares). */
export const SSH_MAC_ALGORITHMS = Object.freeze([
  'hmac-sha2-256-etm@openssh.com',
  'hmac-sha2-512-etm@openssh.com',
  'hmac-sha1-etm@openssh.com',
  'hmac-sha2-256',
  'hmac-sha2-512',
  'hmac-sha1',
  'hmac-md5',
  'hmac-sha2-256-96',
  'hmac-sha2-512-96',
  'hmac-ripemd160',
  'hmac-sha1-96',
  'hmac-md5-96',
] as const);

/** Message authentication codes an SSH session may offer. */
export type SSHMacAlgorithm = (typeof SSH_MAC_ALGORITHMS)[number];

/** Every compression name confsnap accepts (those ssh2 declares). */
export const SSH_COMPRESSION_ALGORITHMS = Object.freeze([
  'none',
  'zlib',
  'zlib@openssh.com',
] as const);

/** Compression an SSH session may offer. */
export type SSHCompressionAlgorithm = (typeof SSH_COMPRESSION_ALGORITHMS)[number];

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

/**
 * A device's own choice of algorithms (`Device.ssh.algorithms`): `'modern'` is ssh2's defaults
 * whatever the scheduler's `algorithms` say, `'legacy'` adds {@link LEGACY_ALGORITHMS}, and lists
 * or edits ({@link SSHAlgorithms}) replace the scheduler's choice entirely.
 */
export type DeviceAlgorithmsOption = 'modern' | 'legacy' | SSHAlgorithms;

/** The names confsnap accepts per kind of algorithm, for checking records at run time. */
export const SSH_ALGORITHM_NAMES: Readonly<Record<keyof SSHAlgorithms, readonly string[]>> =
  Object.freeze({
    kex: SSH_KEX_ALGORITHMS,
    cipher: SSH_CIPHER_ALGORITHMS,
    serverHostKey: SSH_SERVER_HOST_KEY_ALGORITHMS,
    hmac: SSH_MAC_ALGORITHMS,
    compress: SSH_COMPRESSION_ALGORITHMS,
  });

/**
 * The algorithms option for one device: its own `device` choice when it has one (`'modern'`:
 * none, so ssh2's defaults), else the caller's `fallback`.
 *
 * @example
 * ```ts
 * algorithmsFor('modern', 'legacy'); // undefined — ssh2's defaults
 * algorithmsFor(undefined, 'legacy'); // 'legacy'
 * ```
 */
export function algorithmsFor(
  device: DeviceAlgorithmsOption | undefined,
  fallback: AlgorithmsOption | undefined,
): AlgorithmsOption | undefined {
  if (device === undefined) return fallback;
  return device === 'modern' ? undefined : device;
}

/**
 * What is wrong with `value` as a {@link DeviceAlgorithmsOption}, or `undefined` when nothing is:
 * a message for the field `field` (e.g. `ssh.algorithms`).
 * @internal
 */
export function algorithmsProblem(
  value: unknown,
  field: string,
): { field: string; message: string } | undefined {
  if (value === 'modern' || value === 'legacy') return undefined;
  const shape = `must be 'modern', 'legacy' or an object of lists { kex, cipher, serverHostKey, hmac, compress }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { field, message: `${shape}, got ${JSON.stringify(value)}` };
  }
  const kinds = Object.keys(SSH_ALGORITHM_NAMES);
  for (const [kind, list] of Object.entries(value as Record<string, unknown>)) {
    const known = SSH_ALGORITHM_NAMES[kind as keyof SSHAlgorithms];
    if (known === undefined) {
      return {
        field: `${field}.${kind}`,
        message: `is no kind of algorithm (known: ${kinds.join(', ')})`,
      };
    }
    const problem = algorithmListProblem(list, known, `${field}.${kind}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function algorithmListProblem(
  list: unknown,
  known: readonly string[],
  field: string,
): { field: string; message: string } | undefined {
  const namesProblem = (names: readonly unknown[], at: string) => {
    for (const name of names) {
      if (typeof name !== 'string' || !known.includes(name)) {
        return {
          field: at,
          message: `names ${JSON.stringify(name)}, which is not a known algorithm (known: ${known.join(', ')})`,
        };
      }
    }
    return undefined;
  };
  if (Array.isArray(list)) {
    if (list.length === 0) {
      return { field, message: 'is empty; name at least one algorithm, or leave the kind out' };
    }
    return namesProblem(list, field);
  }
  if (typeof list !== 'object' || list === null) {
    return {
      field,
      message: `must be a list of algorithm names or { append, prepend, remove }, got ${JSON.stringify(list)}`,
    };
  }
  for (const [edit, names] of Object.entries(list as Record<string, unknown>)) {
    if (edit !== 'append' && edit !== 'prepend' && edit !== 'remove') {
      return {
        field: `${field}.${edit}`,
        message: 'is not an edit; use append, prepend or remove',
      };
    }
    const problem = namesProblem(Array.isArray(names) ? names : [names], `${field}.${edit}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
