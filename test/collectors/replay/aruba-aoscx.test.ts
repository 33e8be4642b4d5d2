/** The Aruba AOS-CX collector against replayed Oxidized recordings of seven real switches. */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../../src/collectors/index.js';
import { arubaAoscx } from '../../../src/collectors/vendors/aruba-aoscx.js';
import { isBackupError } from '../../../src/core/errors.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const PAGER = /-- MORE --/;

/** Recordings whose `show running-config` holds a configuration, and their prompts. */
const WITH_CONFIG = [
  ['aoscx#6000-48G_PL.10.13.0005', 'TEST_SW123# ', 'PL.10.13.0005'],
  ['aoscx#6300M-48G-4SFP56_10.13.1101', 'loc0-ms-sw1# ', 'FL.10.13.1101'],
  ['aoscx#8325H_HL.10.15.1020', 'xx-xxxx-sw01# ', 'HL.10.15.1020'],
] as const;

/**
 * Recordings made for Oxidized's `show environment` tests: their contributors replaced the
 * configuration with `----- output stripped -----`, which is no configuration.
 */
const CONFIG_STRIPPED = [
  'aoscx#CX10000_10.16.1020_environment',
  'aoscx#CX6200_10.16.1020_environment',
  'aoscx#CX8100_10.16.1020_environment',
  'aoscx#CX9300_10.14.1061_environment',
] as const;

describe('aruba-aoscx backs up real AOS-CX recordings', () => {
  it.each(WITH_CONFIG)(
    '%s: every configuration line in order, no echo, prompt or pager left',
    async (name, prompt, version) => {
      const recording = readRecording(name);
      const { result, unknownCommands } = await backupRecording(recording, arubaAoscx);
      expect(unknownCommands).toEqual([]);
      const config = recordedReply(recording, 'show running-config\n').split('\n');
      expectLinesInOrder(result.text, config, {
        dropped: (line) => line === 'Current configuration:',
        prompt: prompt.trim(),
        pager: PAGER,
      });
      expect(result.text).not.toContain('show running-config');
      expect(result.text).not.toContain('\r');
      expect(result.deviceVersion).toBe(version);
      expect(result.text).toMatch(/^!\n!Version (?:AOS-CX|ArubaOS-CX) /);

      // The one dropped line is the header: without it the hash is the same, any other change is
      // seen.
      const raw = recordedReply(recording, 'show running-config\n');
      expect(
        normalizeConfig(arubaAoscx, raw.replace(/^Current configuration:\r?\n/m, '')).sha256,
      ).toBe(result.sha256);
      expect(normalizeConfig(arubaAoscx, raw.replace('!Version', '!Version X')).sha256).not.toBe(
        result.sha256,
      );
    },
  );

  it.each(CONFIG_STRIPPED)(
    '%s: the session replays, and a stripped configuration is refused as truncated',
    async (name) => {
      const recording = readRecording(name);
      expect(recordedReply(recording, 'show running-config\n')).toBe('----- output stripped -----');
      const error = await backupRecording(recording, arubaAoscx).catch((e: unknown) => e);
      if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
      expect(error.kind).toBe('truncated-output');
    },
  );

  it('masks the keys and communities of the 6000 recording', async () => {
    const recording = readRecording('aoscx#6000-48G_PL.10.13.0005');
    const { result } = await backupRecording(recording, arubaAoscx, { maskSecrets: true });
    expect(result.text).not.toContain('AAAAAAAAAABBBBBBBBBB');
    expect(result.text).toContain(
      'tacacs-server host 192.168.0.1 key ciphertext <secret hidden>\n',
    );
    expect(result.text).toContain(
      'snmp-server host 192.168.0.1 trap version v2c community <secret hidden>\n',
    );
    expect(result.secretsMasked).toBe(true);
  });
});
