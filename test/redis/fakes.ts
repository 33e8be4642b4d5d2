/**
 * In-process stand-ins for the unit tests of `confsnap/redis`: a Redis client whose connection state,
 * stalls and failures the test controls, and a logger that records what it was told.
 */
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { RedisClient } from '../../src/redis/client.js';
import { releaseLockScript } from '../../src/redis/scripts/release-lock.js';
import { extendLockScript } from '../../src/redis/scripts/extend-lock.js';

interface Entry {
  value: string;
  expiresAtMs: number | undefined;
}

/** An error reply from the server, named as ioredis names it. */
export class FakeReplyError extends Error {
  override readonly name = 'ReplyError';
}

/**
 * A Redis client over a `Map`, with expiry on the given clock. It knows the two lock scripts by
 * their SHA-1 and source (their Lua is exercised against a real server in the integration tests).
 *
 * `status` is what the adapters see. While `stalled`, commands wait; `answerStalled()` lets them run
 * (a late reply), `failStalled(error)` fails them (a late failure).
 */
export class FakeRedis implements RedisClient {
  status = 'ready';
  /** Every command sent, as `[name, ...args]`. */
  readonly sent: (string | number)[][] = [];
  /** SHA-1s the server has cached (EVAL caches; a restart or SCRIPT FLUSH forgets). */
  readonly cachedScripts = new Set<string>();
  stalled = false;
  /** When set, every command fails with it (an error reply or a dropped connection). */
  failWith: Error | undefined;
  readonly #entries = new Map<string, Entry>();
  #waiting: { run: () => void; fail: (error: Error) => void }[] = [];

  constructor(private readonly clock: Clock) {}

  /** Reads a key directly, bypassing stalls and failures. */
  peek(key: string): string | undefined {
    return this.#live(key)?.value;
  }

  /** Writes a key directly. */
  put(key: string, value: string, ttlMs?: number): void {
    this.#entries.set(key, {
      value,
      expiresAtMs: ttlMs === undefined ? undefined : this.clock.now() + ttlMs,
    });
  }

  /** The remaining TTL of a key in ms, or undefined when it has none or does not exist. */
  ttlMs(key: string): number | undefined {
    const expiresAtMs = this.#live(key)?.expiresAtMs;
    return expiresAtMs === undefined ? undefined : expiresAtMs - this.clock.now();
  }

  answerStalled(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const command of waiting) command.run();
  }

  failStalled(error: Error): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const command of waiting) command.fail(error);
  }

  get(key: string): Promise<string | null> {
    return this.#command(['GET', key], () => this.#live(key)?.value ?? null);
  }

  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, millisecondsToken: 'PX', ttlMs: number): Promise<unknown>;
  set(
    key: string,
    value: string,
    millisecondsToken: 'PX',
    ttlMs: number,
    nx: 'NX',
  ): Promise<'OK' | null>;
  set(
    key: string,
    value: string,
    millisecondsToken?: 'PX',
    ttlMs?: number,
    nx?: 'NX',
  ): Promise<'OK' | null> {
    const args: (string | number)[] = ['SET', key, value];
    if (millisecondsToken) args.push(millisecondsToken, ttlMs!);
    if (nx) args.push(nx);
    return this.#command(args, () => {
      if (nx && this.#live(key)) return null;
      this.put(key, value, ttlMs);
      return 'OK';
    });
  }

  evalsha(sha1: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
    return this.#command(['EVALSHA', sha1, numKeys, ...keysAndArgs], () => {
      if (!this.cachedScripts.has(sha1)) {
        throw new FakeReplyError('NOSCRIPT No matching script. Please use EVAL.');
      }
      return this.#runScript(sha1, keysAndArgs);
    });
  }

  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
    return this.#command(['EVAL', script, numKeys, ...keysAndArgs], () => {
      const sha1 = [releaseLockScript, extendLockScript].find((s) => s.source === script)?.sha1;
      if (!sha1) throw new FakeReplyError('ERR unknown script in FakeRedis');
      this.cachedScripts.add(sha1);
      return this.#runScript(sha1, keysAndArgs);
    });
  }

  #runScript(sha1: string, [key, token, ttlMs]: (string | number)[]): number {
    const entry = this.#live(String(key));
    if (!entry || entry.value !== token) return 0;
    if (sha1 === releaseLockScript.sha1) {
      this.#entries.delete(String(key));
      return 1;
    }
    entry.expiresAtMs = this.clock.now() + Number(ttlMs);
    return 1;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAtMs !== undefined && entry.expiresAtMs <= this.clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #command<T>(args: (string | number)[], run: () => T): Promise<T> {
    this.sent.push(args);
    return new Promise<T>((resolve, reject) => {
      const execute = (): void => {
        if (this.failWith) reject(this.failWith);
        else {
          try {
            resolve(run());
          } catch (error) {
            reject(error);
          }
        }
      };
      if (this.stalled) this.#waiting.push({ run: execute, fail: reject });
      else queueMicrotask(execute);
    });
  }
}

/** One line a {@link RecordingLogger} was given. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

/** A logger that keeps every line. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug(obj: object, msg?: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  at(level: LogLine['level']): LogLine[] {
    return this.lines.filter((line) => line.level === level);
  }
}
