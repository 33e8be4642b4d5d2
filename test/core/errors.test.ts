import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BACKUP_ERROR_KINDS,
  BackupError,
  isBackupError,
  isBackupErrorKind,
  isPermanentKind,
  type BackupErrorKind,
} from '../../src/core/errors.js';
import type * as Errors from '../../src/core/errors.js';

type ErrorsModule = typeof Errors;

const distCjs = fileURLToPath(new URL('../../dist/index.cjs', import.meta.url));
const distEsm = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

describe('BackupError', () => {
  it('carries its kind, message, device id and details', () => {
    const error = new BackupError({
      kind: 'command-timeout',
      message: 'no prompt after 30 s',
      deviceId: 'edge-1',
      details: { commandTimeoutMs: 30_000 },
    });
    expect(error).toMatchObject({
      name: 'BackupError',
      kind: 'command-timeout',
      message: 'no prompt after 30 s',
      deviceId: 'edge-1',
      details: { commandTimeoutMs: 30_000 },
    });
    expect(error).toBeInstanceOf(Error);
  });

  it('throws a TypeError for a kind that is not a BackupErrorKind', () => {
    expect(() => new BackupError({ kind: 'exploded' as BackupErrorKind, message: 'boom' })).toThrow(
      TypeError,
    );
  });

  it.each(BACKUP_ERROR_KINDS)('accepts the kind %s', (kind) => {
    expect(new BackupError({ kind, message: 'x' }).kind).toBe(kind);
  });

  it('is permanent for auth-failed and host-key-mismatch and for no other kind', () => {
    const permanent = BACKUP_ERROR_KINDS.filter(
      (kind) => new BackupError({ kind, message: 'x' }).permanent,
    );
    expect(permanent).toEqual(['auth-failed', 'host-key-mismatch']);
  });

  it('keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new BackupError({ kind: 'connection-refused', message: 'refused', cause }).cause).toBe(
      cause,
    );
  });

  it('has no cause property when none is given', () => {
    expect('cause' in new BackupError({ kind: 'unreachable', message: 'no route' })).toBe(false);
  });

  it('freezes a copy of its details', () => {
    const details = { attempt: 1 };
    const error = new BackupError({ kind: 'time-limit', message: 'too slow', details });
    details.attempt = 2;
    expect(error.details).toEqual({ attempt: 1 });
    expect(Object.isFrozen(error.details)).toBe(true);
  });

  it('serializes to JSON without the cause', () => {
    const error = new BackupError({
      kind: 'auth-failed',
      message: 'password rejected',
      deviceId: 'core-2',
      cause: new Error('secret: hunter2'),
      details: { method: 'password' },
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'BackupError',
      kind: 'auth-failed',
      message: 'password rejected',
      deviceId: 'core-2',
      details: { method: 'password' },
    });
  });

  it('leaves deviceId out of its JSON when it has none', () => {
    expect(new BackupError({ kind: 'cancelled', message: 'stopped' }).toJSON()).not.toHaveProperty(
      'deviceId',
    );
  });
});

describe('isBackupErrorKind', () => {
  it('accepts every listed kind and nothing else', () => {
    expect(BACKUP_ERROR_KINDS.every((kind) => isBackupErrorKind(kind))).toBe(true);
    expect([undefined, null, 1, 'Auth-Failed', 'toString', ''].some(isBackupErrorKind)).toBe(false);
  });
});

describe('isPermanentKind', () => {
  it('is true for exactly auth-failed and host-key-mismatch', () => {
    expect(BACKUP_ERROR_KINDS.filter(isPermanentKind)).toEqual([
      'auth-failed',
      'host-key-mismatch',
    ]);
  });
});

describe('isBackupError', () => {
  it('recognises a BackupError', () => {
    expect(isBackupError(new BackupError({ kind: 'unreachable', message: 'x' }))).toBe(true);
  });

  it('rejects plain errors, look-alikes and non-objects', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'BackupError', kind: 'unreachable' });
    expect(
      [new Error('x'), lookAlike, null, undefined, 'BackupError', 42].some((value) =>
        isBackupError(value),
      ),
    ).toBe(false);
  });

  it('checks the kind when one is given', () => {
    const error = new BackupError({ kind: 'host-key-mismatch', message: 'x' });
    expect(isBackupError(error, 'host-key-mismatch')).toBe(true);
    expect(isBackupError(error, 'auth-failed')).toBe(false);
  });

  it('recognises an error from a second copy of the module, where instanceof fails', async () => {
    // A query string makes the module loader evaluate the file again: a distinct class.
    const copyPath = '../../src/core/errors.js?copy';
    const copy = (await import(copyPath)) as ErrorsModule;
    expect(copy.BackupError).not.toBe(BackupError);
    const foreign = new copy.BackupError({ kind: 'auth-failed', message: 'x' });
    expect(foreign instanceof BackupError).toBe(false);
    expect(isBackupError(foreign, 'auth-failed')).toBe(true);
    expect(copy.isBackupError(new BackupError({ kind: 'auth-failed', message: 'x' }))).toBe(true);
  });

  it.skipIf(!existsSync(distCjs))(
    'recognises errors from the built CommonJS and ES module copies',
    async () => {
      const cjs = createRequire(import.meta.url)(distCjs) as ErrorsModule;
      const esm = (await import(pathToFileURL(distEsm).href)) as ErrorsModule;
      const fromCjs = new cjs.BackupError({ kind: 'publish-failed', message: 'x' });
      const fromEsm = new esm.BackupError({ kind: 'publish-failed', message: 'x' });
      expect(fromCjs instanceof esm.BackupError).toBe(false);
      expect(fromEsm instanceof BackupError).toBe(false);
      expect(isBackupError(fromCjs, 'publish-failed')).toBe(true);
      expect(esm.isBackupError(fromCjs)).toBe(true);
      expect(cjs.isBackupError(fromEsm)).toBe(true);
    },
  );
});
