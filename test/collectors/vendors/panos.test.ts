/** Palo Alto PAN-OS: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { panos } from '../../../src/collectors/vendors/panos.js';
import { panosSetFormat } from '../../../src/testing/simulated/vendors/panos.js';

const device = { id: 'pa-1', host: '192.0.2.1', vendor: 'panos' };
const matchesError = (output: string): boolean =>
  panos.errorPatterns.some((pattern) => pattern.test(output));

describe('panos', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      'admin@PA-220>',
      'admin@PA-220> ',
      'admin@PA-VM(active)>',
      'admin@fw-01.example.com(passive)>',
      'admin@PA-220#',
    ]) {
      expect(panos.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [
      '#### Authorized access only > violators prosecuted ####',
      '          login-banner "Authorized use only > all";',
      '}',
    ]) {
      expect(panos.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns the pager off, reads the running configuration, and has no privilege step', () => {
    expect(panos.setupCommands({ device })).toEqual(['set cli pager off']);
    expect(panos.setupCommands({ device: { ...device, options: { set_format: true } } })).toEqual([
      'set cli pager off',
      'set cli config-output-format set',
    ]);
    expect(panos.commands({ device })).toEqual({ commands: ['show config running'] });
    expect(panos.privilege).toBeUndefined();
    expect(panos.pagerPattern?.test('--More--')).toBe(true);
  });

  it('recognises its error texts', () => {
    expect(matchesError('\r\nUnknown command: shwo\r\n')).toBe(true);
    expect(matchesError('Invalid syntax.\r\n')).toBe(true);
    expect(matchesError('Server error : show config running is not allowed\r\n')).toBe(true);
    expect(matchesError('   comment "Invalid syntax. see #42";\r\n')).toBe(false);
  });

  it('is complete when the braces balance and the last line is }, or every line is set', () => {
    expect(panos.isComplete('config {\n  a {\n    b "x{";\n  }\n}\n')).toBe(true);
    expect(panos.isComplete('config {\n  a {\n    b c;\n  }\n')).toBe(false);
    expect(panos.isComplete('config {\n}\n}\n')).toBe(false);
    expect(panos.isComplete('set deviceconfig system hostname a\n')).toBe(true);
    expect(panos.isComplete('')).toBe(false);
  });
});

describe('panos simulated set format', () => {
  it('prints one set line per leaf, without the outer config', () => {
    expect(
      panosSetFormat('config {\n  a {\n    b {\n      c 1;\n    }\n    d "x y";\n  }\n}\n'),
    ).toBe('set a b c 1\nset a d "x y"\n');
  });
});
