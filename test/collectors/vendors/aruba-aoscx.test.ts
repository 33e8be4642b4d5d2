/** Aruba AOS-CX: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { arubaAoscx } from '../../../src/collectors/vendors/aruba-aoscx.js';

const device = { id: 'cx-1', host: '192.0.2.1', vendor: 'aruba-aoscx' };
const matchesError = (output: string): boolean =>
  arubaAoscx.errorPatterns.some((pattern) => pattern.test(output));

describe('aruba-aoscx', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      'TEST_SW123# ',
      'loc0-ms-sw1# ',
      'xx-xxxx-sw01#',
      'sw1(config-if)# ',
      'sw1(config-if-vlan)# ',
      'sw1> ',
    ]) {
      expect(arubaAoscx.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [
      'User "robot" has logged in 12 times in the past 30 days',
      '    description LAG to xx-sw03',
      '!Version AOS-CX HL.10.15.1020',
    ]) {
      expect(arubaAoscx.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns paging off with no page and reads the running configuration', () => {
    expect(arubaAoscx.setupCommands({ device })).toEqual(['no page']);
    expect(arubaAoscx.commands({ device })).toEqual({ commands: ['show running-config'] });
    expect(arubaAoscx.privilege?.privilegedPrompt.test('sw1#')).toBe(true);
    expect(arubaAoscx.privilege?.privilegedPrompt.test('sw1>')).toBe(false);
  });

  it('recognises its pager, whole', () => {
    expect(
      arubaAoscx.pagerPattern?.test('-- MORE --, next page: Space, next line: Enter, quit: q'),
    ).toBe(true);
    expect(arubaAoscx.pagerPattern?.test('-- MORE --')).toBe(false);
  });

  it('recognises its error texts', () => {
    expect(matchesError('Invalid input: shw\r\n')).toBe(true);
    expect(matchesError('Command incomplete.\r\n')).toBe(true);
    expect(matchesError('    description Invalid input: lab\r\n')).toBe(false);
  });

  it('is complete when the !Version line is there (the configuration has no end marker)', () => {
    expect(arubaAoscx.isComplete('!\n!Version ArubaOS-CX FL.10.13.1101\nhostname a\n')).toBe(true);
    expect(arubaAoscx.isComplete('!\n!Version AOS-CX HL.10.15.1020\nvlan 1\n')).toBe(true);
    expect(arubaAoscx.isComplete('----- output stripped -----\n')).toBe(false);
    expect(arubaAoscx.isComplete('!\n')).toBe(false);
  });
});
