import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('systemClock', () => {
  it('reads the time from Date.now', () => {
    const spy = vi.spyOn(Date, 'now').mockReturnValue(1_234);
    try {
      expect(systemClock.now()).toBe(1_234);
    } finally {
      spy.mockRestore();
    }
  });

  it('resolves a short sleep after at least that long', async () => {
    const started = performance.now();
    await systemClock.sleep(5);
    // Node may fire a timer up to 1 ms early by its own rounding.
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
  });

  it('rejects a sleep with signal.reason when the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60 * 60 * 1_000, controller.signal);
    const reason = new Error('shutdown');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
  });

  it('clears the timer of an aborted sleep', async () => {
    const before = activeTimeouts();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60 * 60 * 1_000, controller.signal);
    expect(activeTimeouts()).toBe(before + 1);
    controller.abort();
    await sleeping.catch(() => {});
    expect(activeTimeouts()).toBe(before);
  });

  it('rejects at once, starting no timer, when the signal is already aborted', async () => {
    const before = activeTimeouts();
    const reason = new Error('too late');
    const sleeping = systemClock.sleep(60 * 60 * 1_000, AbortSignal.abort(reason));
    expect(activeTimeouts()).toBe(before);
    await expect(sleeping).rejects.toBe(reason);
  });

  it('detaches from the signal once the sleep has resolved', async () => {
    const controller = new AbortController();
    await systemClock.sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('does not wake early from a sleep past the 24.8-day limit of setTimeout', async () => {
    // Fake timers copy Node's rule that a delay over 2^31 - 1 ms fires after 1 ms.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const thirtyDaysMs = 30 * 24 * 60 * 60 * 1_000;
      let woke = false;
      const sleeping = systemClock.sleep(thirtyDaysMs).then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(thirtyDaysMs - 1);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(woke).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('clears the pending step of a long sleep when it aborts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const dayMs = 24 * 60 * 60 * 1_000;
      const controller = new AbortController();
      const sleeping = systemClock.sleep(30 * dayMs, controller.signal);
      await vi.advanceTimersByTimeAsync(25 * dayMs);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await expect(sleeping).rejects.toThrow();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a negative duration as zero', async () => {
    await expect(systemClock.sleep(-1_000)).resolves.toBeUndefined();
  });
});
