import { luaScript } from '../lua-script.js';

/**
 * Compare-and-extend: sets the lock `KEYS[1]` to expire `ARGV[2]` ms from now only if it still holds
 * this holder's token `ARGV[1]`. Returns 1 when extended, 0 when the lock expired or belongs to
 * someone else.
 * @internal
 */
export const EXTEND_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** {@link EXTEND_LOCK_LUA} with its SHA-1. @internal */
export const extendLockScript = luaScript('extend-lock', EXTEND_LOCK_LUA);
