/** Edgecore: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { edgecos } from '../../../src/collectors/vendors/edgecos.js';

const device = { id: 'ec-1', host: '192.0.2.1', vendor: 'edgecos' };
const matchesError = (output: string): boolean =>
  edgecos.errorPatterns.some((pattern) => pattern.test(output));

describe('edgecos', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of ['Console#', 'Console>', 'ECS4120-28F#', 'ecs-floor3(config)#']) {
      expect(edgecos.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [
      '#### Authorized access only > violators prosecuted ####',
      ' description uplink # core >',
      '!',
    ]) {
      expect(edgecos.promptPattern.test(line), line).toBe(false);
    }
  });

  it('enables, turns paging off and reads the running configuration', () => {
    expect(edgecos.setupCommands({ device })).toEqual(['terminal length 0']);
    expect(edgecos.commands({ device })).toEqual({ commands: ['show running-config'] });
    expect(edgecos.privilege?.privilegedPrompt.test('Console#')).toBe(true);
    expect(edgecos.pagerPattern?.test('---More---')).toBe(true);
  });

  it('recognises its error texts', () => {
    expect(matchesError("     ^\r\n% Invalid input detected at '^' marker.\r\n")).toBe(true);
    expect(matchesError('% Incomplete command.\r\n')).toBe(true);
    expect(matchesError(' description % Incomplete command. no\r\n')).toBe(false);
  });

  it('is complete when the last line that is not a comment is end', () => {
    expect(edgecos.isComplete('hostname a\n!\nend\n!\n')).toBe(true);
    expect(edgecos.isComplete('hostname a\n!\n')).toBe(false);
  });
});
