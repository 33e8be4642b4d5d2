/** The OPNsense collector against a replay of a real OPNsense 23.7 session (exec). */
import { describe, expect, it } from 'vitest';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { opnsense } from '../../../src/collectors/vendors/opnsense.js';
import { backupRecording, expectLinesInOrder, readRecording } from './backup-recording.js';

const recording = readRecording('opnsense#nano_23.7');
const COMMAND = 'cat /conf/config.xml\n';
// Exec: the reply is the file itself, no echo and no prompt.
const configLines = recording.commands.get(COMMAND)!.split('\n');

/** The recorded lines without the `<revision>` block, which the collector drops. */
function withoutRevision(lines: readonly string[]): string[] {
  const start = lines.indexOf('  <revision>');
  const end = lines.indexOf('  </revision>');
  expect(start).toBeGreaterThan(0);
  return [...lines.slice(0, start), ...lines.slice(end + 1)];
}

describe('OPNsense: backing up a recorded session', () => {
  it('keeps every configuration line in order, with nothing the collector sent left unanswered', async () => {
    const { result, unknownCommands } = await backupRecording(recording, opnsense);
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, withoutRevision(configLines));
    expect(result.text).not.toContain('<revision>');
    expect(result.text.endsWith('</opnsense>\n')).toBe(true);
  });

  it('keeps the hash when the revision (user, time, page of the last save) changes', async () => {
    const first = await backupRecording(recording, opnsense);
    const reply = recording.commands.get(COMMAND)!;
    const altered = reply
      .replace(/<time>[\d.]+<\/time>/, '<time>1800000000.1234</time>')
      .replace('<username>root@192.168.129.61</username>', '<username>ops@10.9.9.9</username>')
      .replace('/system_advanced_admin.php made changes', '/firewall_rules.php made changes');
    expect(altered).not.toBe(reply);
    const commands = new Map(recording.commands).set(COMMAND, altered);
    const second = await backupRecording({ ...recording, commands }, opnsense);
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks the password hashes, SNMP community, proxy password and certificate keys', async () => {
    const { result } = await backupRecording(recording, opnsense, { maskSecrets: true });
    expect(result.text).not.toContain('$2y$10$');
    expect(result.text).not.toMatch(/<prv>LS0t/);
    expect(result.text).toContain(`<rocommunity>${SECRET_PLACEHOLDER}</rocommunity>`);
    expect(result.text).toContain(`<snmp_password>${SECRET_PLACEHOLDER}</snmp_password>`);
    expect(result.text).toContain(`<password>${SECRET_PLACEHOLDER}</password>`);
  });
});
