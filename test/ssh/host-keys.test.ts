import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/ssh/fingerprint.js';
import { FileHostKeyStore, MemoryHostKeyStore } from '../../src/ssh/host-keys.js';
import { HostKeyVerifier } from '../../src/ssh/host-key-verifier.js';

const dir = mkdtempSync(join(tmpdir(), 'confsnap-hostkeys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keyA = Buffer.from('host key A');
const keyB = Buffer.from('host key B');
const fpA = fingerprintOf(keyA);
const fpB = fingerprintOf(keyB);

describe('MemoryHostKeyStore', () => {
  it('stores, returns and forgets pins', async () => {
    const store = new MemoryHostKeyStore({ r1: fpA });
    expect(await store.get('r1')).toBe(fpA);
    await store.set('r2', fpB);
    expect(await store.get('r2')).toBe(fpB);
    await store.delete('r1');
    expect(await store.get('r1')).toBeUndefined();
    expect(store.entries()).toEqual([['r2', fpB]]);
  });
});

describe('FileHostKeyStore', () => {
  it('creates a missing directory with mode 0700 and writes the file with mode 0600', async () => {
    const parent = join(dir, 'modes', 'nested');
    const store = new FileHostKeyStore(join(parent, 'pins.json'));
    await store.set('r1', fpA);
    expect(statSync(parent).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'modes')).mode & 0o777).toBe(0o700);
    expect(statSync(join(parent, 'pins.json')).mode & 0o777).toBe(0o600);
  });

  it('returns nothing for a file that does not exist yet', async () => {
    const store = new FileHostKeyStore(join(dir, 'missing', 'pins.json'));
    expect(await store.get('r1')).toBeUndefined();
  });

  it('creates the file and its folder on the first pin', async () => {
    const path = join(dir, 'nested', 'deeper', 'pins.json');
    await new FileHostKeyStore(path).set('r1', fpA);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ r1: fpA });
  });

  it('keeps every pin when many are set at once', async () => {
    const path = join(dir, 'concurrent.json');
    const store = new FileHostKeyStore(path);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.set(`r${i}`, fingerprintOf(Buffer.from(`k${i}`))),
      ),
    );
    const pins = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    expect(Object.keys(pins)).toHaveLength(100);
    expect(pins.r42).toBe(fingerprintOf(Buffer.from('k42')));
  });

  it('leaves no temp files behind', async () => {
    const sub = mkdtempSync(join(dir, 'tmpcheck-'));
    const store = new FileHostKeyStore(join(sub, 'pins.json'));
    await Promise.all([store.set('a', fpA), store.set('b', fpB), store.delete('a')]);
    expect(readdirSync(sub)).toEqual(['pins.json']);
  });

  it('sees a pin removed by another writer of the file', async () => {
    const path = join(dir, 'operator.json');
    const store = new FileHostKeyStore(path);
    await store.set('r1', fpA);
    writeFileSync(path, '{}');
    expect(await store.get('r1')).toBeUndefined();
  });

  it('names the file when it is not valid JSON', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ not json');
    await expect(new FileHostKeyStore(path).get('r1')).rejects.toThrow(path);
  });

  it('stops before writing when the signal is already aborted', async () => {
    const path = join(dir, 'aborted.json');
    const store = new FileHostKeyStore(path);
    await expect(store.set('r1', fpA, AbortSignal.abort())).rejects.toThrow();
    expect(await store.get('r1')).toBeUndefined();
  });
});

describe('HostKeyVerifier (trust on first use)', () => {
  it('accepts any key when nothing is pinned and remembers it', () => {
    const verifier = new HostKeyVerifier(undefined);
    expect(verifier.verify(keyA)).toBe(true);
    expect(verifier.observed).toBe(fpA);
  });

  it('accepts the pinned key again and again, as on every re-key', () => {
    const verifier = new HostKeyVerifier(fpA);
    expect(verifier.verify(keyA)).toBe(true);
    expect(verifier.verify(keyA)).toBe(true);
    expect(verifier.verify(keyA)).toBe(true);
    expect(verifier.rejected).toBeUndefined();
  });

  it('refuses a key other than the pinned one and records it', () => {
    const verifier = new HostKeyVerifier(fpA);
    expect(verifier.verify(keyB)).toBe(false);
    expect(verifier.rejected).toBe(fpB);
    expect(verifier.expected).toBe(fpA);
  });

  it('refuses a re-key that switches to another key on an unpinned device', () => {
    const verifier = new HostKeyVerifier(undefined);
    expect(verifier.verify(keyA)).toBe(true);
    expect(verifier.verify(keyB)).toBe(false);
    expect(verifier.observed).toBe(fpA);
  });

  it('treats a blank pin as no pin', () => {
    const verifier = new HostKeyVerifier('  ');
    expect(verifier.pinned).toBeUndefined();
    expect(verifier.verify(keyB)).toBe(true);
  });
});
