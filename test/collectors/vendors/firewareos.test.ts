/** WatchGuard Fireware: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { firewareos } from '../../../src/collectors/vendors/firewareos.js';

const device = { id: 'wg-1', host: '192.0.2.1', vendor: 'firewareos' };
const matchesError = (output: string): boolean =>
  firewareos.errorPatterns.some((pattern) => pattern.test(output));

describe('firewareos', () => {
  it("accepts its real prompts (Oxidized's list), and no XML line", () => {
    for (const prompt of [
      '[FAULT]WG<managed-by-wsm><master>>',
      'WG<managed-by-wsm><master>>',
      'WG<managed-by-wsm>>',
      '[FAULT]WG<non-master>>',
      '[FAULT]WG>',
      'WG>',
      'WG#',
      'WG(config)#',
    ]) {
      expect(firewareos.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of ['<profile>', '</profile>', '  <name>WG</name>', '<?xml version="1.0"?>']) {
      expect(firewareos.promptPattern.test(line), line).toBe(false);
    }
  });

  it('exports the profile to the console, with no setup and no privilege step', () => {
    expect(firewareos.setupCommands({ device })).toEqual([]);
    expect(firewareos.commands({ device })).toEqual({ commands: ['export config to console'] });
    expect(firewareos.privilege).toBeUndefined();
  });

  it('recognises its error texts', () => {
    expect(matchesError('% Invalid command\r\n')).toBe(true);
    expect(matchesError('% Error: permission denied\r\n')).toBe(true);
    expect(matchesError('  <description>Invalid command log</description>\r\n')).toBe(false);
  });

  it('is complete only with the final </profile>, and reads the version', () => {
    expect(firewareos.isComplete('<profile>\n</profile>\n')).toBe(true);
    expect(firewareos.isComplete('<profile>\n  <a/>\n')).toBe(false);
    expect(firewareos.detectVersion?.('<profile>\r\n  <version>12.10.4</version>\r\n')).toBe(
      '12.10.4',
    );
  });
});
