/** Ruckus ICX / FastIron: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { ruckusIcx } from '../../../src/collectors/vendors/ruckus-icx.js';

const device = { id: 'icx-1', host: '192.0.2.1', vendor: 'ruckus-icx' };
const matchesError = (output: string): boolean =>
  ruckusIcx.errorPatterns.some((pattern) => pattern.test(output));

describe('ruckus-icx', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      'SSH@ICX7150-48ZP#',
      'SSH@ICX7150-48ZP>',
      'SSH@#HOSTNAME##',
      'telnet@FCX648S-Router#',
      'SSH@icx-core(config-vlan-20)#',
      'ICX7150-24 Router#',
    ]) {
      expect(ruckusIcx.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [' port-name hyd-wap-19', 'vlan 70 name Printers by port', 'end', '!']) {
      expect(ruckusIcx.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns paging off with skip-page-display and reads the running configuration', () => {
    expect(ruckusIcx.setupCommands({ device })).toEqual(['skip-page-display']);
    expect(ruckusIcx.commands({ device })).toEqual({ commands: ['show running-config'] });
    expect(ruckusIcx.mode).toBe('shell');
    expect(ruckusIcx.privilege?.command).toBe('enable');
    expect(ruckusIcx.privilege?.privilegedPrompt.test('SSH@ICX7150-48ZP#')).toBe(true);
    expect(ruckusIcx.privilege?.privilegedPrompt.test('SSH@ICX7150-48ZP>')).toBe(false);
  });

  it('recognises its pager', () => {
    expect(
      ruckusIcx.pagerPattern?.test(
        '--More--, next page: Space, next line: Return key, quit: Control-c',
      ),
    ).toBe(true);
    expect(ruckusIcx.pagerPattern?.test('--More--')).toBe(false);
  });

  it('recognises its error texts', () => {
    expect(matchesError('Invalid input -> shw run\r\nType ? for a list\r\n')).toBe(true);
    expect(matchesError('Incomplete command.\r\n')).toBe(true);
    expect(matchesError(' port-name Invalid input\r\n')).toBe(false);
  });

  it('is complete only with the final end', () => {
    expect(ruckusIcx.isComplete('!\nver 08.0.95\n!\nend\n')).toBe(true);
    expect(ruckusIcx.isComplete('!\nver 08.0.95\n!\n')).toBe(false);
  });
});
