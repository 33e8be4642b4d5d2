/** The Ruckus ICX collector against a replayed Oxidized recording of a real ICX7150 stack. */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../../src/collectors/index.js';
import { ruckusIcx } from '../../../src/collectors/vendors/ruckus-icx.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const NAME = 'ironware#ICX7150-48Z-HPOE';
const PROMPT = 'SSH@#HOSTNAME##';
const PAGER = /--More--/;

describe(`ruckus-icx backs up ${NAME}`, () => {
  const recording = readRecording(NAME);

  it('keeps every configuration line in order, with no echo, prompt or pager left', async () => {
    const { result, unknownCommands } = await backupRecording(recording, ruckusIcx);
    // Oxidized recorded its logout as one key ("logout\nexit\nexit\n\n"), which a line-by-line
    // replay cannot match: the collector's `exit` is the one command the recording lacks.
    expect(unknownCommands).toEqual(['exit']);
    const config = recordedReply(recording, 'show running-config\n').split('\n');
    expectLinesInOrder(result.text, config, {
      dropped: (line) => line === 'Current configuration:',
      prompt: PROMPT,
      pager: PAGER,
    });
    expect(result.text).not.toContain('show running-config');
    expect(result.text.startsWith('!\nver 08.0.95jT211\n')).toBe(true);
    expect(result.text.endsWith('\nend\n')).toBe(true);
    expect(result.deviceVersion).toBe('08.0.95jT211');
  });

  // FastIron prints no change time or uptime in its configuration: the only line dropped is the
  // `Current configuration:` header, so a device that prints it or not hashes the same.
  it('hashes the same with or without the dropped header line', async () => {
    const { result } = await backupRecording(recording, ruckusIcx);
    const raw = recordedReply(recording, 'show running-config\n');
    const withoutHeader = raw.replace('Current configuration:\n', '');
    expect(withoutHeader).not.toBe(raw);
    expect(normalizeConfig(ruckusIcx, withoutHeader).sha256).toBe(result.sha256);
    expect(normalizeConfig(ruckusIcx, raw.replace('\nend', '\n!\nend')).sha256).not.toBe(
      result.sha256,
    );
  });

  it('masks the TACACS+ key and the passwords and communities the switch printed', async () => {
    const { result } = await backupRecording(recording, ruckusIcx, { maskSecrets: true });
    expect(result.text).not.toContain('$byFkfW9uLW8=');
    expect(result.text).not.toContain('.....');
    expect(result.text).toContain('tacacs-server key 2 <secret hidden>\n');
    expect(result.text).toContain('username admin password <secret hidden>\n');
    expect(result.text).toContain('snmp-server community <secret hidden> ro\n');
    expect(result.secretsMasked).toBe(true);
  });
});
