import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Semaphore, type Release } from '../../src/core/semaphore.js';

/** Lets every queued promise callback run. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('Semaphore', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %s permits with a RangeError',
    (permits) => {
      expect(() => new Semaphore(permits)).toThrow(RangeError);
    },
  );

  it('grants permits at once while some are free', async () => {
    const semaphore = new Semaphore(2);
    await semaphore.acquire();
    await semaphore.acquire();
    expect(semaphore.available).toBe(0);
    expect(semaphore.waiting).toBe(0);
  });

  it('queues an acquire when no permit is free', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    let granted = false;
    void semaphore.acquire().then(() => (granted = true));
    await flush();
    expect(granted).toBe(false);
    expect(semaphore.waiting).toBe(1);
  });

  it('grants queued waiters in the order they called acquire', async () => {
    const semaphore = new Semaphore(1);
    const first = await semaphore.acquire();
    const order: number[] = [];
    const waiters = [0, 1, 2, 3, 4].map((id) =>
      semaphore.acquire().then((release) => {
        order.push(id);
        release();
      }),
    );
    first();
    await Promise.all(waiters);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects a waiter with signal.reason when its signal aborts', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const controller = new AbortController();
    const waiter = semaphore.acquire(controller.signal);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(waiter).rejects.toBe(reason);
  });

  it('removes an aborted waiter from the queue at once', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const controller = new AbortController();
    semaphore.acquire(controller.signal).catch(() => {});
    expect(semaphore.waiting).toBe(1);
    controller.abort();
    expect(semaphore.waiting).toBe(0);
  });

  it('hands a released permit to the next live waiter, skipping an aborted one', async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const controller = new AbortController();
    let abortedGranted = false;
    semaphore.acquire(controller.signal).then(
      () => (abortedGranted = true),
      () => {},
    );
    const live = semaphore.acquire();
    controller.abort();
    held();
    await live;
    expect(abortedGranted).toBe(false);
    expect(semaphore.available).toBe(0);
  });

  it('makes a released permit available when only aborted waiters were queued', async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const controller = new AbortController();
    semaphore.acquire(controller.signal).catch(() => {});
    controller.abort();
    held();
    await flush();
    expect(semaphore.available).toBe(1);
  });

  it('rejects at once with signal.reason when the signal is already aborted, even with permits free', async () => {
    const semaphore = new Semaphore(3);
    const reason = new Error('too late');
    await expect(semaphore.acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(semaphore.available).toBe(3);
    expect(semaphore.waiting).toBe(0);
  });

  it('ignores an abort that comes after the permit was granted', async () => {
    const semaphore = new Semaphore(1);
    const controller = new AbortController();
    const release = await semaphore.acquire(controller.signal);
    controller.abort();
    expect(semaphore.available).toBe(0);
    release();
    expect(semaphore.available).toBe(1);
  });

  it('gives back only one permit when a release is called twice', async () => {
    const semaphore = new Semaphore(2);
    const release = await semaphore.acquire();
    await semaphore.acquire();
    release();
    release();
    expect(semaphore.available).toBe(1);
  });

  it('grants only one waiter when a release is called twice while others wait', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const granted: number[] = [];
    void semaphore.acquire().then(() => granted.push(1));
    void semaphore.acquire().then(() => granted.push(2));
    release();
    release();
    await flush();
    expect(granted).toEqual([1]);
    expect(semaphore.waiting).toBe(1);
  });

  it('tryAcquire takes a free permit without waiting', () => {
    const semaphore = new Semaphore(1);
    expect(semaphore.tryAcquire()).toBeTypeOf('function');
    expect(semaphore.available).toBe(0);
  });

  it('tryAcquire returns undefined when no permit is free', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    expect(semaphore.tryAcquire()).toBeUndefined();
  });

  it('tryAcquire cannot take a permit released to a queued waiter', async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const queued = semaphore.acquire();
    held();
    expect(semaphore.tryAcquire()).toBeUndefined();
    (await queued)();
    expect(semaphore.available).toBe(1);
  });

  it('run returns what fn returns and releases the permit', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.resolve('done'))).resolves.toBe('done');
    expect(semaphore.available).toBe(1);
  });

  it('run releases the permit when fn throws', async () => {
    const semaphore = new Semaphore(1);
    const failure = new Error('device refused');
    await expect(
      semaphore.run(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(semaphore.available).toBe(1);
  });

  it('run does not call fn when the signal aborts while it waits', async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const controller = new AbortController();
    let called = false;
    const running = semaphore.run(() => (called = true), controller.signal);
    controller.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    held();
    await flush();
    expect(called).toBe(false);
    expect(semaphore.available).toBe(1);
  });

  it('never lets more than `permits` callers hold a permit at once', async () => {
    const semaphore = new Semaphore(3);
    let holding = 0;
    let mostHolding = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        semaphore.run(async () => {
          holding++;
          mostHolding = Math.max(mostHolding, holding);
          for (let tick = 0; tick < i % 4; tick++) await flush();
          holding--;
        }),
      ),
    );
    expect(mostHolding).toBe(3);
  });

  it('is back to all permits free and no waiter after 10 000 mixed acquire/release cycles', async () => {
    const semaphore = new Semaphore(7);
    const tasks: Promise<unknown>[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 10 === 3) {
        // Some waiters give up while queued.
        const controller = new AbortController();
        tasks.push(
          semaphore.acquire(controller.signal).then(
            (release) => release(),
            () => {},
          ),
        );
        controller.abort();
      } else if (i % 10 === 7) {
        const release = semaphore.tryAcquire();
        release?.();
        release?.();
      } else {
        tasks.push(
          semaphore.run(async () => {
            if (i % 3 === 0) await Promise.resolve();
            if (i % 3 === 1) await flush();
          }),
        );
      }
      if (i % 500 === 0) await flush();
    }
    await Promise.all(tasks);
    expect(semaphore.available).toBe(7);
    expect(semaphore.waiting).toBe(0);
  });

  it('behaves like a FIFO permit counter under any sequence of acquire, tryAcquire, release and abort', async () => {
    type Op =
      | { type: 'acquire' }
      | { type: 'tryAcquire' }
      | { type: 'release'; pick: number }
      | { type: 'abort'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant({ type: 'acquire' as const }),
      fc.constant({ type: 'tryAcquire' as const }),
      fc.record({ type: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ type: fc.constant('abort' as const), pick: fc.nat() }),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(op, { maxLength: 40 }),
        async (permits, ops) => {
          const semaphore = new Semaphore(permits);
          // The model: who holds a permit, who waits (in order), and which callers are done.
          const model = {
            holders: [] as number[],
            queue: [] as number[],
            aborted: new Set<number>(),
          };
          // What the real semaphore told each caller.
          const releases = new Map<number, Release>();
          const rejected = new Set<number>();
          const controllers = new Map<number, AbortController>();
          const everReleased: number[] = [];
          let nextId = 0;

          for (const step of ops) {
            switch (step.type) {
              case 'acquire': {
                const id = nextId++;
                const controller = new AbortController();
                controllers.set(id, controller);
                semaphore.acquire(controller.signal).then(
                  (release) => releases.set(id, release),
                  () => rejected.add(id),
                );
                if (model.holders.length < permits && model.queue.length === 0)
                  model.holders.push(id);
                else model.queue.push(id);
                break;
              }
              case 'tryAcquire': {
                const id = nextId++;
                const release = semaphore.tryAcquire();
                const expected = model.holders.length < permits && model.queue.length === 0;
                expect(release !== undefined).toBe(expected);
                if (release) {
                  releases.set(id, release);
                  model.holders.push(id);
                }
                break;
              }
              case 'release': {
                // Pick among holders and callers already released, so double releases happen too.
                const candidates = [
                  ...model.holders.filter((id) => releases.has(id)),
                  ...everReleased,
                ];
                if (candidates.length === 0) break;
                const id = candidates[step.pick % candidates.length]!;
                releases.get(id)!();
                const index = model.holders.indexOf(id);
                if (index >= 0) {
                  model.holders.splice(index, 1);
                  everReleased.push(id);
                  const next = model.queue.shift();
                  if (next !== undefined) model.holders.push(next);
                }
                break;
              }
              case 'abort': {
                const candidates = [...controllers.keys()];
                if (candidates.length === 0) break;
                const id = candidates[step.pick % candidates.length]!;
                controllers.get(id)!.abort();
                const index = model.queue.indexOf(id);
                if (index >= 0) {
                  model.queue.splice(index, 1);
                  model.aborted.add(id);
                }
                break;
              }
            }
            await flush();
            expect(semaphore.available).toBe(permits - model.holders.length);
            expect(semaphore.waiting).toBe(model.queue.length);
            expect([...rejected].sort()).toEqual([...model.aborted].sort());
            for (const id of model.holders) expect(releases.has(id)).toBe(true);
            for (const id of model.queue) expect(releases.has(id) || rejected.has(id)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
