/**
 * Simulated network devices: real SSH servers on loopback ports that behave like RouterOS, IOS,
 * NX-OS, IOS XR, ASA, Junos, EOS, VRP, FortiOS, VyOS and Linux hosts — and misbehave on request.
 *
 * @packageDocumentation
 */
export { startSimulatedDevice } from './device.js';
export { startSimulatedFleet, type SimulatedFleet } from './fleet.js';
export { generateHostKey, type SimulatedHostKey } from './host-key.js';
export {
  simulatedPersonality,
  SIMULATED_VENDOR_IDS,
  SIMULATED_LINUX_CONFIG_PATH,
  type PersonalitySettings,
} from './vendors/index.js';
export type {
  PacketizeSettings,
  SimulatedCredentials,
  SimulatedDevice,
  SimulatedDeviceOptions,
  SimulatedFaults,
  SimulatedKeyboardPrompt,
  SimulatedPager,
  SimulatedPersonality,
  SimulatedPrivilegeMode,
  SimulatedPrivilegeSettings,
  SimulatedAlgorithms,
  SimulatedReply,
  SimulatedSession,
  SimulatedTelnetLogin,
  SimulatedVendorId,
  SlowDripSettings,
} from './types.js';
export {
  startRecordedDevice,
  parseOxidizedSimulation,
  unescapeRubyString,
  type RecordedDevice,
  type RecordedDeviceOptions,
  type RecordedSession,
} from './recorded.js';
