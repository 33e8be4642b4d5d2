/** F5 TMOS: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { tmos } from '../../../src/collectors/vendors/tmos.js';

const device = { id: 'f5-1', host: '192.0.2.1', vendor: 'tmos' };
const matchesError = (output: string): boolean =>
  tmos.errorPatterns.some((pattern) => pattern.test(output));

describe('tmos', () => {
  it('runs tmsh -q list over an exec channel', () => {
    expect(tmos.mode).toBe('exec');
    expect(tmos.commands({ device })).toEqual({ commands: ['tmsh -q list'] });
    expect(tmos.privilege).toBeUndefined();
  });

  it('recognises its error texts', () => {
    expect(matchesError('Syntax Error: "lsit" unknown property\n')).toBe(true);
    expect(matchesError('01020036:3: The requested partition (Nope) was not found.\n')).toBe(true);
    expect(matchesError('-bash: tmsh: command not found\n')).toBe(true);
    expect(matchesError('    description "Syntax Error: see ticket"\n')).toBe(false);
    expect(matchesError('    address 10.0.0.1\n')).toBe(false);
  });

  it('is complete when the braces balance and the last line is }', () => {
    expect(tmos.isComplete('ltm node /Common/a {\n    description "{"\n}\n')).toBe(true);
    expect(tmos.isComplete('ltm rule /Common/r {\n    when HTTP_REQUEST {\n    }\n}\n')).toBe(true);
    expect(tmos.isComplete('ltm node /Common/a {\n    address 10.0.0.1\n')).toBe(false);
    expect(tmos.isComplete('}\n{\n}\n')).toBe(false);
  });
});
