/** The attempt as two step lists (SPEC §1, §2), and the counters that say where attempts are. */
import { describe, expect, it } from 'vitest';
import { MANUAL_STEPS, SCHEDULED_STEPS, stepsOf } from '../../src/scheduler/attempt/pipeline.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { FakeCollector } from '../../src/testing/fake-collector.js';
import { device, SECOND, setup } from './setup.js';

const names = (steps: readonly { name: string }[]) => steps.map((step) => step.name);

describe('attempt pipeline', () => {
  it('runs a scheduled attempt through every SPEC §1 step, the slot before the lock', () => {
    expect(names(SCHEDULED_STEPS)).toEqual([
      'readDevice',
      'checkBlock',
      'askOnlineGate',
      'takeSlot',
      'takeLockNow',
      'checkFreshness',
      'startWork',
      'readCredentials',
      'collect',
      'publish',
    ]);
    expect(stepsOf('schedule')).toBe(SCHEDULED_STEPS);
    expect(stepsOf('retry')).toBe(SCHEDULED_STEPS);
  });

  it('lets a manual trigger bypass the block, the gate and freshness, and wait for the lock before a slot', () => {
    expect(names(MANUAL_STEPS)).toEqual([
      'readDevice',
      'takeLockWaiting',
      'takeSlot',
      'startWork',
      'readCredentials',
      'collect',
      'publish',
    ]);
    expect(stepsOf('manual')).toBe(MANUAL_STEPS);
  });
});

describe('stats() in-flight counters', () => {
  it('tells attempts holding a slot from all attempts in progress', async () => {
    const list = Array.from({ length: 5 }, (_, i) => device(`r${i}`));
    const clock = new FakeClock();
    const fake = new FakeCollector({ clock, durationMs: 10 * SECOND });
    const { scheduler } = setup({ clock, collect: fake.collect, concurrency: 2 }, list);
    await using _ = scheduler;
    await scheduler.start();
    await clock.advance(30 * SECOND);
    expect(scheduler.stats()).toMatchObject({
      slotsHeld: 2,
      attemptsInFlight: 5,
      queueLength: 3,
      inFlight: 2,
    });
    await clock.advance(60 * SECOND);
    expect(scheduler.stats()).toMatchObject({ slotsHeld: 0, attemptsInFlight: 0, inFlight: 0 });
  });
});
