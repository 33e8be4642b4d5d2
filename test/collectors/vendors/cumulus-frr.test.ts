/** Cumulus Linux with FRR: the files read, the option that chooses them, and a real backup. */
import { describe, expect, it } from 'vitest';
import { createCollectorRegistry } from '../../../src/collectors/registry.js';
import { CUMULUS_FRR_FILES, cumulusFrr } from '../../../src/collectors/vendors/cumulus-frr.js';
import { isBackupError } from '../../../src/core/errors.js';
import { collectConfig } from '../../../src/ssh/collect.js';
import { startSimulatedDevice } from '../../../src/testing/index.js';

const device = { id: 'leaf01', host: '192.0.2.1', vendor: 'cumulus-frr' };

describe('cumulus-frr', () => {
  it('cats each file of the list over exec, paths quoted', () => {
    expect(cumulusFrr.mode).toBe('exec');
    expect(cumulusFrr.commands({ device }).commands).toEqual(
      CUMULUS_FRR_FILES.map((file) => `cat -- '${file}'`),
    );
    expect(
      cumulusFrr.commands({ device: { ...device, options: { files: ["/etc/frr/it's.conf"] } } })
        .commands,
    ).toEqual(["cat -- '/etc/frr/it'\\''s.conf'"]);
  });

  it('declares files as an option whose check refuses relative paths', () => {
    const option = cumulusFrr.options?.find((o) => o.name === 'files');
    expect(option?.check?.(['/etc/frr/frr.conf'])).toBeUndefined();
    expect(option?.check?.(['frr.conf'])).toBe('must list absolute paths, one line each');
    expect(option?.check?.([])).toBe('must list absolute paths, one line each');
  });

  it('backs up a simulated switch: every file, in order; an unreadable file fails it', async () => {
    await using sw = await startSimulatedDevice({
      vendor: 'cumulus-frr',
      config: 'auto swp1\niface swp1\n',
    });
    const target = { id: 'leaf01', host: sw.host, port: sw.port, vendor: 'cumulus-frr' };
    const credentials = { username: 'admin', password: 'admin' };
    const result = await collectConfig({ device: target, credentials });
    expect(sw.commands).toEqual(CUMULUS_FRR_FILES.map((file) => `cat -- '${file}'`));
    const at = (text: string): number => result.text.indexOf(text);
    expect(at('leaf01\n')).toBe(0);
    expect(at('iface swp1\n')).toBeGreaterThan(0);
    expect(at('bgpd=yes')).toBeGreaterThan(at('iface swp1'));
    expect(at('router bgp 65101')).toBeGreaterThan(at('bgpd=yes'));
    expect(at('3=4x25G')).toBeGreaterThan(at('router bgp 65101'));

    const missing = createCollectorRegistry([cumulusFrr]);
    const error = await collectConfig({
      device: { ...target, options: { files: ['/etc/frr/vtysh.conf'] } },
      credentials,
      collectors: missing,
    }).catch((caught: unknown) => caught);
    expect(isBackupError(error, 'command-failed')).toBe(true);
  });
});
