/**
 * NATS adapters of confsnap. They take the service's existing `NatsConnection`.
 *
 * @packageDocumentation
 */
export {};
