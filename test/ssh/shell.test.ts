/** The shell reader's pure pieces: where a pager's erase ends, however the bytes arrive. */
import { describe, expect, it } from 'vitest';
import { eraseEnd } from '../../src/ssh/shell.js';

describe('eraseEnd', () => {
  it('ends a FortiOS erase (\\r, spaces, \\r) before the next line, keeping its indentation', () => {
    const text = `\r${' '.repeat(9)}\r    set subnet 192.0.2.1`;
    expect(eraseEnd(text)).toBe(11);
    expect(text.slice(eraseEnd(text))).toBe('    set subnet 192.0.2.1');
  });

  it('waits while the erase could still grow: blanks, a lone \\r, a started escape', () => {
    for (const prefix of ['\r', '\r     ', `\r${' '.repeat(9)}`, `\r${' '.repeat(9)}\r    `]) {
      expect(eraseEnd(prefix)).toBeUndefined();
    }
    expect(eraseEnd('\x1b[42')).toBeUndefined();
    expect(eraseEnd('\x08\x08\x08   \x08\x08\x08')).toBeUndefined();
  });

  it('gives every prefix that decides the same end as the whole text', () => {
    const erases = [`\r${' '.repeat(9)}\r`, '\x08'.repeat(10) + ' '.repeat(10) + '\x08'.repeat(10)];
    for (const erase of [...erases, '\r\x1b[K', '\x1b[16D                \x1b[16D']) {
      const text = `${erase}  interface Loopback1\r\n`;
      const whole = eraseEnd(text);
      for (let cut = 1; cut <= text.length; cut++) {
        const end = eraseEnd(text.slice(0, cut));
        if (end !== undefined) expect(end).toBe(whole);
      }
      expect(text.slice(whole)).toBe('  interface Loopback1\r\n');
    }
  });

  it('ends at once before a line end that follows the erase', () => {
    expect(eraseEnd(`\r${' '.repeat(9)}\r\r\n`)).toBe(11);
  });
});
