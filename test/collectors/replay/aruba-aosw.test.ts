/** The ArubaOS controller collector against a replayed Oxidized recording of a real 7210. */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../../src/collectors/index.js';
import { arubaAosw } from '../../../src/collectors/vendors/aruba-aosw.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const NAME = 'aosw#Aruba7210_8.10.0.7';
const PROMPT = '(OXID-IZE01) [mynode] #';
const COMMAND = 'show running-config\n';

describe(`aruba-aosw backs up ${NAME}`, () => {
  const recording = readRecording(NAME);

  it('keeps every configuration line in order, with no echo, prompt or pager left', async () => {
    const { result, unknownCommands } = await backupRecording(recording, arubaAosw);
    // `no paging`, `encrypt disable`, the configuration and `exit` are all recorded.
    expect(unknownCommands).toEqual([]);
    const config = recordedReply(recording, COMMAND).split('\n');
    expectLinesInOrder(result.text, config, {
      dropped: (line) => line.trim() === 'Building Configuration...',
      prompt: PROMPT,
      pager: /--More--/,
    });
    expect(result.text.startsWith('version 8.10\nhostname "OXID-IZE01"\n')).toBe(true);
    expect(result.text.endsWith('\nend\n')).toBe(true);
    expect(result.text).not.toContain('\r');
    expect(result.deviceVersion).toBe('8.10');
  });

  it('drops the volatile lines: Building Configuration... and the controller config counter', async () => {
    const { result } = await backupRecording(recording, arubaAosw);
    const raw = recordedReply(recording, COMMAND);
    const counted = raw.replace('version 8.10', 'controller config 1187\nversion 8.10');
    const recounted = raw
      .replace('Building Configuration...', '')
      .replace('version 8.10', 'controller config 1188\nversion 8.10');
    expect(normalizeConfig(arubaAosw, counted).sha256).toBe(result.sha256);
    expect(normalizeConfig(arubaAosw, recounted).sha256).toBe(result.sha256);
    expect(normalizeConfig(arubaAosw, raw.replace('country DE', 'country AT')).sha256).not.toBe(
      result.sha256,
    );
  });

  it('masks every secret the recording shows', async () => {
    const { result } = await backupRecording(recording, arubaAosw, {
      maskSecrets: true,
    });
    expect(result.text).not.toMatch(/AAAAAAAAAA/);
    expect(result.text).toContain('wpa-passphrase "<secret hidden>"');
    expect(result.text).toContain('peer-ip-address 10.42.0.3 ipsec <secret hidden>');
  });
});
