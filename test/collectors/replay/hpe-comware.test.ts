/** The HPE/H3C Comware collector against a replayed Oxidized recording of a real HPE 5130. */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../../src/collectors/index.js';
import { hpeComware } from '../../../src/collectors/vendors/hpe-comware.js';
import { isBackupError } from '../../../src/core/errors.js';
import type { RecordedSession } from '../../../src/testing/index.js';
import {
  backupRecording,
  expectLinesInOrder,
  readRecording,
  recordedReply,
} from './backup-recording.js';

const NAME = 'h3c#5130-48G_7.1.070';
const PROMPT = '<test5130st1>';
const COMMAND = 'display current-configuration\n';

/**
 * The recording holds a snippet of the configuration (from an Oxidized issue), without the final
 * `return` of a whole one. This is the same session with `return` after the snippet, as the
 * device prints it at the end of every configuration.
 */
function withReturn(recording: RecordedSession): RecordedSession {
  const commands = new Map(recording.commands);
  const reply = commands.get(COMMAND)!;
  const at = reply.lastIndexOf('\n') + 1;
  commands.set(COMMAND, `${reply.slice(0, at)}return\r\n${reply.slice(at)}`);
  return { initPrompt: recording.initPrompt, commands };
}

describe(`hpe-comware backs up ${NAME}`, () => {
  const recording = readRecording(NAME);

  it('refuses the recorded snippet as truncated: it lacks the final return', async () => {
    const error = await backupRecording(recording, hpeComware).catch((e: unknown) => e);
    if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
    expect(error.kind).toBe('truncated-output');
  });

  it('keeps every configuration line in order, with no echo, prompt or banner left', async () => {
    const whole = withReturn(recording);
    const { result, unknownCommands } = await backupRecording(whole, hpeComware);
    // The recording answers `screen-length disable` and `quit` too: nothing was missing.
    expect(unknownCommands).toEqual([]);
    const config = recordedReply(whole, COMMAND).split('\n');
    expectLinesInOrder(result.text, config, { prompt: PROMPT, pager: /---- More ----/ });
    expect(result.text).toBe(
      [
        '# Configuration snippet from Issue #3673',
        'interface GigabitEthernet1/0/43',
        ' port link-mode bridge',
        ' description VER-NIC2-[TRUNK]',
        '# End of snippet',
        'return',
        '',
      ].join('\n'),
    );
    expect(result.text).not.toContain('Hewlett Packard Enterprise');
    // Comware prints no volatile line: normalization drops nothing, any change is seen.
    const raw = recordedReply(whole, COMMAND);
    expect(normalizeConfig(hpeComware, raw).sha256).toBe(result.sha256);
    expect(normalizeConfig(hpeComware, raw.replace('TRUNK', 'TRUNK2')).sha256).not.toBe(
      result.sha256,
    );
  });
});
