import { describe, expect, it } from 'vitest';
import {
  applyBackspaces,
  stripTerminalEscapes,
  stripWholeTerminalEscapes,
} from '../../src/core/terminal-text.js';
import { lastLine } from '../../src/ssh/shell.js';
import { normalizeConfig } from '../../src/collectors/normalize.js';

describe('applyBackspaces', () => {
  it('erases the character before each backspace', () => {
    expect(applyBackspaces('abc\b\bd')).toBe('ad');
  });

  it('shows an overstrike as the one character a terminal shows', () => {
    expect(applyBackspaces('h\bho\bos\bst\bt')).toBe('host');
  });

  it('erases a pager prompt blanked out with backspaces and spaces', () => {
    const erase = `${'\b'.repeat(10)}${' '.repeat(10)}${'\b'.repeat(10)}`;
    expect(applyBackspaces(` --More-- ${erase} shutdown`)).toBe(' shutdown');
  });

  it('erases a whole character, not half of it', () => {
    expect(applyBackspaces('caf\u00e9\b\u00e8 \u{1f600}\b!')).toBe('caf\u00e8 !');
  });

  it('never erases a line break: at the start of a line a backspace erases nothing', () => {
    expect(applyBackspaces('ab\n\bc')).toBe('ab\nc');
    expect(applyBackspaces('ab\r\n\b\bc\n')).toBe('ab\r\nc\n');
    expect(applyBackspaces('\b\bx')).toBe('x');
  });

  it('leaves text without backspaces as it is', () => {
    const text = 'interface Gi0/1\n description x\n';
    expect(applyBackspaces(text)).toBe(text);
  });

  it('reads a line the same whether it is replayed alone or within the text', () => {
    const text = 'one\b\b\n\b\btwo\bo\nthree\b\b\b\b\b\b\b\n';
    const byLine = text
      .split('\n')
      .map((line) => applyBackspaces(line))
      .join('\n');
    expect(applyBackspaces(text)).toBe(byLine);
  });
});

describe('applyBackspaces on bytes read as Latin-1', () => {
  const bytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

  it('erases the whole UTF-8 sequence of the character a terminal showed', () => {
    for (const character of ['\u00e9', '\u20ac', '\u{1f600}']) {
      expect(applyBackspaces(bytes(`a${character}\bb`), { latin1Bytes: true })).toBe('ab');
    }
    expect(applyBackspaces(bytes('caf\u00e9\b\u00e8'), { latin1Bytes: true })).toBe(
      bytes('caf\u00e8'),
    );
  });

  it('erases one byte of output that is not UTF-8, as Latin-1 shows it', () => {
    expect(applyBackspaces('a\u00a9\bb', { latin1Bytes: true })).toBe('ab');
    expect(applyBackspaces('\u00e9\bx', { latin1Bytes: true })).toBe('x');
  });

  it('still never erases a line break', () => {
    expect(applyBackspaces(bytes('\u00e9\n\b\bx'), { latin1Bytes: true })).toBe(bytes('\u00e9\nx'));
  });
});

describe('stripTerminalEscapes', () => {
  it('removes CSI, OSC and the short escapes', () => {
    expect(stripTerminalEscapes('\x1b[7m--More--\x1b[27m \x1b]0;title\x07x \x1b(B\x1b=y')).toBe(
      '--More-- x y',
    );
  });

  it('removes what is left of a sequence cut short, and a lone ESC', () => {
    expect(stripTerminalEscapes('a\x1b]0;never ended\nb\x1b')).toBe('a\nb');
    expect(stripTerminalEscapes('c\x1b[')).toBe('c');
  });

  it('changes nothing when run twice', () => {
    const text = 'a\x1b\x1b[[1m\x1b]\x1b\\b\x1b(\x1bBc\n';
    const once = stripTerminalEscapes(text);
    expect(once).not.toContain('\x1b');
    expect(stripTerminalEscapes(once)).toBe(once);
  });
});

describe('stripWholeTerminalEscapes', () => {
  it('removes the whole sequences a device sends around its prompt', () => {
    expect(stripWholeTerminalEscapes('\x1b[1mrouter1\x1b(B\x1b[m#\x1b]0;router1\x07')).toBe(
      'router1#',
    );
  });

  it('keeps a sequence cut short, which the next packet completes', () => {
    for (const cut of ['\x1b', '\x1b[', '\x1b[0', '\x1b(', '\x1b]0;title', '\x1b]0;t\x1b']) {
      expect(stripWholeTerminalEscapes(`router1#${cut}`), JSON.stringify(cut)).toBe(
        `router1#${cut}`,
      );
    }
  });
});

describe('the shell reader and normalization read a line alike', () => {
  it('finds the prompt behind a character-set reset, as a prompt coloured with tput sends it', () => {
    expect(lastLine('show run\r\n...\r\n\x1b[1mrouter1#\x1b(B\x1b[m ')).toBe('router1#');
  });

  it('does not take a prompt followed by half of an escape sequence for the prompt', () => {
    expect(lastLine('router1#\x1b[')).not.toBe('router1#');
    expect(lastLine('router1#\x1b(')).not.toBe('router1#');
  });

  it('normalizes backspaces within a line and never across a line break', () => {
    expect(normalizeConfig('cisco-ios', 'ab\n\bc\r\nd\b\bx\n').text).toBe('ab\nc\nx\n');
  });
});
