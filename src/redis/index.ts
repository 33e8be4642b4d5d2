/**
 * Redis adapters of confsnap. They take the service's existing ioredis client, never open or close
 * a connection, and fail fast when Redis is unreachable instead of waiting in the client's offline
 * queue.
 *
 * @packageDocumentation
 */
export type { RedisClient } from './client.js';
export { RedisOnlineGate, type RedisOnlineGateOptions } from './online-gate.js';
export { RedisLocker, type RedisLockerOptions, type RedisLockerClient } from './locker.js';
export {
  RedisLastSuccessStore,
  type RedisLastSuccessStoreOptions,
  type RedisLastSuccessStoreClient,
} from './last-success-store.js';
