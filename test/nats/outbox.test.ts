import { describe, expect, it } from 'vitest';
import type { BackoffPolicy } from '../../src/core/backoff.js';
import { Outbox, type SendFailure } from '../../src/nats/outbox.js';
import { FakeClock } from '../../src/testing/fake-clock.js';

/** A send whose every call waits until the test settles it. */
class ScriptedSend {
  readonly calls: {
    item: string;
    resolve: (value: string) => void;
    reject: (error: unknown) => void;
  }[] = [];

  readonly alone: boolean[] = [];

  readonly send = (item: string, alone: boolean): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      this.calls.push({ item, resolve, reject });
      this.alone.push(alone);
    });

  get items(): string[] {
    return this.calls.map((call) => call.item);
  }

  call(index: number): {
    item: string;
    resolve: (value: string) => void;
    reject: (error: unknown) => void;
  } {
    const call = this.calls[index];
    if (!call) throw new Error(`no send #${index}; sends so far: ${this.items.join(', ')}`);
    return call;
  }
}

class Retryable extends Error {}
class Fatal extends Error {}
/** The destination refused something sent: fatal when sent alone, else a reason to isolate. */
class Refused extends Error {}

const classify = (error: unknown, _item: string, alone: boolean): SendFailure => {
  if (error instanceof Retryable) return { retry: true };
  if (error instanceof Refused)
    return alone ? { retry: false, error } : { retry: true, isolate: true };
  return { retry: false, error };
};

class RecordingBackoff implements BackoffPolicy {
  readonly asked: number[] = [];
  constructor(readonly delayMs = 1_000) {}
  delay(failures: number): number {
    this.asked.push(failures);
    return this.delayMs;
  }
}

function setUp(options: { maxItems?: number; maxBytes?: number; maxInFlight?: number } = {}) {
  const clock = new FakeClock();
  const sender = new ScriptedSend();
  const backoff = new RecordingBackoff();
  const outbox = new Outbox<string, string>({
    maxItems: options.maxItems ?? 100,
    maxBytes: options.maxBytes ?? 10_000,
    maxInFlight: options.maxInFlight ?? 4,
    clock,
    backoff,
    send: sender.send,
    classify,
  });
  return { clock, sender, backoff, outbox };
}

/** Lets promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Outbox', () => {
  it('sends items in the order they were pushed', async () => {
    const { sender, outbox } = setUp({ maxInFlight: 1 });
    const done = ['a', 'b', 'c'].map((item) => outbox.push(item, 1));
    for (let i = 0; i < 3; i++) {
      await settle();
      sender.call(i).resolve(`ack-${sender.call(i).item}`);
    }
    await expect(Promise.all(done)).resolves.toEqual(['ack-a', 'ack-b', 'ack-c']);
    expect(sender.items).toEqual(['a', 'b', 'c']);
  });

  it('keeps at most maxInFlight sends waiting for an acknowledgement', async () => {
    const { sender, outbox } = setUp({ maxInFlight: 2 });
    for (const item of ['a', 'b', 'c', 'd']) void outbox.push(item, 1);
    await settle();
    expect(sender.items).toEqual(['a', 'b']);
    sender.call(0).resolve('ok');
    await settle();
    expect(sender.items).toEqual(['a', 'b', 'c']);
  });

  it('resends a failed item only when the backoff delay has passed', async () => {
    const { clock, sender, outbox } = setUp();
    void outbox.push('a', 1);
    await settle();
    sender.call(0).reject(new Retryable('timeout'));
    await clock.advance(999);
    expect(sender.items).toEqual(['a']);
    await clock.advance(1);
    expect(sender.items).toEqual(['a', 'a']);
  });

  it('resends the same item until it is acknowledged, then resolves with the acknowledgement', async () => {
    const { clock, sender, outbox } = setUp();
    const done = outbox.push('a', 1);
    for (let i = 0; i < 5; i++) {
      await settle();
      sender.call(i).reject(new Retryable('no responders'));
      await clock.advance(1_000);
    }
    sender.call(5).resolve('stored at seq 7');
    await expect(done).resolves.toBe('stored at seq 7');
    expect(sender.items).toEqual(['a', 'a', 'a', 'a', 'a', 'a']);
    expect(outbox.retries).toBe(5);
  });

  it('keeps a failed item ahead of items pushed after it', async () => {
    const { clock, sender, outbox } = setUp({ maxInFlight: 1 });
    void outbox.push('old', 1);
    await settle();
    void outbox.push('new', 1);
    sender.call(0).reject(new Retryable('timeout'));
    await clock.advance(1_000);
    expect(sender.items).toEqual(['old', 'old']);
  });

  it('after a failure sends one probe at a time until a send succeeds, then the whole window again', async () => {
    const { clock, sender, outbox } = setUp({ maxInFlight: 3 });
    for (const item of ['a', 'b', 'c', 'd', 'e']) void outbox.push(item, 1);
    await settle();
    for (let i = 0; i < 3; i++) sender.call(i).reject(new Retryable('timeout'));
    await clock.advance(1_000);
    expect(sender.items.slice(3)).toEqual(['a']);
    sender.call(3).resolve('ok');
    await settle();
    expect(sender.items.slice(4)).toEqual(['b', 'c', 'd']);
  });

  it('counts one failed round per backoff, however many sends failed in it', async () => {
    const { clock, sender, backoff, outbox } = setUp({ maxInFlight: 3 });
    for (const item of ['a', 'b', 'c']) void outbox.push(item, 1);
    await settle();
    for (let i = 0; i < 3; i++) sender.call(i).reject(new Retryable('timeout'));
    await settle();
    expect(backoff.asked).toEqual([1]);
    await clock.advance(1_000);
    sender.call(3).reject(new Retryable('timeout'));
    await clock.advance(1_000);
    sender.call(4).reject(new Retryable('timeout'));
    await settle();
    expect(backoff.asked).toEqual([1, 2, 3]);
  });

  it('starts counting failed rounds from one again after a success', async () => {
    const { clock, sender, backoff, outbox } = setUp({ maxInFlight: 1 });
    void outbox.push('a', 1);
    void outbox.push('b', 1);
    await settle();
    sender.call(0).reject(new Retryable('timeout'));
    await clock.advance(1_000);
    sender.call(1).resolve('ok');
    await settle();
    sender.call(2).reject(new Retryable('timeout'));
    await settle();
    expect(backoff.asked).toEqual([1, 1]);
  });

  it('rejects only the item whose send failed for good', async () => {
    const { sender, outbox } = setUp();
    const a = outbox.push('a', 1);
    const b = outbox.push('b', 1);
    await settle();
    const fatal = new Fatal('stream full');
    sender.call(0).reject(fatal);
    sender.call(1).resolve('ok');
    await expect(a).rejects.toBe(fatal);
    await expect(b).resolves.toBe('ok');
    expect(outbox.retries).toBe(0);
  });

  it('sends an item that may have been refused again on its own, then fails it, and the others go on', async () => {
    const { clock, sender, outbox } = setUp({ maxInFlight: 4 });
    const results = ['a', 'bad', 'c'].map((item) => outbox.push(item, 1).catch((e: unknown) => e));
    await settle();
    expect(sender.alone).toEqual([false, false, false]);
    // The destination answers with a refusal while all three are in flight.
    for (let i = 0; i < 3; i++) sender.call(i).reject(new Refused());
    await clock.advance(1_000);

    // Each is isolated in turn: one send in flight, flagged alone.
    expect(sender.items.slice(3)).toEqual(['a']);
    expect(sender.alone[3]).toBe(true);
    sender.call(3).resolve('ack-a');
    await settle();
    expect(sender.items.slice(4)).toEqual(['bad']);
    expect(sender.alone[4]).toBe(true);
    const refusal = new Refused('refused alone');
    sender.call(4).reject(refusal);
    await settle();
    expect(sender.items.slice(5)).toEqual(['c']);
    sender.call(5).resolve('ack-c');

    await expect(Promise.all(results)).resolves.toEqual(['ack-a', refusal, 'ack-c']);
    expect(outbox.length).toBe(0);
  });

  it('sends nothing else while an isolated item is in flight, and the whole window after it', async () => {
    const { clock, sender, outbox } = setUp({ maxInFlight: 4 });
    void outbox.push('suspect', 1);
    await settle();
    sender.call(0).reject(new Refused());
    await clock.advance(1_000);
    expect(sender.items).toEqual(['suspect', 'suspect']);
    for (const item of ['d', 'e', 'f']) void outbox.push(item, 1);
    await settle();
    expect(sender.items).toEqual(['suspect', 'suspect']);
    sender.call(1).resolve('ack');
    await settle();
    expect(sender.items.slice(2)).toEqual(['d', 'e', 'f']);
    expect(sender.alone.slice(2)).toEqual([false, false, false]);
  });

  it('keeps isolating an item whose lone send failed in a retryable way', async () => {
    const { clock, sender, outbox } = setUp({ maxInFlight: 4 });
    void outbox.push('suspect', 1);
    void outbox.push('other', 1);
    await settle();
    sender.call(0).reject(new Refused());
    sender.call(1).reject(new Retryable());
    await clock.advance(1_000);
    expect(sender.items.slice(2)).toEqual(['suspect']);
    sender.call(2).reject(new Retryable()); // e.g. sent while the connection was down
    await clock.advance(1_000);
    expect(sender.items.slice(3)).toEqual(['suspect']);
    expect(sender.alone[3]).toBe(true);
  });

  it('tracks how many items and bytes wait, in flight or queued', async () => {
    const { sender, outbox } = setUp({ maxInFlight: 1 });
    const a = outbox.push('a', 100);
    void outbox.push('b', 250);
    expect([outbox.length, outbox.bytes]).toEqual([2, 350]);
    await settle();
    sender.call(0).resolve('ok');
    await a;
    expect([outbox.length, outbox.bytes]).toEqual([1, 250]);
  });

  it('has no room for an item beyond maxItems', () => {
    const { outbox } = setUp({ maxItems: 2 });
    void outbox.push('a', 1);
    void outbox.push('b', 1);
    expect(outbox.hasRoomFor(1)).toBe(false);
  });

  it('has no room for an item beyond maxBytes', () => {
    const { outbox } = setUp({ maxBytes: 100 });
    void outbox.push('a', 60);
    expect(outbox.hasRoomFor(40)).toBe(true);
    expect(outbox.hasRoomFor(41)).toBe(false);
  });

  it('keeps waiting items when it is full', async () => {
    const { clock, sender, outbox } = setUp({ maxItems: 1 });
    const a = outbox.push('a', 1);
    await settle();
    sender.call(0).reject(new Retryable('timeout'));
    await clock.advance(1_000);
    expect(outbox.hasRoomFor(1)).toBe(false);
    sender.call(1).resolve('ok');
    await expect(a).resolves.toBe('ok');
  });

  it('removes a queued item whose signal aborts and rejects it with the signal reason', async () => {
    const { sender, outbox } = setUp({ maxInFlight: 1 });
    void outbox.push('a', 1);
    const controller = new AbortController();
    const b = outbox.push('b', 5, controller.signal);
    const reason = new Error('time limit');
    controller.abort(reason);
    await expect(b).rejects.toBe(reason);
    expect([outbox.length, outbox.bytes]).toEqual([1, 1]);
    sender.call(0).resolve('ok');
    await settle();
    expect(sender.items).toEqual(['a']);
  });

  it('does not resend an item whose signal aborted while it was in flight', async () => {
    const { clock, sender, outbox } = setUp();
    const controller = new AbortController();
    const a = outbox.push('a', 1, controller.signal);
    await settle();
    controller.abort(new Error('stop'));
    await expect(a).rejects.toThrow('stop');
    sender.call(0).reject(new Retryable('timeout'));
    await clock.runAll();
    expect(sender.items).toEqual(['a']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { sender, outbox } = setUp();
    const reason = new Error('already');
    await expect(outbox.push('a', 1, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(sender.items).toEqual([]);
  });

  it('on close rejects every waiting item with the close error and stops retrying', async () => {
    const { clock, sender, outbox } = setUp({ maxInFlight: 1 });
    const a = outbox.push('a', 1);
    const b = outbox.push('b', 1);
    await settle();
    sender.call(0).reject(new Retryable('timeout'));
    await settle();
    await outbox.close((item) => new Error(`closed before ${item} was acknowledged`));
    await expect(a).rejects.toThrow('closed before a was acknowledged');
    await expect(b).rejects.toThrow('closed before b was acknowledged');
    expect(clock.pendingSleepers).toBe(0);
    await clock.runAll();
    expect(sender.items).toEqual(['a']);
  });

  it('on close waits for the sends in flight to settle', async () => {
    const { sender, outbox } = setUp();
    const a = outbox.push('a', 1);
    a.catch(() => {});
    await settle();
    let closed = false;
    const closing = outbox
      .close(() => new Error('closed'))
      .then(() => {
        closed = true;
      });
    await settle();
    expect(closed).toBe(false);
    sender.call(0).resolve('late ack');
    await closing;
    await expect(a).rejects.toThrow('closed');
  });

  it('refuses bounds below one', () => {
    const clock = new FakeClock();
    expect(
      () =>
        new Outbox<string, string>({
          maxItems: 0,
          maxBytes: 1,
          maxInFlight: 1,
          clock,
          backoff: new RecordingBackoff(),
          send: () => Promise.resolve(''),
          classify,
        }),
    ).toThrow(/maxItems must be an integer >= 1/);
  });
});
