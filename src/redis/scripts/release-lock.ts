import { luaScript } from '../lua-script.js';

/**
 * Compare-and-delete: deletes the lock `KEYS[1]` only if it still holds this holder's token
 * `ARGV[1]`. Returns 1 when deleted, 0 when the lock expired or belongs to someone else.
 * @internal
 */
export const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** {@link RELEASE_LOCK_LUA} with its SHA-1. @internal */
export const releaseLockScript = luaScript('release-lock', RELEASE_LOCK_LUA);
