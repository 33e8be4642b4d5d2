/** decide(): the outcome rules of SPEC §1.13 and §1.3, one row per rule. */
import { describe, expect, it } from 'vitest';
import { BackupError } from '../../src/core/errors.js';
import type { PublishReceipt } from '../../src/core/ports.js';
import type { BlockCause, Lifecycle } from '../../src/scheduler/device-record.js';
import {
  decide,
  type AttemptResult,
  type Decision,
  type OutcomePolicy,
  type OutcomeRecord,
} from '../../src/scheduler/outcome.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const INTERVAL = 6 * HOUR;
const REFRESH = MINUTE;
const NOW = 1_000 * HOUR;
const STARTED = NOW - 10_000;

const policy: OutcomePolicy = {
  intervalMs: INTERVAL,
  refreshIntervalMs: REFRESH,
  retryDelayMs: (failures) => [5 * MINUTE, 15 * MINUTE, HOUR][Math.min(failures, 3) - 1]!,
};

const authBlock: BlockCause = {
  kind: 'auth-failed',
  at: NOW - HOUR,
  credentialVersion: 'v1',
  pin: undefined,
};

function record(overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    id: 'r1',
    lifecycle: { state: 'running', block: undefined },
    regularAt: STARTED,
    lastAttemptAt: STARTED,
    lastSuccessAt: undefined,
    lastErrorKind: undefined,
    lastErrorMessage: undefined,
    consecutiveFailures: 0,
    lastSha256: undefined,
    due: undefined,
    ...overrides,
  };
}

const receipt: PublishReceipt = { stream: 'memory', seq: 1, duplicate: false };
const success = (manual = false): AttemptResult => ({
  type: 'success',
  sha256: 'a'.repeat(64),
  receipt,
  startedAt: STARTED,
  manual,
});
const failure = (
  kind: BackupError['kind'],
  extra: Partial<Extract<AttemptResult, { type: 'failure' }>> = {},
): AttemptResult => ({
  type: 'failure',
  error: new BackupError({ kind, deviceId: 'r1', message: `r1: ${kind}` }),
  cause: 'schedule',
  startedAt: STARTED,
  priorState: 'idle',
  credentialVersion: 'v2',
  pinAtFailure: undefined,
  ...extra,
});

interface Row {
  rule: string;
  record: OutcomeRecord;
  result: AttemptResult;
  expect: {
    lifecycle: Lifecycle;
    next: Decision['next'];
    failures: number;
    events: string[];
    counters: Decision['counters'];
    status: string;
    regularAt?: number;
  };
}

const rows: Row[] = [
  {
    rule: '§1.13 a success resets the failures and schedules the next attempt interval after its start',
    record: record({ consecutiveFailures: 2, lastErrorKind: 'unreachable' }),
    result: success(),
    expect: {
      lifecycle: { state: 'idle' },
      next: { at: STARTED + INTERVAL, cause: 'schedule' },
      failures: 0,
      events: ['backup:success'],
      counters: { outcome: 'success' },
      status: 'success',
      regularAt: STARTED + INTERVAL,
    },
  },
  {
    rule: '§1.3 a successful manual trigger unblocks a blocked device',
    record: record({ lifecycle: { state: 'running', block: authBlock }, consecutiveFailures: 1 }),
    result: success(true),
    expect: {
      lifecycle: { state: 'idle' },
      next: { at: STARTED + INTERVAL, cause: 'schedule' },
      failures: 0,
      events: ['device:unblocked', 'backup:success'],
      counters: { outcome: 'success' },
      status: 'success',
    },
  },
  {
    rule: '§1.13 a failure counts and retries after the backoff delay when it comes before the regular attempt',
    record: record(),
    result: failure('unreachable'),
    expect: {
      lifecycle: { state: 'backoff' },
      next: { at: NOW + 5 * MINUTE, cause: 'retry' },
      failures: 1,
      events: ['backup:failure'],
      counters: { outcome: 'failed', failure: 'unreachable' },
      status: 'failed',
      regularAt: STARTED + INTERVAL,
    },
  },
  {
    rule: '§1.13 a retry that fails keeps the regular attempt interval after the last regular one',
    record: record({ consecutiveFailures: 3, regularAt: NOW + 30 * MINUTE }),
    result: failure('connect-timeout', { cause: 'retry' }),
    expect: {
      lifecycle: { state: 'backoff' },
      next: { at: NOW + 30 * MINUTE, cause: 'schedule' },
      failures: 4,
      events: ['backup:failure'],
      counters: { outcome: 'failed', failure: 'connect-timeout' },
      status: 'failed',
      regularAt: NOW + 30 * MINUTE,
    },
  },
  {
    rule: '§1.3 auth-failed blocks the device; its cause is re-checked every refresh interval',
    record: record(),
    result: failure('auth-failed'),
    expect: {
      lifecycle: {
        state: 'blocked',
        block: { kind: 'auth-failed', at: NOW, credentialVersion: 'v2', pin: undefined },
      },
      next: { at: NOW + REFRESH, cause: 'schedule' },
      failures: 1,
      events: ['device:blocked', 'backup:failure'],
      counters: { outcome: 'failed', failure: 'auth-failed' },
      status: 'failed',
      regularAt: STARTED + INTERVAL,
    },
  },
  {
    rule: '§1.3 host-key-mismatch blocks with the pin the operator saw, and reports both keys',
    record: record(),
    result: failure('host-key-mismatch', { pinAtFailure: 'SHA256:pin' }),
    expect: {
      lifecycle: {
        state: 'blocked',
        block: { kind: 'host-key-mismatch', at: NOW, credentialVersion: 'v2', pin: 'SHA256:pin' },
      },
      next: { at: NOW + REFRESH, cause: 'schedule' },
      failures: 1,
      events: ['hostkey:mismatch', 'device:blocked', 'backup:failure'],
      counters: { outcome: 'failed', failure: 'host-key-mismatch' },
      status: 'failed',
    },
  },
  {
    rule: '§1.3 a manual trigger of a blocked device that fails otherwise leaves it blocked',
    record: record({ lifecycle: { state: 'running', block: authBlock }, consecutiveFailures: 1 }),
    result: failure('unreachable', { cause: 'manual', priorState: 'blocked' }),
    expect: {
      lifecycle: { state: 'blocked', block: authBlock },
      next: { at: NOW + REFRESH, cause: 'schedule' },
      failures: 2,
      events: ['backup:failure'],
      counters: { outcome: 'failed', failure: 'unreachable' },
      status: 'failed',
    },
  },
  {
    rule: 'a cancelled attempt counts nothing and keeps a pending attempt as it was',
    record: record({ consecutiveFailures: 1, due: { at: NOW + HOUR, cause: 'retry' } }),
    result: failure('cancelled', { priorState: 'backoff' }),
    expect: {
      lifecycle: { state: 'backoff' },
      next: undefined,
      failures: 1,
      events: [],
      counters: {},
      status: 'failed',
    },
  },
  {
    rule: 'a cancelled manual trigger of a blocked device leaves it blocked, its regular attempt unmoved',
    record: record({ lifecycle: { state: 'running', block: authBlock }, regularAt: NOW + HOUR }),
    result: failure('cancelled', { cause: 'manual', priorState: 'blocked' }),
    expect: {
      lifecycle: { state: 'blocked', block: authBlock },
      next: { at: NOW + HOUR, cause: 'schedule' },
      failures: 0,
      events: [],
      counters: {},
      status: 'failed',
      regularAt: NOW + HOUR,
    },
  },
  {
    rule: '§1.2 an offline device is skipped until its next regular attempt',
    record: record({ lifecycle: { state: 'idle' } }),
    result: { type: 'skip', reason: 'offline', nextAt: STARTED + INTERVAL, cause: 'schedule' },
    expect: {
      lifecycle: { state: 'offline' },
      next: { at: STARTED + INTERVAL, cause: 'schedule' },
      failures: 0,
      events: ['backup:skipped'],
      counters: { outcome: 'skipped', skipped: 'offline' },
      status: 'skipped',
      regularAt: STARTED + INTERVAL,
    },
  },
  {
    rule: '§1.5 a lock held elsewhere is counted as locked, not as a failure',
    record: record(),
    result: { type: 'skip', reason: 'locked', nextAt: STARTED + INTERVAL, cause: 'schedule' },
    expect: {
      lifecycle: { state: 'idle' },
      next: { at: STARTED + INTERVAL, cause: 'schedule' },
      failures: 0,
      events: ['backup:skipped'],
      counters: { outcome: 'locked', skipped: 'locked' },
      status: 'locked',
    },
  },
  {
    rule: '§2 a manual trigger that finds the lock held moves no schedule',
    record: record({ lifecycle: { state: 'backoff' }, due: { at: NOW + HOUR, cause: 'retry' } }),
    result: {
      type: 'skip',
      reason: 'locked',
      nextAt: NOW + 2 * HOUR,
      cause: 'schedule',
      priorState: 'backoff',
    },
    expect: {
      lifecycle: { state: 'backoff' },
      next: undefined,
      failures: 0,
      events: ['backup:skipped'],
      counters: { outcome: 'locked', skipped: 'locked' },
      status: 'locked',
      regularAt: STARTED,
    },
  },
  {
    rule: '§1.6 a device fresh elsewhere is rescheduled relative to that success',
    record: record(),
    result: {
      type: 'skip',
      reason: 'fresh',
      nextAt: NOW - HOUR + INTERVAL,
      cause: 'schedule',
      lastSuccessAt: NOW - HOUR,
    },
    expect: {
      lifecycle: { state: 'idle' },
      next: { at: NOW - HOUR + INTERVAL, cause: 'schedule' },
      failures: 0,
      events: ['backup:skipped'],
      counters: { outcome: 'skipped', skipped: 'fresh' },
      status: 'skipped',
    },
  },
  {
    rule: '§1.3 a blocked device is re-checked every refresh interval and its skip reported once per interval',
    record: record({ lifecycle: { state: 'blocked', block: authBlock }, regularAt: NOW }),
    result: { type: 'blocked', checkedAt: NOW },
    expect: {
      lifecycle: { state: 'blocked', block: authBlock },
      next: { at: NOW + REFRESH, cause: 'schedule' },
      failures: 0,
      events: ['backup:skipped'],
      counters: { outcome: 'skipped', skipped: 'blocked' },
      status: 'skipped',
      regularAt: NOW + INTERVAL,
    },
  },
  {
    rule: '§1.3 a re-check of a blocked device between its regular attempts reports nothing',
    record: record({ lifecycle: { state: 'blocked', block: authBlock }, regularAt: NOW + HOUR }),
    result: { type: 'blocked', checkedAt: NOW },
    expect: {
      lifecycle: { state: 'blocked', block: authBlock },
      next: { at: NOW + REFRESH, cause: 'schedule' },
      failures: 0,
      events: [],
      counters: {},
      status: 'skipped',
      regularAt: NOW + HOUR,
    },
  },
];

describe('decide', () => {
  it.each(rows)('$rule', (row) => {
    const before = structuredClone(row.record);
    const decision = decide(row.record, row.result, policy, NOW);
    expect(decision.record.lifecycle).toEqual(row.expect.lifecycle);
    expect(decision.next).toEqual(row.expect.next);
    expect(decision.record.consecutiveFailures).toBe(row.expect.failures);
    expect(decision.events.map((e) => e.name)).toEqual(row.expect.events);
    expect(decision.counters).toEqual(row.expect.counters);
    expect(decision.outcome.status).toBe(row.expect.status);
    if (row.expect.regularAt !== undefined) {
      expect(decision.record.regularAt).toBe(row.expect.regularAt);
    }
    // Pure: the input record is left as it was.
    expect(row.record).toEqual(before);
  });

  it('says whether a success changed the configuration', () => {
    const same = decide(record({ lastSha256: 'a'.repeat(64) }), success(), policy, NOW);
    const other = decide(record({ lastSha256: 'b'.repeat(64) }), success(), policy, NOW);
    expect([same.outcome.changed, other.outcome.changed]).toEqual([false, true]);
    const duplicate = decide(
      record(),
      { ...success(), receipt: { ...receipt, duplicate: true } } as AttemptResult,
      policy,
      NOW,
    );
    expect(duplicate.outcome.changed).toBe(false);
  });

  it('gives the same decision for the same inputs', () => {
    const first = decide(record(), failure('unreachable'), policy, NOW);
    const second = decide(record(), failure('unreachable'), policy, NOW);
    expect(second).toEqual(first);
  });
});
