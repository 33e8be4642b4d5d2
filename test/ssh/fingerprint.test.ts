import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canonicalFingerprint,
  fingerprintOf,
  isFingerprint,
  sameFingerprint,
} from '../../src/ssh/fingerprint.js';
import { findBinary, sshKeygen } from '../harness/services.js';

const hasKeygen = findBinary('ssh-keygen') !== undefined;
const dir = mkdtempSync(join(tmpdir(), 'confsnap-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasKeygen)('fingerprintOf against ssh-keygen', () => {
  for (const type of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`prints the same SHA256 fingerprint as ssh-keygen -l for an ${type} key`, () => {
      const key = sshKeygen(dir, `key-${type}`, type);
      const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', key.publicKeyPath])
        .toString()
        .split(' ')[1];
      expect(printed).toMatch(/^SHA256:/);
      expect(fingerprintOf(key.publicKey)).toBe(printed);
      const blob = Buffer.from(key.publicKey.split(' ')[1]!, 'base64');
      expect(fingerprintOf(blob)).toBe(printed);
    });
  }
});

describe('fingerprint helpers', () => {
  it('leaves no base64 padding in a fingerprint', () => {
    const fingerprint = fingerprintOf(Buffer.from('any key blob'));
    expect(fingerprint).not.toContain('=');
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('canonicalizes pasted fingerprints with padding or without the prefix', () => {
    const fingerprint = fingerprintOf(Buffer.from('blob'));
    const body = fingerprint.slice('SHA256:'.length);
    expect(canonicalFingerprint(`${body}=`)).toBe(fingerprint);
    expect(canonicalFingerprint(` ${fingerprint} `)).toBe(fingerprint);
    expect(sameFingerprint(body, fingerprint)).toBe(true);
    expect(sameFingerprint(fingerprintOf(Buffer.from('other')), fingerprint)).toBe(false);
  });

  it('recognises only SHA-256 fingerprints as fingerprints', () => {
    expect(isFingerprint(fingerprintOf(Buffer.from('x')))).toBe(true);
    expect(isFingerprint('MD5:12:34')).toBe(false);
    expect(isFingerprint('SHA256:short')).toBe(false);
  });

  it('rejects text that is not a public key', () => {
    expect(() => fingerprintOf('not a key!')).toThrow(TypeError);
  });
});
