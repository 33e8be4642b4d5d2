/** ArubaOS wireless controllers: the conversation facts of the collector. */
import { describe, expect, it } from 'vitest';
import { arubaAosw } from '../../../src/collectors/vendors/aruba-aosw.js';
import { collectConfig } from '../../../src/ssh/index.js';
import { startSimulatedDevice } from '../../../src/testing/index.js';
import { sampleConfig } from '../../fixtures/configs.js';

const device = { id: 'mc-1', host: '192.0.2.1', vendor: 'aruba-aosw' };
const matchesError = (output: string): boolean =>
  arubaAosw.errorPatterns.some((pattern) => pattern.test(output));

describe('aruba-aosw', () => {
  it('accepts its real prompts, and no banner or configuration line', () => {
    for (const prompt of [
      '(OXID-IZE01) [mynode] #',
      '(Aruba7210) #',
      '(Aruba7210) >',
      '(Aruba7210) [mynode] (config) #',
      '(mc-01) (config) #',
    ]) {
      expect(arubaAosw.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of ['hostname "OXID-IZE01"', '   session-acl ""', 'end', '!']) {
      expect(arubaAosw.promptPattern.test(line), line).toBe(false);
    }
  });

  it('turns paging and encryption off, unless the device says not to, and reads the configuration', () => {
    expect(arubaAosw.setupCommands({ device })).toEqual(['no paging', 'encrypt disable']);
    expect(
      arubaAosw.setupCommands({ device: { ...device, options: { encrypt_disable: false } } }),
    ).toEqual(['no paging']);
    expect(arubaAosw.options?.find((option) => option.name === 'encrypt_disable')?.default).toBe(
      true,
    );
    expect(arubaAosw.commands({ device })).toEqual({ commands: ['show running-config'] });
    expect(arubaAosw.privilege?.privilegedPrompt.test('(Aruba7210) #')).toBe(true);
    expect(arubaAosw.privilege?.privilegedPrompt.test('(Aruba7210) >')).toBe(false);
    expect(arubaAosw.pagerPattern?.test('--More-- (q) quit (u) pageup (/) search (n) repeat')).toBe(
      true,
    );
  });

  it('recognises its error texts', () => {
    expect(matchesError("       ^\r\n% Invalid input detected at '^' marker.\r\n")).toBe(true);
    expect(matchesError('% Incomplete command.\r\n')).toBe(true);
    expect(matchesError('Parse error\r\n')).toBe(true);
    expect(matchesError('syslocation "Parse error lab"\r\n')).toBe(false);
  });

  it('is complete only with the final end', () => {
    expect(arubaAosw.isComplete('version 8.10\nvlan 42\n!\nend\n')).toBe(true);
    expect(arubaAosw.isComplete('version 8.10\nvlan 42\n!\n')).toBe(false);
  });

  it('sends encrypt disable to a simulated controller only while the option is on', async () => {
    await using sim = await startSimulatedDevice({
      vendor: 'aruba-aosw',
      config: sampleConfig('aruba-aosw'),
    });
    const target = { id: 'mc-sim', host: sim.host, port: sim.port, vendor: 'aruba-aosw' };
    const credentials = { username: 'admin', password: 'admin' };
    const first = await collectConfig({ device: target, credentials });
    expect(sim.commands).toContain('encrypt disable');
    const before = sim.commands.length;
    const second = await collectConfig({
      device: { ...target, options: { encrypt_disable: false } },
      credentials,
    });
    expect(sim.commands.slice(before)).not.toContain('encrypt disable');
    expect(sim.commands.slice(before)).toContain('show running-config');
    expect(second.sha256).toBe(first.sha256);
  });
});
