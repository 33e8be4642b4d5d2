/** The Aruba Instant collector against a replayed Oxidized recording of a real IAP-515 cluster. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normalizeConfig, SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { arubaInstant } from '../../../src/collectors/vendors/aruba-instant.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
  RECORDINGS_DIR,
} from './backup-recording.js';

const NAME = 'arubainstant#IAP515_8.10.0.6_VWLC';
const PROMPT = 'OXRO-AP111117#';
const COMMAND = 'show running-config no-encrypt\n';

/** Oxidized's `secret.yaml`: values no masked output may show, lines it must show. */
const secrets = parse(readFileSync(`${RECORDINGS_DIR}${NAME}#secret.yaml`, 'utf8')) as {
  fail: string[];
  pass: string[];
};

describe(`aruba-instant backs up ${NAME}`, () => {
  const recording = readRecording(NAME);

  it('keeps every configuration line in order, with no echo, prompt or banner left', async () => {
    const { result, unknownCommands } = await backupRecording(recording, arubaInstant);
    expect(unknownCommands).toEqual([]);
    const config = recordedReply(recording, COMMAND).split('\n');
    expectLinesInOrder(result.text, config, { prompt: PROMPT });
    expect(result.text.startsWith('version 8.10.0.0-8.10.0\nsyslocation OXIDIZED\n')).toBe(true);
    expect(result.text).not.toContain('show tech-support');
    expect(result.text).not.toContain('no-encrypt');
    expect(result.deviceVersion).toBe('8.10.0.0-8.10.0');
    // Instant prints no volatile line: nothing is dropped, any change is seen.
    const raw = recordedReply(recording, COMMAND);
    expect(normalizeConfig(arubaInstant, raw).sha256).toBe(result.sha256);
    expect(normalizeConfig(arubaInstant, raw.replace('vlan 123', 'vlan 124')).sha256).not.toBe(
      result.sha256,
    );
  });

  it("masks what Oxidized's secret.yaml says it must", async () => {
    const { result } = await backupRecording(recording, arubaInstant, { maskSecrets: true });
    for (const value of secrets.fail) expect(result.text).not.toContain(value);
    for (const line of secrets.pass) {
      const ours = line.replace('<secret removed>', SECRET_PLACEHOLDER);
      expect(result.text.split('\n')).toContain(ours);
    }
    expect(result.secretsMasked).toBe(true);
  });
});
