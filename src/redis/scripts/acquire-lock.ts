import { luaScript } from '../lua-script.js';

/**
 * Takes the lock `KEYS[1]` for token `ARGV[1]` and `ARGV[2]` ms (`SET NX PX`) and, when taken,
 * reads the device's last success `KEYS[2]` in the same round trip. Returns `{1, value-or-nil}`
 * when taken, `{0}` when someone else holds the lock.
 * @internal
 */
export const ACQUIRE_LOCK_READING_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {1, redis.call('GET', KEYS[2])}
end
return {0}
`;

/** {@link ACQUIRE_LOCK_READING_LUA} with its SHA-1. @internal */
export const acquireLockReadingScript = luaScript('acquire-lock', ACQUIRE_LOCK_READING_LUA);
