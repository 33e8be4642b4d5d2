/** The Firepower FTD collector against a replay of a real FPR-1010 (FTD 7.4.2) session. */
import { describe, expect, it } from 'vitest';
import { firelinuxos } from '../../../src/collectors/vendors/firelinuxos.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const recording = readRecording('firelinuxos#FPR-1010_7.4.2');
const COMMAND = 'show running-config all\n';

describe('Firepower FTD: backing up a recorded session', () => {
  it('keeps every configuration line in order, with nothing the collector sent left unanswered', async () => {
    const { result, unknownCommands } = await backupRecording(recording, firelinuxos);
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, recordedReply(recording, COMMAND).split('\n'), {
      dropped: (line) => line === ': Saved',
      pager: /<--- More --->/,
    });
    expect(result.text).not.toContain(': Saved');
    expect(result.text).not.toMatch(/^>/m);
    expect(result.text.endsWith('\n: end\n')).toBe(true);
  });

  it('keeps the hash when a save stamp and the NTP clock period appear', async () => {
    const first = await backupRecording(recording, firelinuxos);
    const reply = recording.commands.get(COMMAND)!;
    const altered = reply
      .replace(': Saved\n', ': Saved\n: Written by enable_15 at 09:21:45.120 UTC Thu Jul 10 2025\n')
      .replace('hostname FPR-12345\n', 'hostname FPR-12345\nntp clock-period 17179870\n');
    expect(altered).not.toBe(reply);
    const commands = new Map(recording.commands).set(COMMAND, altered);
    const second = await backupRecording({ ...recording, commands }, firelinuxos);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks the enable password field, which the device already prints as *****', async () => {
    const { result } = await backupRecording(recording, firelinuxos, { maskSecrets: true });
    expect(result.text).toContain('enable password <secret hidden> encrypted');
    expect(result.secretsMasked).toBe(true);
  });
});
