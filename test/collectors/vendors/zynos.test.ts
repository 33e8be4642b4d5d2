/** Zyxel ZyNOS: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { zynos } from '../../../src/collectors/vendors/zynos.js';

const device = { id: 'zy-1', host: '192.0.2.1', vendor: 'zynos' };
const matchesError = (output: string): boolean =>
  zynos.errorPatterns.some((pattern) => pattern.test(output));

describe('zynos', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of ['GS2210#', 'GS2210>', 'XGS4600(config)#', 'sw-floor2# ']) {
      expect(zynos.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [
      'Copyright (c) 1994 - 2023 Zyxel Communications Corp. # all > rights reserved',
      '  name "uplink # core >"',
      'exit',
    ]) {
      expect(zynos.promptPattern.test(line), line).toBe(false);
    }
  });

  it('enables and reads the running configuration', () => {
    expect(zynos.setupCommands({ device })).toEqual([]);
    expect(zynos.commands({ device })).toEqual({ commands: ['show running-config'] });
    expect(zynos.privilege?.privilegedPrompt.test('GS2210#')).toBe(true);
    expect(zynos.pagerPattern?.test('-- more --, next page: Space, continue: c, quit: ESC')).toBe(
      true,
    );
  });

  it('recognises its error texts', () => {
    expect(matchesError('     ^\r\n% Invalid command\r\n')).toBe(true);
    expect(matchesError('Invalid input\r\n')).toBe(true);
    expect(matchesError('Permission denied\r\n')).toBe(true);
    expect(matchesError('  name "Invalid command log"\r\n')).toBe(false);
  });

  it('is complete unless it ends inside a block', () => {
    expect(zynos.isComplete('vlan 1\n  name 1\nexit\nhostname a\n')).toBe(true);
    expect(zynos.isComplete('vlan 1\n  name 1\n')).toBe(false);
    expect(zynos.isComplete('')).toBe(false);
  });
});
