/**
 * The Cumulus collector against a replay of a real MSN2010 (Cumulus Linux 5.9.2, NVUE) session:
 * Oxidized's `custom_simulation.yaml` for its NVUE variant, whose `oxidized_output` is what
 * Oxidized stored from it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { cumulus } from '../../../src/collectors/vendors/cumulus.js';
import { parseOxidizedSimulation } from '../../../src/testing/index.js';
import { RECORDINGS_DIR, backupRecording, expectLinesInOrder } from './backup-recording.js';

const yaml = readFileSync(
  `${RECORDINGS_DIR}cumulus#MSN2010_5.9.2_nvue#custom_simulation.yaml`,
  'utf8',
);
const recording = parseOxidizedSimulation(yaml);
const stored = (parse(yaml) as { oxidized_output: string }).oxidized_output.split('\n');

describe('Cumulus Linux (NVUE): backing up a recorded session', () => {
  it('keeps every line Oxidized stored, in order, and no prompt or terminal escape', async () => {
    const { result, unknownCommands } = await backupRecording(recording, cumulus);
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, stored, { prompt: 'root@spine1-nyc2' });
    expect(result.text).not.toContain('\x1b');
    expect(result.text.startsWith('- header:\n')).toBe(true);
  });

  it('gives the same hash for the same configuration twice (NVUE prints no volatile line)', async () => {
    const first = await backupRecording(recording, cumulus);
    const second = await backupRecording(recording, cumulus);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks the user password hashes', async () => {
    const { result } = await backupRecording(recording, cumulus, { maskSecrets: true });
    expect(result.text).toContain(`hashed-password: ${SECRET_PLACEHOLDER}`);
    expect(result.text).not.toContain("hashed-password: '*'");
  });
});
