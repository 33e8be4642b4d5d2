/**
 * The few ioredis methods the adapters of `confsnap/redis` call, typed structurally, so the service's
 * own client fits as it is — an ioredis 5 `Redis` or `Cluster`, or a later major with the same
 * methods — without confsnap pinning the service's ioredis version.
 *
 * Each adapter asks only for the methods it uses (see its options), so a test may pass a small fake.
 * The adapters never connect, configure or close the client: its owner does.
 */
export interface RedisClient {
  /**
   * The connection state as ioredis reports it. The adapters send a command only when it is
   * `"ready"`; in any other state they fail fast instead of waiting in the client's offline queue.
   * They never call `connect()`: a `lazyConnect` client must be connected by its owner.
   */
  readonly status: string;
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `SET key value`. */
  set(key: string, value: string): Promise<unknown>;
  /** `SET key value PX ttlMs`. */
  set(key: string, value: string, millisecondsToken: 'PX', ttlMs: number): Promise<unknown>;
  /** `SET key value PX ttlMs NX`: `"OK"` when set, `null` when the key existed. */
  set(
    key: string,
    value: string,
    millisecondsToken: 'PX',
    ttlMs: number,
    nx: 'NX',
  ): Promise<'OK' | null>;
  /** `EVALSHA sha1 numKeys ...keys ...args`. */
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  /** `EVAL script numKeys ...keys ...args`. */
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}
