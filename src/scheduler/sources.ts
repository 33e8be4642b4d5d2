/**
 * Where the scheduler reads devices and credentials. The interfaces live with every other port in
 * `src/core/ports.ts`; they are re-exported here, where they were always imported from.
 */
export type { DeviceSource, CredentialProvider, VersionedCredentials } from '../core/ports.js';
