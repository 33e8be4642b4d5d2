import { describe, expect, it, vi } from 'vitest';
import { isLockUnavailableError, LockUnavailableError } from '../../src/core/ports.js';

describe('LockUnavailableError', () => {
  it('names the key in its default message', () => {
    const error = new LockUnavailableError({ key: 'backup:device:r1' });
    expect(error.message).toContain('backup:device:r1');
  });

  it('carries its name, key and cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    const error = new LockUnavailableError({ key: 'backup:device:r1', message: 'down', cause });
    expect(error).toMatchObject({ name: 'LockUnavailableError', key: 'backup:device:r1', cause });
    expect(error).toBeInstanceOf(Error);
  });

  it('is recognised by isLockUnavailableError', () => {
    expect(isLockUnavailableError(new LockUnavailableError({ key: 'k' }))).toBe(true);
  });

  it.each([new Error('LockUnavailableError'), { name: 'LockUnavailableError' }, null, 'k'])(
    'is not confused with %j',
    (value) => {
      expect(isLockUnavailableError(value)).toBe(false);
    },
  );

  it('is recognised when it comes from a second loaded copy of the package', async () => {
    vi.resetModules();
    const copy = await import('../../src/core/ports.js');
    const error = new copy.LockUnavailableError({ key: 'k' });
    expect(copy.LockUnavailableError).not.toBe(LockUnavailableError);
    expect(error).not.toBeInstanceOf(LockUnavailableError);
    expect(isLockUnavailableError(error)).toBe(true);
  });
});
