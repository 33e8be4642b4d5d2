/**
 * The Onyx collector against a replay of a real Onyx 3.9.2504 session (shell, `enable`).
 *
 * The recording cannot be replayed line by line as it was stored, so the test repairs three
 * things, each a property of how it was recorded rather than of the switch:
 * - the reply to `no cli session paging enable` lacks the echo every other reply starts with, and
 *   was recorded before `enable` (Oxidized's order; confsnap enables first), so it ends in `>`;
 * - the switch was recorded with its pager on: `show running-config` is followed by 14 replies to
 *   the keystroke `" "` (keys without a newline, which a line-by-line replay cannot match, and one
 *   page's prompt is not at the end of its reply). The test joins the pages as the switch prints
 *   them once paging is off: the reply, then each page without its `lines N-M` prompt and erase;
 * - the last reply ends in a prompt with a host name (`hsb2-slf-3-6 [standalone: master] #`)
 *   where every earlier one has none, and `exit` is recorded as the key `"\nexit\n"`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SECRET_PLACEHOLDER } from '../../../src/collectors/index.js';
import { mlnxos } from '../../../src/collectors/vendors/mlnxos.js';
import { unescapeRubyString, type RecordedSession } from '../../../src/testing/index.js';
import { RECORDINGS_DIR, backupRecording, expectLinesInOrder } from './backup-recording.js';

const NAME = 'mlnxos#Onyx_3.9.2504';
const steps = (
  parse(readFileSync(`${RECORDINGS_DIR}${NAME}#simulation.yaml`, 'utf8')) as {
    commands: Record<string, string>[];
  }
).commands.map((entry) => {
  const [key, reply] = Object.entries(entry)[0]!;
  return [key, unescapeRubyString(reply)] as const;
});
const initPrompt = unescapeRubyString(
  (
    parse(readFileSync(`${RECORDINGS_DIR}${NAME}#simulation.yaml`, 'utf8')) as {
      init_prompt: string;
    }
  ).init_prompt,
);
const PAGER = /\x1b\[7mlines \d+-\d+ ?(?:\x1b\[m\x1b\[K\r\x1b\[K)?/g;

function repaired(alter: (running: string) => string = (text) => text): RecordedSession {
  const commands = new Map<string, string>();
  let running = '';
  for (const [key, reply] of steps) {
    if (key === ' ') running += reply;
    else if (key === 'show running-config\n') running = reply;
    else if (key === '\nexit\n') commands.set('exit\n', reply);
    else if (key === 'no cli session paging enable\n')
      commands.set(key, `${key.trim()}\r\n${reply.replace(/> $/, '# ')}`);
    else commands.set(key, reply);
  }
  const joined = running
    .replace(PAGER, '')
    .replace(/^\x1b\[m\x1b\[K\r\x1b\[K/gm, '')
    .replace('\rhsb2-slf-3-6 [standalone: master] # ', '\r [standalone: master] # ');
  commands.set('show running-config\n', alter(joined));
  return { initPrompt, commands };
}

/** The configuration lines Oxidized stored, from the running-config header on. */
const stored = readFileSync(`${RECORDINGS_DIR}${NAME}#output.txt`, 'utf8').split('\n');
const configLines = stored.slice(stored.indexOf('## Running database "initial"'));

describe('Onyx: backing up a recorded session', () => {
  it('keeps every configuration line Oxidized stored, in order, and no pager or prompt', async () => {
    const { result, unknownCommands } = await backupRecording(repaired(), mlnxos, {}, '');
    expect(unknownCommands).toEqual([]);
    expectLinesInOrder(result.text, configLines, {
      prompt: '[standalone: master]',
      pager: /lines \d+-\d+/,
    });
    expect(result.text).not.toContain('\x1b');
    expect(result.text).not.toContain('## Generated at');
  });

  it('keeps the hash when the time of the read changes', async () => {
    const first = await backupRecording(repaired(), mlnxos, {}, '');
    const second = await backupRecording(
      repaired((text) =>
        text.replace(/## Generated at [^\r\n]+/, '## Generated at 2026/01/01 00:00:00 +0000'),
      ),
      mlnxos,
      {},
      '',
    );
    expect(second.result.sha256).toBe(first.result.sha256);
  });

  it('masks what the switch prints of RADIUS and TACACS+ keys', async () => {
    const { result } = await backupRecording(repaired(), mlnxos, { maskSecrets: true }, '');
    expect(result.text).toContain(`# radius-server key ${SECRET_PLACEHOLDER}`);
    expect(result.text).toContain(`# tacacs-server key ${SECRET_PLACEHOLDER}`);
  });
});
