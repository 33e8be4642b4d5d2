import { beforeEach, describe, expect, it } from 'vitest';
import { RedisLocker } from '../../src/redis/locker.js';
import { extendLockScript } from '../../src/redis/scripts/extend-lock.js';
import { releaseLockScript } from '../../src/redis/scripts/release-lock.js';
import { isLockUnavailableError, type Lock } from '../../src/core/ports.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeRedis, RecordingLogger } from './fakes.js';

const key = 'backup:device:r1';

/** Lets queued promise callbacks run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('RedisLocker', () => {
  let clock: FakeClock;
  let redis: FakeRedis;
  let logger: RecordingLogger;
  let locker: RedisLocker;

  beforeEach(() => {
    clock = new FakeClock();
    redis = new FakeRedis(clock);
    logger = new RecordingLogger();
    locker = new RedisLocker({ redis, clock, logger, commandTimeoutMs: 1_000 });
  });

  async function take(ttlMs = 30_000): Promise<Lock> {
    const lock = await locker.acquire(key, ttlMs);
    if (!lock) throw new Error('expected the lock to be free');
    return lock;
  }

  describe('acquire', () => {
    it('takes a free key with SET NX PX, storing the lock token under the full key', async () => {
      const lock = await take(30_000);
      expect(lock.key).toBe(key);
      expect(redis.sent).toEqual([['SET', key, lock.token, 'PX', 30_000, 'NX']]);
      expect(redis.peek(key)).toBe(lock.token);
    });

    it('resolves undefined while another holder has the key', async () => {
      redis.put(key, 'someone-else', 30_000);
      await expect(locker.acquire(key, 30_000)).resolves.toBeUndefined();
    });

    it('gives every acquisition a different random token', async () => {
      const first = await take();
      await first.release();
      const second = await take();
      expect(second.token).not.toBe(first.token);
      expect(second.token).toMatch(/^[0-9a-f]{32}$/);
    });

    it('rounds a fractional TTL up to whole milliseconds', async () => {
      await locker.acquire(key, 1.2);
      expect(redis.sent[0]).toEqual(['SET', key, expect.any(String), 'PX', 2, 'NX']);
    });

    it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])(
      'rejects a TTL of %s with a RangeError, sending nothing',
      async (ttlMs) => {
        await expect(locker.acquire(key, ttlMs)).rejects.toThrow(RangeError);
        expect(redis.sent).toEqual([]);
      },
    );

    it('rejects with a LockUnavailableError at once, sending nothing, while the client is not ready', async () => {
      redis.status = 'reconnecting';
      const error: unknown = await locker.acquire(key, 30_000).catch((e: unknown) => e);
      expect(isLockUnavailableError(error)).toBe(true);
      expect(error).toMatchObject({ key });
      expect((error as Error).message).toContain('not ready');
      expect(redis.sent).toEqual([]);
    });

    it('rejects with a LockUnavailableError when Redis does not reply within commandTimeoutMs', async () => {
      redis.stalled = true;
      let outcome: unknown;
      locker.acquire(key, 30_000).catch((error: unknown) => (outcome = error));
      await clock.advance(999);
      expect(outcome).toBeUndefined();
      await clock.advance(1);
      expect(isLockUnavailableError(outcome)).toBe(true);
    });

    it('rejects with a LockUnavailableError when the connection drops', async () => {
      const dropped = new Error('Connection is closed.');
      redis.failWith = dropped;
      await expect(locker.acquire(key, 30_000)).rejects.toMatchObject({
        name: 'LockUnavailableError',
        cause: dropped,
      });
    });

    it('releases a lock that Redis granted after acquire had timed out', async () => {
      redis.stalled = true;
      const acquiring = locker.acquire(key, 30_000).catch(() => undefined);
      await clock.advance(1_000);
      await acquiring;
      redis.stalled = false;
      redis.answerStalled();
      await flush();
      await flush();
      expect(redis.peek(key)).toBeUndefined();
    });

    it('releases a lock that Redis granted after acquire was aborted', async () => {
      redis.stalled = true;
      const controller = new AbortController();
      const acquiring = locker.acquire(key, 30_000, controller.signal).catch(() => undefined);
      controller.abort(new Error('stopping'));
      await acquiring;
      redis.stalled = false;
      redis.answerStalled();
      await flush();
      await flush();
      expect(redis.peek(key)).toBeUndefined();
    });

    it('rejects with signal.reason when the signal aborts while waiting for Redis', async () => {
      redis.stalled = true;
      const controller = new AbortController();
      const acquiring = locker.acquire(key, 30_000, controller.signal);
      const reason = new Error('stopping');
      controller.abort(reason);
      await expect(acquiring).rejects.toBe(reason);
    });

    it('rejects with signal.reason at once when the signal is already aborted', async () => {
      const reason = new Error('stopping');
      await expect(locker.acquire(key, 30_000, AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(redis.sent).toEqual([]);
    });
  });

  describe('extend', () => {
    it('sets the lock to expire ttlMs from now while this holder owns it', async () => {
      const lock = await take(1_000);
      await clock.advance(900);
      await expect(lock.extend(5_000)).resolves.toBe(true);
      expect(redis.ttlMs(key)).toBe(5_000);
    });

    it('returns false once the lock expired', async () => {
      const lock = await take(1_000);
      await clock.advance(1_000);
      await expect(lock.extend(5_000)).resolves.toBe(false);
    });

    it('returns false and leaves the new holder alone when someone else took the lock', async () => {
      const lock = await take(1_000);
      await clock.advance(1_000);
      redis.put(key, 'next-holder', 2_000);
      await expect(lock.extend(60_000)).resolves.toBe(false);
      expect(redis.ttlMs(key)).toBe(2_000);
    });

    it('rejects with a LockUnavailableError while the client is not ready', async () => {
      const lock = await take();
      redis.status = 'reconnecting';
      const error: unknown = await lock.extend(30_000).catch((e: unknown) => e);
      expect(isLockUnavailableError(error)).toBe(true);
    });

    it('rejects a TTL that is not a positive number with a RangeError', async () => {
      const lock = await take();
      await expect(lock.extend(0)).rejects.toThrow(RangeError);
    });
  });

  describe('release', () => {
    it('deletes the lock while this holder owns it', async () => {
      const lock = await take();
      await expect(lock.release()).resolves.toBe(true);
      expect(redis.peek(key)).toBeUndefined();
    });

    it('returns false the second time', async () => {
      const lock = await take();
      await lock.release();
      await expect(lock.release()).resolves.toBe(false);
    });

    it('does not delete the lock of a holder who took it after this one expired', async () => {
      const lock = await take(1_000);
      await clock.advance(1_000);
      redis.put(key, 'next-holder', 30_000);
      await expect(lock.release()).resolves.toBe(false);
      expect(redis.peek(key)).toBe('next-holder');
    });

    it('rejects with a LockUnavailableError while the client is not ready', async () => {
      const lock = await take();
      redis.status = 'end';
      const error: unknown = await lock.release().catch((e: unknown) => e);
      expect(isLockUnavailableError(error)).toBe(true);
    });
  });

  describe('scripts', () => {
    it('loads a script with EVAL when the server does not know it, then uses EVALSHA', async () => {
      const lock = await take();
      await lock.extend(30_000);
      await lock.extend(30_000);
      const scriptCommands = redis.sent.slice(1).map((args) => args.slice(0, 2));
      expect(scriptCommands).toEqual([
        ['EVALSHA', extendLockScript.sha1],
        ['EVAL', extendLockScript.source],
        ['EVALSHA', extendLockScript.sha1],
      ]);
    });

    it('names each script by its own SHA-1', () => {
      expect(releaseLockScript.sha1).toMatch(/^[0-9a-f]{40}$/);
      expect(releaseLockScript.sha1).not.toBe(extendLockScript.sha1);
    });
  });

  describe('logging', () => {
    it('logs one warning for many failed lock commands during one outage', async () => {
      redis.status = 'reconnecting';
      for (let i = 0; i < 10; i++) await locker.acquire(key, 30_000).catch(() => undefined);
      expect(logger.at('warn')).toHaveLength(1);
    });

    it('logs once at info when Redis answers again', async () => {
      redis.status = 'reconnecting';
      await locker.acquire(key, 30_000).catch(() => undefined);
      redis.status = 'ready';
      await take();
      await locker.acquire(key, 30_000);
      expect(logger.at('info')).toHaveLength(1);
    });
  });

  it.each([0, Number.NaN])(
    'rejects a commandTimeoutMs of %s at construction',
    (commandTimeoutMs) => {
      expect(() => new RedisLocker({ redis, commandTimeoutMs })).toThrow(RangeError);
    },
  );
});
