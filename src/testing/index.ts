/**
 * Fakes and simulated devices for testing code built on confsnap — the same ones confsnap's own
 * tests use.
 *
 * @packageDocumentation
 */
export { FakeClock } from './fake-clock.js';
export { FakeCollector, type FakeCollectCall } from './fake-collector.js';
export { MemorySnapshotPublisher, type MemoryPublisherFailOptions } from './memory-publisher.js';
export * from './simulated/index.js';
