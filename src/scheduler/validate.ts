/**
 * The checks of a device record (SPEC §7). One implementation, in `src/ssh/device-record.ts`, serves
 * the scheduler, `collectConfig` and the CLI; it is re-exported here, where it was always imported.
 */
export {
  checkDeviceRecord,
  isValidDeviceId,
  type DeviceRecordProblem,
} from '../ssh/device-record.js';
