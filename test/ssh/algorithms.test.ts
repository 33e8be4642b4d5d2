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
});
