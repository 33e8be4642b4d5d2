import type { Algorithms } from 'ssh2';

/**
 * The algorithms an SSH session may use: ssh2's own form (lists, or `{ append, prepend, remove }`
 * edits of its defaults), or `'legacy'` for old devices.
 */
export type AlgorithmsOption = Algorithms | 'legacy';

/**
 * ssh2's defaults plus what old devices (IOS 12.x, RouterOS 6, old ASA) still need:
 * diffie-hellman group1/group14 with SHA-1, `ssh-rsa` host keys, CBC ciphers and `hmac-sha1`.
 * Modern algorithms stay preferred; the legacy ones are only appended.
 */
export const LEGACY_ALGORITHMS: Algorithms = Object.freeze({
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
} as Algorithms);

/** Resolves the `algorithms` option to what ssh2 takes. */
export function resolveAlgorithms(option: AlgorithmsOption | undefined): Algorithms | undefined {
  return option === 'legacy' ? LEGACY_ALGORITHMS : option;
}
