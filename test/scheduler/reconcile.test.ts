/** reconcile(): the pure diff of the known devices and a new device list (SPEC §2). */
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src/core/device.js';
import type { BlockCause } from '../../src/scheduler/device-record.js';
import {
  reconcile,
  type KnownDevice,
  type ReconcileChange,
  type ReconcileOptions,
} from '../../src/scheduler/reconcile.js';

const PIN_A = `SHA256:${'A'.repeat(43)}`;
const PIN_B = `SHA256:${'B'.repeat(43)}`;
const mismatch: BlockCause = {
  kind: 'host-key-mismatch',
  at: 0,
  credentialVersion: undefined,
  pin: PIN_A,
};

const dev = (id: string, extra: Partial<Device> = {}): Device => ({
  id,
  host: `${id}.example.test`,
  vendor: 'routeros',
  ...extra,
});
const known = (extra: Partial<KnownDevice> = {}): KnownDevice => ({
  pin: undefined,
  pinReadSeq: 0,
  block: undefined,
  ...extra,
});
const options: ReconcileOptions = {
  hasCollector: (vendor) => vendor === 'routeros',
  readSeq: 5,
  storePinning: false,
};

const rows: {
  name: string;
  known: [string, KnownDevice][];
  list: unknown[];
  options?: Partial<ReconcileOptions>;
  changes: ReconcileChange[];
}[] = [
  {
    name: 'adds a new device',
    known: [],
    list: [dev('r1')],
    changes: [{ type: 'add', device: dev('r1') }],
  },
  {
    name: 'updates a known device with its new record',
    known: [['r1', known()]],
    list: [dev('r1', { host: '192.0.2.9' })],
    changes: [{ type: 'update', device: dev('r1', { host: '192.0.2.9' }), repinned: false }],
  },
  {
    name: 'removes a device missing from the list, after the list’s own changes',
    known: [
      ['r1', known()],
      ['r2', known()],
    ],
    list: [dev('r2'), dev('r3')],
    changes: [
      { type: 'update', device: dev('r2'), repinned: false },
      { type: 'add', device: dev('r3') },
      { type: 'remove', deviceId: 'r1' },
    ],
  },
  {
    name: 'reports an invalid record by its position and field',
    known: [],
    list: [{ id: 'r1', host: '', vendor: 'routeros' }],
    changes: [{ type: 'invalid', deviceId: 'r1', index: 0, field: 'host', message: 'is missing' }],
  },
  {
    name: 'keeps a known device whose record broke (no removal)',
    known: [['r1', known()]],
    list: [{ id: 'r1', host: 'h', vendor: 'routeros', port: 0 }],
    changes: [
      {
        type: 'invalid',
        deviceId: 'r1',
        index: 0,
        field: 'port',
        message: 'must be an integer from 1 to 65535, got 0',
      },
    ],
  },
  {
    name: 'reports a second record with the same id as invalid',
    known: [],
    list: [dev('r1'), dev('r1', { host: 'other' })],
    changes: [
      { type: 'add', device: dev('r1') },
      {
        type: 'invalid',
        deviceId: 'r1',
        index: 1,
        field: 'id',
        message: 'duplicates an earlier device\'s id "r1"',
      },
    ],
  },
  {
    name: 'reports a device whose vendor has no collector as unsupported',
    known: [['r1', known()]],
    list: [dev('r1', { vendor: 'fortios' })],
    changes: [
      { type: 'unsupported', deviceId: 'r1', vendor: 'fortios' },
      { type: 'remove', deviceId: 'r1' },
    ],
  },
  {
    name: 'marks a host-key-blocked device re-pinned beside its row',
    known: [['r1', known({ pin: PIN_A, block: mismatch })]],
    list: [dev('r1', { hostKeyFingerprint: PIN_B })],
    changes: [{ type: 'update', device: dev('r1', { hostKeyFingerprint: PIN_B }), repinned: true }],
  },
  {
    name: 'marks a host-key-blocked device whose pin was reset as re-pinned',
    known: [['r1', known({ pin: PIN_A, block: mismatch })]],
    list: [dev('r1', { hostKeyFingerprint: '' })],
    changes: [{ type: 'update', device: dev('r1', { hostKeyFingerprint: '' }), repinned: true }],
  },
  {
    name: 'does not take a pin from a read older than the pin this process stored',
    known: [['r1', known({ pin: PIN_A, pinReadSeq: 9, block: mismatch })]],
    list: [dev('r1')],
    changes: [{ type: 'update', device: dev('r1'), repinned: false }],
  },
  {
    name: 'never unblocks from a record’s pin when pins live in a host-key store',
    known: [['r1', known({ pin: PIN_A, block: mismatch })]],
    list: [dev('r1', { hostKeyFingerprint: PIN_B })],
    options: { storePinning: true },
    changes: [
      { type: 'update', device: dev('r1', { hostKeyFingerprint: PIN_B }), repinned: false },
    ],
  },
];

describe('reconcile', () => {
  it.each(rows)('$name', (row) => {
    const knownMap = new Map(row.known);
    const list = structuredClone(row.list);
    expect(reconcile(knownMap, list, { ...options, ...row.options })).toEqual(row.changes);
    expect(list).toEqual(row.list);
  });
});
