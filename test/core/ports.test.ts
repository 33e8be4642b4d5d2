import { describe, expect, expectTypeOf, it } from 'vitest';
import * as ports from '../../src/core/ports.js';
import type {
  CredentialProvider,
  DeviceSource,
  HostKeyPinning,
  HostKeyStore,
  LastSuccessStore,
  Locker,
  OnlineGate,
  PublishReceipt,
  Snapshot,
  SnapshotPublisher,
  SSHHostKeyUpdater,
  VersionedCredentials,
} from '../../src/core/ports.js';
import type * as root from '../../src/index.js';
import type * as hostKeys from '../../src/ssh/host-keys.js';
import type * as snapshot from '../../src/publish/snapshot.js';
import type * as sources from '../../src/scheduler/sources.js';

describe('ports', () => {
  it('declares every port the scheduler calls in core/ports.ts, under the names users import', () => {
    expectTypeOf<sources.DeviceSource>().toEqualTypeOf<DeviceSource>();
    expectTypeOf<sources.CredentialProvider>().toEqualTypeOf<CredentialProvider>();
    expectTypeOf<sources.VersionedCredentials>().toEqualTypeOf<VersionedCredentials>();
    expectTypeOf<hostKeys.HostKeyStore>().toEqualTypeOf<HostKeyStore>();
    expectTypeOf<hostKeys.SSHHostKeyUpdater>().toEqualTypeOf<SSHHostKeyUpdater>();
    expectTypeOf<hostKeys.HostKeyPinning>().toEqualTypeOf<HostKeyPinning>();
    expectTypeOf<snapshot.SnapshotPublisher>().toEqualTypeOf<SnapshotPublisher>();
    expectTypeOf<snapshot.Snapshot>().toEqualTypeOf<Snapshot>();
    expectTypeOf<snapshot.PublishReceipt>().toEqualTypeOf<PublishReceipt>();
    expectTypeOf<root.OnlineGate>().toEqualTypeOf<OnlineGate>();
    expectTypeOf<root.Locker>().toEqualTypeOf<Locker>();
    expectTypeOf<root.LastSuccessStore>().toEqualTypeOf<LastSuccessStore>();
    expectTypeOf<root.DeviceSource>().toEqualTypeOf<DeviceSource>();
    expectTypeOf<root.SnapshotPublisher>().toEqualTypeOf<SnapshotPublisher>();
    expectTypeOf<root.HostKeyStore>().toEqualTypeOf<HostKeyStore>();
  });

  it('holds no I/O: its only runtime exports are the lock-unavailable error and its guard', () => {
    expect(Object.keys(ports).sort()).toEqual(['LockUnavailableError', 'isLockUnavailableError']);
  });
});
