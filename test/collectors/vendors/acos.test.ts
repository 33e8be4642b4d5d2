/** A10 ACOS: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { acos } from '../../../src/collectors/vendors/acos.js';

const device = { id: 'a10-1', host: '192.0.2.1', vendor: 'acos' };
const matchesError = (output: string): boolean =>
  acos.errorPatterns.some((pattern) => pattern.test(output));

describe('acos', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      'vThunder#',
      'vThunder>',
      'thunder1-Active#',
      'vThunder-vMaster[1/1]#',
      'AX3030(config)#',
      'lb-01.example.net# ',
    ]) {
      expect(acos.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of ['#### Authorized access only > violators prosecuted ####', '!', 'end']) {
      expect(acos.promptPattern.test(line), line).toBe(false);
    }
  });

  it('enables, turns paging off and reads the running configuration', () => {
    expect(acos.setupCommands({ device })).toEqual(['terminal length 0', 'terminal width 0']);
    expect(acos.commands({ device })).toEqual({ commands: ['show running-config'] });
    expect(acos.privilege?.command).toBe('enable');
    expect(acos.privilege?.privilegedPrompt.test('vThunder#')).toBe(true);
    expect(acos.privilege?.privilegedPrompt.test('vThunder>')).toBe(false);
    expect(acos.pagerPattern?.test('--MORE--')).toBe(true);
  });

  it('recognises its error texts', () => {
    expect(matchesError('          ^\r\n% Unrecognized command.\r\n')).toBe(true);
    expect(matchesError("Invalid input detected at '^' marker.\r\n")).toBe(true);
    expect(matchesError('% Incomplete command.\r\n')).toBe(true);
    expect(matchesError('  name "Unrecognized command. ticket 4"\r\n')).toBe(false);
  });

  it('is complete when the last line that is not a comment is end', () => {
    expect(acos.isComplete('hostname a\n!\nend\n')).toBe(true);
    expect(acos.isComplete('hostname a\nend\n!Current config commit point for partition 0\n')).toBe(
      true,
    );
    expect(acos.isComplete('hostname a\n!\n')).toBe(false);
  });

  it('reads the version from the ACOS version line', () => {
    expect(
      acos.detectVersion?.(
        '!Current configuration: 1 bytes\r\n!64-bit Advanced Core OS (ACOS) version 4.1.4-GR1-P5, build 81 (Mar-01-2023,10:00)\r\n',
      ),
    ).toBe('4.1.4-GR1-P5');
  });
});
