/**
 * The SonicOS collector against Oxidized's SonicOS recording. That file is not a whole session:
 * its own comment says it holds snippets from old issues, and its `show current-config` reply is
 * empty. So the replay proves the dialog (prompt, `no cli pager session`, the command, no command
 * the recording lacks) and that an empty configuration is never published; the snippet lines
 * prove the volatile-line rules.
 */
import { describe, expect, it } from 'vitest';
import { createCollectorRegistry, normalizeConfig } from '../../../src/collectors/index.js';
import { sonicos } from '../../../src/collectors/vendors/sonicos.js';
import { isBackupError } from '../../../src/core/errors.js';
import { collectConfig } from '../../../src/ssh/index.js';
import { startRecordedDevice } from '../../../src/testing/index.js';
import { readRecording, recordedReply } from './backup-recording.js';

const recording = readRecording('sonicos#snippets');

describe('SonicOS: the recorded snippets', () => {
  it('sends only recorded commands, and refuses to publish the empty configuration', async () => {
    const replay = await startRecordedDevice(recording);
    try {
      const failure = await collectConfig({
        device: { id: 'recorded', vendor: 'sonicos', host: replay.host, port: replay.port },
        credentials: { username: 'admin', password: 'admin' },
        collectors: createCollectorRegistry([sonicos]),
        commandTimeoutMs: 5_000,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isBackupError(failure)).toBe(true);
      expect((failure as { kind: string }).kind).toMatch(/^(?:invalid-output|truncated-output)$/);
      expect(replay.unknownCommands).toEqual([]);
    } finally {
      await replay.close();
    }
  });

  it('drops the recorded system-uptime line, so a later uptime keeps the hash', () => {
    const snippet = recordedReply(recording, 'show version\n');
    expect(snippet).toContain('system-uptime "1 Day, 23 Hours');
    const config = (extra: string): string =>
      `${extra}\nadministration\n    firewall-name 012345\n    exit\n`;
    const first = normalizeConfig(sonicos, config(snippet));
    const later = normalizeConfig(
      sonicos,
      config(snippet.replace('1 Day, 23 Hours', '9 Days, 2 Hours')),
    );
    expect(first.text).not.toContain('system-uptime');
    expect(later.sha256).toBe(first.sha256);
  });
});
