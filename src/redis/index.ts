/**
 * Redis adapters of confsnap. They take the service's existing ioredis client.
 *
 * @packageDocumentation
 */
export {};
