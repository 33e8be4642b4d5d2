/** Citrix NetScaler: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { netscaler } from '../../../src/collectors/vendors/netscaler.js';

const device = { id: 'ns-1', host: '192.0.2.1', vendor: 'netscaler' };
const matchesError = (output: string): boolean =>
  netscaler.errorPatterns.some((pattern) => pattern.test(output));

describe('netscaler', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of ['>', '> ', 'nsroot@adc1-Primary> ', 'adc1>']) {
      expect(netscaler.promptPattern.test(prompt), JSON.stringify(prompt)).toBe(true);
    }
    for (const line of [
      '#  WARNING: Access to this system is for authorized users only > #',
      'add server s1 10.0.0.1 -comment "a >"',
      ' Done',
    ]) {
      expect(netscaler.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns the pager off and reads the running configuration, with no privilege step', () => {
    expect(netscaler.setupCommands({ device })).toEqual(['set cli mode -page OFF']);
    expect(netscaler.commands({ device })).toEqual({ commands: ['show ns runningConfig'] });
    expect(netscaler.privilege).toBeUndefined();
  });

  it('recognises its error texts', () => {
    expect(matchesError('ERROR: No such command\r\n')).toBe(true);
    expect(matchesError('ERROR: Not authorized to execute this command\r\n')).toBe(true);
    expect(matchesError('add server s1 10.0.0.1 -comment "ERROR: none"\r\n')).toBe(false);
  });

  it('is complete only with the final Done, and reads the build', () => {
    expect(netscaler.isComplete('set ns hostName a\n Done\n')).toBe(true);
    expect(netscaler.isComplete('set ns hostName a\n')).toBe(false);
    expect(netscaler.detectVersion?.('#NS13.1 Build 49.13\r\nset ns')).toBe('13.1 Build 49.13');
  });
});
