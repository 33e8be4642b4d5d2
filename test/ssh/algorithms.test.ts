// confsnap declares its SSH algorithm names itself, so that its published types need no
// @types/ssh2; these checks keep them in step with ssh2's (tsc checks the types, vitest the values).
import { createRequire } from 'node:module';
import type {
  Algorithms,
  CipherAlgorithm,
  CompressionAlgorithm,
  KexAlgorithm,
  MacAlgorithm,
  ServerHostKeyAlgorithm,
} from 'ssh2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  LEGACY_ALGORITHMS,
  type AlgorithmsOption,
  type SSHAlgorithms,
  type SSHCipherAlgorithm,
  type SSHCompressionAlgorithm,
  type SSHKexAlgorithm,
  type SSHMacAlgorithm,
  type SSHServerHostKeyAlgorithm,
} from '../../src/index.js';
import { resolveAlgorithms } from '../../src/ssh/algorithms.js';

/** ssh2's lists of what it implements (its constants module is CommonJS, without declarations). */
const ssh2Supported = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js') as Record<
  string,
  readonly string[]
>;

describe('SSH algorithm names', () => {
  it('are the names ssh2 declares, no more and no fewer', () => {
    expectTypeOf<SSHKexAlgorithm>().toEqualTypeOf<KexAlgorithm>();
    expectTypeOf<SSHServerHostKeyAlgorithm>().toEqualTypeOf<ServerHostKeyAlgorithm>();
    expectTypeOf<SSHCipherAlgorithm>().toEqualTypeOf<CipherAlgorithm>();
    expectTypeOf<SSHMacAlgorithm>().toEqualTypeOf<MacAlgorithm>();
    expectTypeOf<SSHCompressionAlgorithm>().toEqualTypeOf<CompressionAlgorithm>();
    expectTypeOf<keyof SSHAlgorithms>().toEqualTypeOf<keyof Algorithms>();
  });

  it('accept the edit forms ssh2 takes: any subset of append, prepend and remove', () => {
    const edits: AlgorithmsOption = {
      kex: { remove: 'diffie-hellman-group1-sha1' },
      serverHostKey: ['ssh-ed25519'],
      cipher: { prepend: ['aes256-ctr'], append: 'aes128-cbc' },
    };
    expect(resolveAlgorithms(edits)).toBe(edits);
    // @ts-expect-error a name ssh2 does not know is a compile error, as with ssh2's own types
    const typo: AlgorithmsOption = { kex: ['curve25519-sha265'] };
    expect(typo).toBeDefined();
  });

  it("'legacy' resolves to LEGACY_ALGORITHMS, whose every name ssh2 implements", () => {
    expect(resolveAlgorithms('legacy')).toBe(LEGACY_ALGORITHMS);
    expect(resolveAlgorithms(undefined)).toBeUndefined();
    const supported: Record<keyof SSHAlgorithms, readonly string[] | undefined> = {
      kex: ssh2Supported.SUPPORTED_KEX,
      serverHostKey: ssh2Supported.SUPPORTED_SERVER_HOST_KEY,
      cipher: ssh2Supported.SUPPORTED_CIPHER,
      hmac: ssh2Supported.SUPPORTED_MAC,
      compress: ssh2Supported.SUPPORTED_COMPRESSION,
    };
    for (const [kind, list] of Object.entries(LEGACY_ALGORITHMS) as [
      keyof SSHAlgorithms,
      { readonly append: string | readonly string[] },
    ][]) {
      const names = [list.append].flat();
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(supported[kind]).toContain(name);
    }
  });

  // docs/cli.md (--legacy-ssh) and docs/operations.md say what 'legacy' adds and what works without it.
  it("'legacy' adds SHA-1 key exchange, ssh-dss host keys and CBC ciphers; ssh-rsa and hmac-sha1 are defaults", () => {
    const defaults: Record<keyof SSHAlgorithms, readonly string[] | undefined> = {
      kex: ssh2Supported.DEFAULT_KEX,
      serverHostKey: ssh2Supported.DEFAULT_SERVER_HOST_KEY,
      cipher: ssh2Supported.DEFAULT_CIPHER,
      hmac: ssh2Supported.DEFAULT_MAC,
      compress: ssh2Supported.DEFAULT_COMPRESSION,
    };
    const added = Object.fromEntries(
      (
        Object.entries(LEGACY_ALGORITHMS) as [
          keyof SSHAlgorithms,
          { readonly append: string | readonly string[] },
        ][]
      ).map(([kind, list]) => [
        kind,
        [list.append].flat().filter((name) => !defaults[kind]?.includes(name)),
      ]),
    );
    expect(added).toEqual({
      kex: [
        'diffie-hellman-group14-sha1',
        'diffie-hellman-group-exchange-sha1',
        'diffie-hellman-group1-sha1',
      ],
      serverHostKey: ['ssh-dss'],
      cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
      hmac: [],
    });
    expect(defaults.serverHostKey).toContain('ssh-rsa');
    expect(defaults.hmac).toContain('hmac-sha1');
  });
});
