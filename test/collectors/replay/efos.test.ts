/** The EFOS collector against a replay of a real NetApp BES-53248 (EFOS 3.12.0.1) session. */
import { describe, expect, it } from 'vitest';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { efos } from '../../../src/collectors/vendors/efos.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const recording = readRecording('efos#BES-53248_3.12.0.1');
const COMMAND = 'show running-config\n';
const VOLATILE = /^!(?:System Up Time|Current System Time:)/;

describe('EFOS: backing up a recorded session', () => {
  it('enables, and keeps every configuration line in order with nothing left unanswered', async () => {
    // The account lands at `>`; this switch's enable asks for no password.
    const { result, unknownCommands } = await backupRecording(recording, efos, {}, '');
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, recordedReply(recording, COMMAND).split('\n'), {
      dropped: (line) => VOLATILE.test(line),
      prompt: '(Metro_Switch_A_1)',
      pager: /--More--/,
    });
    expect(result.text).not.toMatch(/System Up Time|Current System Time/);
  });

  it('keeps the hash when the uptime and the clock move', async () => {
    const first = await backupRecording(recording, efos, {}, '');
    const reply = recording.commands.get(COMMAND)!;
    const altered = reply
      .replace(/"146 days [^"]+"/, '"147 days 0 hrs 1 mins 2 secs"')
      .replace(/Current System Time: [^\r\n]+/, 'Current System Time: Apr  9 13:31:30 2025');
    expect(altered).not.toBe(reply);
    const commands = new Map(recording.commands).set(COMMAND, altered);
    const second = await backupRecording({ ...recording, commands }, efos, {}, '');
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks the user password and the SNMP community', async () => {
    const { result } = await backupRecording(recording, efos, { maskSecrets: true }, '');
    expect(result.text).toContain(
      `username "admin" password ${SECRET_PLACEHOLDER} encryption-type aes level 15 encrypted`,
    );
    expect(result.text).toContain(`snmp-server community ${SECRET_PLACEHOLDER} ro`);
  });
});
