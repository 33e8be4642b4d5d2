/** D-Link switches: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { dlink } from '../../../src/collectors/vendors/dlink.js';

const device = { id: 'dl-1', host: '192.0.2.1', vendor: 'dlink' };
const matchesError = (output: string): boolean =>
  dlink.errorPatterns.some((pattern) => pattern.test(output));

describe('dlink', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      'DGS-3120-24TC:admin#',
      'DES-3028:4#',
      'DGS-1210-28/ME:admin#',
      '\rDGS-3000-28SC:user# ',
    ]) {
      expect(dlink.promptPattern.test(prompt), JSON.stringify(prompt)).toBe(true);
    }
    for (const line of [
      '#             End of configuration file',
      'config snmp system_location "rack # 4 > row 2"',
      '  # authorized > users only #',
    ]) {
      expect(dlink.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns paging off and reads the current configuration, with no privilege step', () => {
    expect(dlink.setupCommands({ device })).toEqual(['disable clipaging']);
    expect(dlink.commands({ device })).toEqual({ commands: ['show config current'] });
    expect(dlink.privilege).toBeUndefined();
    expect(dlink.exitCommand).toBe('logout');
    expect(
      dlink.pagerPattern?.test('CTRL+C ESC q Quit SPACE n Next Page ENTER Next Entry a All'),
    ).toBe(true);
  });

  it('recognises its error texts', () => {
    expect(matchesError('Command: shwo\r\n\r\nAvailable commands:\r\n..  ?\r\n')).toBe(true);
    expect(matchesError('Next possible completions:\r\n')).toBe(true);
    expect(matchesError('Fail!\r\n')).toBe(true);
    expect(matchesError('config snmp system_location "Fail! lab"\r\n')).toBe(false);
  });

  it('is complete only when the End of configuration file block closes it', () => {
    const rule = `#${'-'.repeat(67)}`;
    expect(
      dlink.isComplete(`enable sntp\n\n${rule}\n#   End of configuration file\n${rule}\n`),
    ).toBe(true);
    expect(dlink.isComplete('enable sntp\n')).toBe(false);
    expect(dlink.isComplete(`#   End of configuration file\nenable sntp\n`)).toBe(false);
  });

  it('reads the firmware from the header', () => {
    expect(dlink.detectVersion?.('#-----\r\n#     Firmware: Build 4.04.B005\r\n')).toBe(
      '4.04.B005',
    );
  });
});
