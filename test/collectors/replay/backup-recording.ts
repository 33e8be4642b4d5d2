import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ConfigCollector } from '../../../src/collectors/index.js';
import { createCollectorRegistry } from '../../../src/collectors/index.js';
import type { Device } from '../../../src/core/device.js';
import { collectConfig, type CollectResult } from '../../../src/ssh/index.js';
import {
  parseOxidizedSimulation,
  startRecordedDevice,
  type RecordedSession,
} from '../../../src/testing/index.js';

/** Where the copied Oxidized recordings live (Apache-2.0; see the README there). */
export const RECORDINGS_DIR = fileURLToPath(
  new URL('../../fixtures/recordings/oxidized/', import.meta.url),
);

/** Reads `<name>#simulation.yaml` from the fixtures (e.g. `ironware#ICX7150-48Z-HPOE`). */
export function readRecording(name: string): RecordedSession {
  return parseOxidizedSimulation(readFileSync(`${RECORDINGS_DIR}${name}#simulation.yaml`, 'utf8'));
}

export interface RecordingBackup {
  readonly result: CollectResult;
  /** Commands the collector sent that the recording lacks. */
  readonly unknownCommands: readonly string[];
}

/**
 * Backs up a replayed recording with `collector` over real SSH on loopback, as the scheduler would
 * (collectConfig with the collector's registry). `device` overrides fields of the device record;
 * `enableSecret` is given for a collector with a privilege step.
 */
export async function backupRecording(
  recording: RecordedSession,
  collector: ConfigCollector,
  device: Partial<Device> = {},
  enableSecret?: string,
): Promise<RecordingBackup> {
  const replay = await startRecordedDevice(recording);
  try {
    const result = await collectConfig({
      device: {
        id: 'recorded-device',
        vendor: collector.vendor,
        host: replay.host,
        port: replay.port,
        ...device,
      },
      credentials: {
        username: 'admin',
        password: 'admin',
        ...(enableSecret === undefined ? {} : { enableSecret }),
      },
      collectors: createCollectorRegistry([collector]),
      commandTimeoutMs: 5_000,
      connectTimeoutMs: 5_000,
      timeLimitMs: 20_000,
    });
    return { result, unknownCommands: [...replay.unknownCommands] };
  } finally {
    await replay.close();
  }
}

/**
 * The recorded reply to `command` (the key as recorded, with its trailing newline), without the
 * echoed command line and the final prompt line.
 */
export function recordedReply(recording: RecordedSession, command: string): string {
  const reply = recording.commands.get(command);
  if (reply === undefined)
    throw new Error(`the recording has no reply to ${JSON.stringify(command)}`);
  const lines = reply.replace(/\r\n?/g, '\n').split('\n');
  return lines.slice(1, -1).join('\n');
}

/**
 * Asserts that every line of `expectedLines` (blank and `dropped` lines skipped) appears in
 * `text`, in order, and that no line of `text` holds the prompt or a pager remnant.
 */
export function expectLinesInOrder(
  text: string,
  expectedLines: readonly string[],
  options: { dropped?: (line: string) => boolean; prompt?: string; pager?: RegExp } = {},
): void {
  const actual = text.split('\n');
  let at = 0;
  for (const raw of expectedLines) {
    const line = raw.trimEnd();
    if (line === '' || options.dropped?.(line)) continue;
    const found = actual.indexOf(line, at);
    expect(found, `line missing or out of order: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(
      at,
    );
    at = found + 1;
  }
  for (const line of actual) {
    if (options.prompt)
      expect(line.includes(options.prompt), `prompt left in ${JSON.stringify(line)}`).toBe(false);
    if (options.pager)
      expect(options.pager.test(line), `pager left in ${JSON.stringify(line)}`).toBe(false);
  }
}
