/** The pfSense collector against a replay of a real pfSense CE 2.7.2 session (exec). */
import { describe, expect, it } from 'vitest';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { pfsense } from '../../../src/collectors/vendors/pfsense.js';
import { backupRecording, expectLinesInOrder, readRecording } from './backup-recording.js';

const recording = readRecording('pfsense#CE_2.7.2');
const COMMAND = 'cat /cf/conf/config.xml\n';
// Exec: the reply is the file itself, no echo and no prompt.
const configLines = recording.commands.get(COMMAND)!.split('\n');

/** The recorded lines without the `<revision>` block, which the collector drops. */
function withoutRevision(lines: readonly string[]): string[] {
  const start = lines.indexOf('\t<revision>');
  const end = lines.indexOf('\t</revision>');
  expect(start).toBeGreaterThan(0);
  return [...lines.slice(0, start), ...lines.slice(end + 1)];
}

describe('pfSense: backing up a recorded session', () => {
  it('keeps every configuration line in order, with nothing the collector sent left unanswered', async () => {
    const { result, unknownCommands } = await backupRecording(recording, pfsense);
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, withoutRevision(configLines));
    expect(result.text).not.toContain('<revision>');
    expect(result.text.endsWith('</pfsense>\n')).toBe(true);
  });

  it('keeps the hash when the revision (time, user, page of the last save) changes', async () => {
    const first = await backupRecording(recording, pfsense);
    const reply = recording.commands.get(COMMAND)!;
    const altered = reply
      .replace(/<time>\d+<\/time>/, '<time>1800000000</time>')
      .replace(/admin@192\.168\.248\.1/g, 'netops@10.9.9.9');
    expect(altered).not.toBe(reply);
    const commands = new Map(recording.commands).set(COMMAND, altered);
    const second = await backupRecording({ ...recording, commands }, pfsense);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks the password hash, SNMP community and certificate key Oxidized would mask', async () => {
    const { result } = await backupRecording(recording, pfsense, { maskSecrets: true });
    expect(result.text).not.toContain(
      '$2b$10$13u6qwCOwODv34GyCMgdWub6oQF3RX0rG7c3d3X4JvzuEmAXLYDd2',
    );
    expect(result.text).toContain(`<bcrypt-hash>${SECRET_PLACEHOLDER}</bcrypt-hash>`);
    expect(result.text).toContain(`<rocommunity>${SECRET_PLACEHOLDER}</rocommunity>`);
    expect(result.text).toContain(`<prv>${SECRET_PLACEHOLDER}</prv>`);
  });
});
