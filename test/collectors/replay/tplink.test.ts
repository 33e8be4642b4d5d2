/**
 * The TP-Link collector against a replay of a real DeltaStream DS-P7001-08 OLT session.
 *
 * The recording's commands were sent with `\r\n` (its `command_newline`), so its keys end in
 * `\r\n`; the replay reads a line up to `\n`. The test gives each reply under the key with `\n`.
 * The recording was edited by its author to start at the privileged `#` prompt (its own comment).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { tplink } from '../../../src/collectors/vendors/tplink.js';
import type { RecordedSession } from '../../../src/testing/index.js';
import {
  RECORDINGS_DIR,
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const NAME = 'tplink#DS-P7001-08_1.0.0';
const original = readRecording(NAME);
const recording: RecordedSession = {
  initPrompt: original.initPrompt,
  commands: new Map(
    [...original.commands].map(([key, reply]) => [key.replace(/\r\n$/, '\n'), reply]),
  ),
};
const COMMAND = 'show running-config\n';
const secrets = parse(readFileSync(`${RECORDINGS_DIR}${NAME}#secret.yaml`, 'utf8')) as {
  fail: string[];
};

describe('TP-Link: backing up a recorded session', () => {
  it('keeps every configuration line in order, with nothing the collector sent left unanswered', async () => {
    const { result, unknownCommands } = await backupRecording(recording, tplink);
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, recordedReply(recording, COMMAND).split('\n'), {
      prompt: 'RT_02-TPLink_OLT#',
      pager: /Press\s?any\s?key/,
    });
    expect(result.text.endsWith('\nend\n')).toBe(true);
    expect(result.text).not.toContain('show running-config');
  });

  it('has no volatile line: the same recording gives the same hash twice', async () => {
    const first = await backupRecording(recording, tplink);
    const second = await backupRecording(recording, tplink);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks the user secret Oxidized masks (its secret.yaml)', async () => {
    const { result } = await backupRecording(recording, tplink, { maskSecrets: true });
    for (const value of secrets.fail) expect(result.text).not.toContain(value);
    expect(result.text).toContain(`user name admin privilege admin secret 5 ${SECRET_PLACEHOLDER}`);
  });
});
