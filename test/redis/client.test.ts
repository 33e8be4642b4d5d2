/** Type-level tests: `tsc --noEmit` (npm run typecheck) checks them; at run time they pass trivially. */
import type { Cluster, Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClient } from '../../src/redis/client.js';

describe('RedisClient', () => {
  it('is satisfied by an ioredis Redis client as it is', () => {
    expectTypeOf<Redis>().toExtend<RedisClient>();
  });

  it('is satisfied by an ioredis Cluster client as it is', () => {
    expectTypeOf<Cluster>().toExtend<RedisClient>();
  });
});
