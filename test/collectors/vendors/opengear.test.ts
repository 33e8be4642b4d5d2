/** Opengear: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { opengear } from '../../../src/collectors/vendors/opengear.js';

const device = { id: 'og-1', host: '192.0.2.1', vendor: 'opengear' };
const matchesError = (output: string): boolean =>
  opengear.errorPatterns.some((pattern) => pattern.test(output));

describe('opengear', () => {
  it('runs config -g config over an exec channel', () => {
    expect(opengear.mode).toBe('exec');
    expect(opengear.commands({ device })).toEqual({ commands: ['config -g config'] });
  });

  it('recognises its error texts', () => {
    expect(matchesError('config: Invalid option -- h\n')).toBe(true);
    expect(matchesError('-sh: config: not found\n')).toBe(true);
    expect(matchesError('config.system.description config: not found\n')).toBe(false);
  });

  it('is complete when every line is a config. setting', () => {
    expect(opengear.isComplete('config.system.name a\nconfig.ports.port1.label b\n')).toBe(true);
    expect(opengear.isComplete('config.system.name a\nconf\n')).toBe(false);
    expect(opengear.isComplete('')).toBe(false);
  });
});
