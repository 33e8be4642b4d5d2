import { describe, expect, it } from 'vitest';
import { subjectCovers } from '../../src/nats/stream.js';

describe('subjectCovers', () => {
  it.each([
    ['config.snapshot.>', 'config.snapshot.create.*'],
    ['config.>', 'config.snapshot.create.*'],
    ['config.snapshot.create.*', 'config.snapshot.create.*'],
    ['config.*.create.*', 'config.snapshot.create.*'],
    ['>', 'a.b'],
  ])('%s covers %s', (pattern, subject) => {
    expect(subjectCovers(pattern, subject)).toBe(true);
  });

  it.each([
    ['config.snapshot.create', 'config.snapshot.create.*'],
    ['config.snapshot.create.rtr-1', 'config.snapshot.create.*'],
    ['config.snapshot.*', 'config.snapshot.create.*'],
    ['config.snapshot.>', 'config.snapshot'],
    ['config.snapshot.create.*', 'config.snapshot.create.>'],
    ['legacy.>', 'config.snapshot.create.*'],
  ])('%s does not cover %s', (pattern, subject) => {
    expect(subjectCovers(pattern, subject)).toBe(false);
  });
});
