/**
 * Fakes and simulated devices for testing code built on confsnap — the same ones confsnap's own
 * tests use.
 *
 * Every export is named here: what is not listed is internal. `api/exports.txt` records the list,
 * and `npm run check:package` fails when the built package differs from it.
 *
 * @packageDocumentation
 */
export { FakeClock } from './fake-clock.js';
export { FakeCollector, type FakeCollectCall } from './fake-collector.js';
export { MemorySnapshotPublisher, type MemoryPublisherFailOptions } from './memory-publisher.js';
export {
  startSimulatedDevice,
  startSimulatedFleet,
  type SimulatedFleet,
  generateHostKey,
  type SimulatedHostKey,
  simulatedPersonality,
  SIMULATED_VENDOR_IDS,
  SIMULATED_LINUX_CONFIG_PATH,
  type PersonalitySettings,
  type PacketizeSettings,
  type SimulatedCredentials,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
  type SimulatedFaults,
  type SimulatedKeyboardPrompt,
  type SimulatedPager,
  type SimulatedPersonality,
  type SimulatedPrivilegeMode,
  type SimulatedPrivilegeSettings,
  type SimulatedAlgorithms,
  type SimulatedReply,
  type SimulatedSession,
  type SimulatedTelnetLogin,
  type SimulatedVendorId,
  type SlowDripSettings,
  startRecordedDevice,
  parseOxidizedSimulation,
  unescapeRubyString,
  type RecordedDevice,
  type RecordedDeviceOptions,
  type RecordedSession,
} from './simulated/index.js';
export {
  recordSession,
  toOxidizedSimulation,
  escapeRubyString,
  hostnameOfPrompt,
  type AnonymizeOptions,
  type RecordSessionOptions,
  type SessionRecording,
} from './record.js';
