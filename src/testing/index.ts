/**
 * Fakes and simulated devices for testing code built on confsnap — the same ones confsnap's own
 * tests use.
 *
 * @packageDocumentation
 */
export { FakeClock } from './fake-clock.js';
