/** The device record's lifecycle: a block only where a state can carry one. */
import { describe, expect, it } from 'vitest';
import {
  DeviceRecord,
  enter,
  statusOf,
  withoutBlock,
  type BlockCause,
  type Lifecycle,
} from '../../src/scheduler/device-record.js';

const block: BlockCause = { kind: 'auth-failed', at: 0, credentialVersion: 'v1', pin: undefined };

describe('device record lifecycle', () => {
  it.each<[string, Lifecycle, Parameters<typeof enter>[1], Lifecycle]>([
    [
      'a blocked device that starts working keeps its block',
      { state: 'blocked', block },
      'running',
      { state: 'running', block },
    ],
    [
      'a blocked device cannot become idle: it stays blocked',
      { state: 'blocked', block },
      'idle',
      { state: 'blocked', block },
    ],
    [
      'a working blocked device that stops is blocked again',
      { state: 'running', block },
      'idle',
      { state: 'blocked', block },
    ],
    [
      'an unblocked device cannot be blocked without a cause',
      { state: 'idle' },
      'blocked',
      { state: 'idle' },
    ],
    ['an idle device goes offline', { state: 'idle' }, 'offline', { state: 'offline' }],
  ])('%s', (_name, from, state, to) => {
    expect(enter(from, state)).toEqual(to);
  });

  it('lifts a block: blocked becomes idle, running stays running', () => {
    expect(withoutBlock({ state: 'blocked', block })).toEqual({ state: 'idle' });
    expect(withoutBlock({ state: 'running', block })).toEqual({
      state: 'running',
      block: undefined,
    });
  });

  it('unblocks once, resetting the failures, and reports a blocked device with no next attempt', () => {
    const record = new DeviceRecord('r1', { id: 'r1', host: 'h', vendor: 'routeros' });
    record.lifecycle = { state: 'blocked', block };
    record.consecutiveFailures = 2;
    record.due = { at: 5, cause: 'schedule' };
    expect(statusOf(record)).toMatchObject({ state: 'blocked', nextAttemptAt: undefined });
    expect(record.unblock('manual')).toEqual({ deviceId: 'r1', reason: 'manual' });
    expect(record.unblock('manual')).toBeUndefined();
    expect(statusOf(record)).toMatchObject({
      state: 'idle',
      consecutiveFailures: 0,
      nextAttemptAt: new Date(5),
    });
  });
});
