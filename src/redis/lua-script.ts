import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';

/** A Lua script with its SHA-1, for `EVALSHA`. @internal */
export interface LuaScript {
  /** What it does, for messages. */
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

/** A {@link LuaScript} from its source. @internal */
export function luaScript(name: string, source: string): LuaScript {
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs `script` with `EVALSHA`, and with `EVAL` (which also caches it on the server) when the server
 * does not know it yet — after a restart or a `SCRIPT FLUSH`. The service's client is not modified
 * (no `defineCommand`).
 * @internal
 */
export async function runLuaScript(
  redis: Pick<RedisClient, 'evalsha' | 'eval'>,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha1, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return await redis.eval(script.source, keys.length, ...keys, ...args);
  }
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
