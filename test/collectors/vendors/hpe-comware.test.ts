/** HPE/H3C Comware: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { hpeComware } from '../../../src/collectors/vendors/hpe-comware.js';

const device = { id: 'cmw-1', host: '192.0.2.1', vendor: 'hpe-comware' };
const matchesError = (output: string): boolean =>
  hpeComware.errorPatterns.some((pattern) => pattern.test(output));

describe('hpe-comware', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      '<test5130st1>',
      '<HP-V1910>',
      '[core-sw]',
      '[core-sw-GigabitEthernet1/0/1]',
      '\0<H3C>',
      '<H3C>\x07',
    ]) {
      expect(hpeComware.promptPattern.test(prompt), JSON.stringify(prompt)).toBe(true);
    }
    for (const line of [
      '* Copyright (c) 2010-2023 Hewlett Packard Enterprise Development LP          *',
      ' description VER-NIC2-[TRUNK]',
      '#',
      'return',
    ]) {
      expect(hpeComware.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns paging off with screen-length disable and has no privilege step', () => {
    expect(hpeComware.setupCommands({ device })).toEqual(['screen-length disable']);
    expect(hpeComware.commands({ device })).toEqual({
      commands: ['display current-configuration'],
    });
    expect(hpeComware.privilege).toBeUndefined();
    expect(hpeComware.exitCommand).toBe('quit');
    expect(hpeComware.pagerPattern?.test('  ---- More ----')).toBe(true);
  });

  it('recognises its error texts', () => {
    expect(matchesError("          ^\r\n % Unrecognized command found at '^' position.\r\n")).toBe(
      true,
    );
    expect(matchesError("% Incomplete command found at '^' position.\r\n")).toBe(true);
    expect(matchesError("% Wrong parameter found at '^' position.\r\n")).toBe(true);
    expect(matchesError('Permission denied.\r\n')).toBe(true);
    expect(matchesError(' description Permission denied. ticket 4\r\n')).toBe(false);
  });

  it('is complete only with the final return', () => {
    expect(hpeComware.isComplete('#\n sysname a\n#\nreturn\n')).toBe(true);
    expect(hpeComware.isComplete('#\n sysname a\n#\n')).toBe(false);
  });
});

describe('hpe-comware version', () => {
  it('reads the software version from the version line', () => {
    expect(hpeComware.detectVersion?.('#\r\n version 7.1.070, Release 3507P18\r\n#\r\n')).toBe(
      '7.1.070, Release 3507P18',
    );
    expect(hpeComware.detectVersion?.('#\r\n version 5.20.99, Release 1115\r\n')).toBe(
      '5.20.99, Release 1115',
    );
    expect(hpeComware.detectVersion?.('#\r\n sysname A\r\n')).toBeUndefined();
  });
});
