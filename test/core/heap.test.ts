import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/core/heap.js';

const numberHeap = (): MinHeap<number> => new MinHeap<number>((a, b) => a < b);

function drain<T>(heap: MinHeap<T>): T[] {
  const out: T[] = [];
  while (heap.size > 0) out.push(heap.pop()!);
  return out;
}

describe('MinHeap', () => {
  it('returns undefined from peek and pop when empty', () => {
    const heap = numberHeap();
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    expect(heap.size).toBe(0);
  });

  it('pops everything pushed in sorted order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), (values) => {
        const heap = numberHeap();
        for (const value of values) heap.push(value);
        expect(heap.size).toBe(values.length);
        expect(drain(heap)).toEqual([...values].sort((a, b) => a - b));
      }),
    );
  });

  it('peeks and pops the least item under any mix of pushes and pops', () => {
    const op = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant('pop' as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = numberHeap();
        const model: number[] = [];
        for (const step of ops) {
          if (step === 'pop') {
            model.sort((a, b) => a - b);
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(step);
            model.push(step);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(model.length === 0 ? undefined : Math.min(...model));
        }
      }),
    );
  });

  it('orders by the comparison it was given', () => {
    const heap = new MinHeap<{ dueAt: number; seq: number }>((a, b) =>
      a.dueAt === b.dueAt ? a.seq < b.seq : a.dueAt < b.dueAt,
    );
    const items = [
      { dueAt: 2, seq: 0 },
      { dueAt: 1, seq: 1 },
      { dueAt: 2, seq: 2 },
      { dueAt: 1, seq: 3 },
    ];
    for (const item of items) heap.push(item);
    expect(drain(heap).map((item) => item.seq)).toEqual([1, 3, 0, 2]);
  });

  it('is empty after clear', () => {
    const heap = numberHeap();
    heap.push(3);
    heap.push(1);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });
});
