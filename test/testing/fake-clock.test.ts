import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/testing/fake-clock.js';

const START = Date.UTC(2026, 0, 1);

describe('FakeClock', () => {
  it('starts at 2026-01-01T00:00:00Z by default', () => {
    expect(new FakeClock().now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('starts at the given time', () => {
    expect(new FakeClock({ now: 42 }).now()).toBe(42);
  });

  it('wakes a sleeper only once advance reaches its due time', async () => {
    const clock = new FakeClock();
    let woke = false;
    void clock.sleep(5_000).then(() => (woke = true));
    await clock.advance(4_999);
    expect(woke).toBe(false);
    await clock.advance(1);
    expect(woke).toBe(true);
  });

  it('moves now by exactly the advanced time', async () => {
    const clock = new FakeClock();
    await clock.advance(1_500);
    expect(clock.now()).toBe(START + 1_500);
  });

  it('wakes sleepers in order of due time', async () => {
    const clock = new FakeClock();
    const order: number[] = [];
    for (const ms of [3_000, 1_000, 2_000]) void clock.sleep(ms).then(() => order.push(ms));
    await clock.advance(3_000);
    expect(order).toEqual([1_000, 2_000, 3_000]);
  });

  it('wakes sleepers due at the same time in the order they started sleeping', async () => {
    const clock = new FakeClock();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) void clock.sleep(1_000).then(() => order.push(name));
    await clock.advance(1_000);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('shows each woken sleeper its own due time as now', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    for (const ms of [100, 250]) void clock.sleep(ms).then(() => seen.push(clock.now() - START));
    await clock.advance(1_000);
    expect(seen).toEqual([100, 250]);
  });

  it('lets a loop that sleeps again run every iteration within one advance', async () => {
    const clock = new FakeClock();
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 10; i++) {
        await clock.sleep(1_000);
        ticks.push(clock.now() - START);
      }
    })();
    await clock.advance(10_000);
    await loop;
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1_000));
  });

  it('does not wake a sleeper started by woken code when it is due after the advance', async () => {
    const clock = new FakeClock();
    let second = false;
    void clock
      .sleep(1_000)
      .then(() => clock.sleep(1_000))
      .then(() => (second = true));
    await clock.advance(1_999);
    expect(second).toBe(false);
    expect(clock.pendingSleepers).toBe(1);
  });

  it('wakes a zero, negative or NaN sleep on advance(0)', async () => {
    const clock = new FakeClock();
    let woken = 0;
    for (const ms of [0, -5, Number.NaN]) void clock.sleep(ms).then(() => woken++);
    await clock.advance(0);
    expect(woken).toBe(3);
  });

  it('rejects a sleeper with signal.reason when its signal aborts', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
  });

  it('forgets an aborted sleeper', () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    clock.sleep(1_000, controller.signal).catch(() => {});
    void clock.sleep(2_000);
    expect(clock.pendingSleepers).toBe(2);
    controller.abort();
    expect(clock.pendingSleepers).toBe(1);
    expect(clock.nextDueAt()).toBe(START + 2_000);
  });

  it('rejects at once and adds no sleeper when the signal is already aborted', async () => {
    const clock = new FakeClock();
    const reason = new Error('too late');
    await expect(clock.sleep(1_000, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.pendingSleepers).toBe(0);
  });

  it('detaches from the signal once the sleeper wakes, so a later abort changes nothing', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    await clock.advance(1_000);
    await expect(sleeping).resolves.toBeUndefined();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(clock.pendingSleepers).toBe(0);
  });

  it('wakes 50 000 sleepers in due order in under 5 s', async () => {
    const clock = new FakeClock();
    const count = 50_000;
    const woken: number[] = [];
    for (let i = 0; i < count; i++) {
      // A spread of due times with many ties: i * 7919 mod 10 007 visits every residue.
      const ms = ((i * 7_919) % 10_007) * 10;
      void clock.sleep(ms).then(() => woken.push(ms));
    }
    const started = performance.now();
    await clock.advance(100_070);
    const elapsedMs = performance.now() - started;
    expect(woken).toHaveLength(count);
    expect(woken.every((ms, i) => i === 0 || woken[i - 1]! <= ms)).toBe(true);
    expect(clock.pendingSleepers).toBe(0);
    // Typically ~0.3 s; a queue with linear inserts or scans would take far longer.
    expect(elapsedMs).toBeLessThan(5_000);
  });

  describe('nextDueAt', () => {
    it('is undefined when nobody sleeps', () => {
      expect(new FakeClock().nextDueAt()).toBeUndefined();
    });

    it('is the due time of the earliest sleeper', () => {
      const clock = new FakeClock();
      void clock.sleep(300);
      void clock.sleep(100);
      expect(clock.nextDueAt()).toBe(START + 100);
    });
  });

  describe('runNext', () => {
    it('jumps to the next due sleeper and wakes it', async () => {
      const clock = new FakeClock();
      let woke = false;
      void clock.sleep(60_000).then(() => (woke = true));
      void clock.sleep(90_000);
      expect(await clock.runNext()).toBe(true);
      expect(woke).toBe(true);
      expect(clock.now()).toBe(START + 60_000);
      expect(clock.pendingSleepers).toBe(1);
    });

    it('returns false and leaves the time alone when nobody sleeps', async () => {
      const clock = new FakeClock();
      expect(await clock.runNext()).toBe(false);
      expect(clock.now()).toBe(START);
    });
  });

  describe('runAll', () => {
    it('wakes every sleeper and returns how many it woke', async () => {
      const clock = new FakeClock();
      for (const ms of [10, 20, 30]) void clock.sleep(ms);
      expect(await clock.runAll()).toBe(3);
      expect(clock.pendingSleepers).toBe(0);
      expect(clock.now()).toBe(START + 30);
    });

    it('counts sleepers due at the same time one by one', async () => {
      const clock = new FakeClock();
      for (let i = 0; i < 3; i++) void clock.sleep(1_000);
      expect(await clock.runAll()).toBe(3);
    });

    it('follows sleepers started by woken code', async () => {
      const clock = new FakeClock();
      void clock.sleep(10).then(() => clock.sleep(10));
      expect(await clock.runAll()).toBe(2);
      expect(clock.now()).toBe(START + 20);
    });

    it('stops after limit wake-ups, so a loop that sleeps forever cannot hang the test', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const loop = (async () => {
        for (;;) await clock.sleep(1_000, controller.signal);
      })();
      expect(await clock.runAll(25)).toBe(25);
      expect(clock.now()).toBe(START + 25_000);
      controller.abort();
      await expect(loop).rejects.toThrow();
    });

    it('stops at limit even among sleepers due at the same time', async () => {
      const clock = new FakeClock();
      for (let i = 0; i < 5; i++) void clock.sleep(1_000);
      expect(await clock.runAll(2)).toBe(2);
      expect(clock.pendingSleepers).toBe(3);
    });
  });

  describe('setNow', () => {
    it('sets the time without waking a sleeper', async () => {
      const clock = new FakeClock();
      let woke = false;
      void clock.sleep(1_000).then(() => (woke = true));
      clock.setNow(START + 5_000);
      await Promise.resolve();
      expect(clock.now()).toBe(START + 5_000);
      expect(woke).toBe(false);
    });

    it('leaves sleepers it jumped past due on the next advance', async () => {
      const clock = new FakeClock();
      let woke = false;
      void clock.sleep(1_000).then(() => (woke = true));
      clock.setNow(START + 5_000);
      await clock.advance(0);
      expect(woke).toBe(true);
      expect(clock.now()).toBe(START + 5_000);
    });

    it('can move the time backwards', () => {
      const clock = new FakeClock();
      clock.setNow(START - 60_000);
      expect(clock.now()).toBe(START - 60_000);
    });
  });

  it.each([-1, Number.NaN])('rejects advance(%s) with a RangeError', async (ms) => {
    await expect(new FakeClock().advance(ms)).rejects.toThrow(RangeError);
  });

  it('rejects advanceTo(NaN) with a RangeError and wakes nobody', async () => {
    const clock = new FakeClock();
    let woke = false;
    void clock.sleep(1_000).then(() => (woke = true));
    await expect(clock.advanceTo(Number.NaN)).rejects.toThrow(RangeError);
    expect(woke).toBe(false);
  });

  it('advanceTo moves to an absolute time, waking the sleepers due by then', async () => {
    const clock = new FakeClock();
    let woke = false;
    void clock.sleep(1_000).then(() => (woke = true));
    await clock.advanceTo(START + 1_000);
    expect(woke).toBe(true);
    expect(clock.now()).toBe(START + 1_000);
  });
});
