import { describe, expect, it } from 'vitest';
import { ERROR_TEXT_MAX_CHARS, errorText } from '../../src/core/errors.js';
import { setup } from '../scheduler/setup.js';

describe('errorText', () => {
  it('gives the message of an Error on one line', () => {
    expect(errorText(new Error('connect ECONNREFUSED\n   127.0.0.1:6379\t'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:6379',
    );
  });

  it('gives the text of a thrown non-Error value', () => {
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
  });

  it(`bounds the text to ${ERROR_TEXT_MAX_CHARS} characters`, () => {
    expect(errorText(new Error('x'.repeat(10_000)))).toHaveLength(ERROR_TEXT_MAX_CHARS);
  });

  it('is what the scheduler puts into its messages: one line, never a multi-line dump', async () => {
    const { scheduler, of } = setup({
      devices: { list: () => Promise.reject(new Error('db down\n    at line 1 of the query')) },
    });
    await scheduler.start();
    await using _ = scheduler;
    expect(of('refresh:error')[0]!.payload.message).toBe(
      'reading the device list failed (db down at line 1 of the query); keeping the current 0 devices',
    );
  });
});
