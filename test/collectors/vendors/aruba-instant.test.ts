/** Aruba Instant: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { arubaInstant } from '../../../src/collectors/vendors/aruba-instant.js';

const device = { id: 'iap-1', host: '192.0.2.1', vendor: 'aruba-instant' };
const matchesError = (output: string): boolean =>
  arubaInstant.errorPatterns.some((pattern) => pattern.test(output));

describe('aruba-instant', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of ['OXRO-AP111117# ', 'IAP515#', 'IAP515> ', 'IAP515 (config) # ']) {
      expect(arubaInstant.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [
      'show tech-support and show tech-support supplemental are the two most useful outputs to collect for any kind of troubleshooting session.',
      ' essid CORP#5G>',
      'hash-mgmt-password',
    ]) {
      expect(arubaInstant.promptPattern.test(line), line).toBe(false);
    }
  });

  it('sends no setup command and reads the configuration unencrypted unless told not to', () => {
    expect(arubaInstant.setupCommands({ device })).toEqual([]);
    expect(arubaInstant.commands({ device })).toEqual({
      commands: ['show running-config no-encrypt'],
    });
    expect(
      arubaInstant.commands({ device: { ...device, options: { no_encrypt: false } } }),
    ).toEqual({ commands: ['show running-config'] });
    expect(arubaInstant.pagerPattern).toBeUndefined();
    expect(arubaInstant.privilege?.privilegedPrompt.test('IAP515#')).toBe(true);
  });

  it('recognises its error texts', () => {
    expect(matchesError("          ^\r\n% Invalid input detected at '^' marker.\r\n")).toBe(true);
    expect(matchesError('Parse error\r\n')).toBe(true);
    expect(matchesError('syslocation Parse error\r\n')).toBe(false);
  });

  it('is complete when the configuration starts with its version line', () => {
    expect(arubaInstant.isComplete('version 8.10.0.0-8.10.0\nname vc\n')).toBe(true);
    expect(arubaInstant.isComplete('name vc\nversion 8.10.0.0-8.10.0\n')).toBe(false);
  });
});
