/** The Netgear collector against a replay of a real GS752TPP (firmware 6.0.10.14) session. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { netgear } from '../../../src/collectors/vendors/netgear.js';
import {
  RECORDINGS_DIR,
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const NAME = 'netgear#GS752TPP_6.0.10.14';
const recording = readRecording(NAME);
const COMMAND = 'show running-config\n';
const VOLATILE = /^! System Up Time: /;
const secrets = parse(readFileSync(`${RECORDINGS_DIR}${NAME}#secret.yaml`, 'utf8')) as {
  fail: string[];
  pass: string[];
};

describe('Netgear: backing up a recorded session', () => {
  it('keeps every configuration line in order, with nothing the collector sent left unanswered', async () => {
    const { result, unknownCommands } = await backupRecording(recording, netgear);
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, recordedReply(recording, COMMAND).split('\n'), {
      dropped: (line) => VOLATILE.test(line),
      prompt: '19sw011#',
      pager: /--More--/,
    });
    expect(result.text).not.toMatch(/System Up Time/);
    expect(result.text).not.toContain('show running-config');
  });

  it('keeps the hash when the uptime changes', async () => {
    const first = await backupRecording(recording, netgear);
    const reply = recording.commands.get(COMMAND)!;
    const altered = reply.replace(/System Up Time: [^\r\n]+/, 'System Up Time: 200 days, 1 hours');
    expect(altered).not.toBe(reply);
    const commands = new Map(recording.commands).set(COMMAND, altered);
    const second = await backupRecording({ ...recording, commands }, netgear);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks what Oxidized masks in this recording (its secret.yaml)', async () => {
    const { result } = await backupRecording(recording, netgear, { maskSecrets: true });
    for (const value of secrets.fail) expect(result.text).not.toContain(value);
    for (const line of secrets.pass) {
      expect(result.text).toContain(line.replace('<hidden>', SECRET_PLACEHOLDER));
    }
  });
});
