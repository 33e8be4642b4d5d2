/** What a backup shows while it runs, and the JSON summary's exact shape. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { summarize, summaryJson, type DeviceResult } from '../../src/cli/summary.js';
import { captureIo } from './helpers.js';

const ok = (id: string, changed: boolean): DeviceResult => ({
  id,
  status: 'success',
  sha256: 'a'.repeat(64),
  changed,
  durationMs: 120,
});
const failed: DeviceResult = {
  id: 'r3',
  status: 'failed',
  kind: 'auth-failed',
  message: 'r3: rejected the credentials',
  durationMs: 80,
};

describe('progress', () => {
  it('draws one live line on a terminal: done/total, ok, failed, changed, rate and ETA', () => {
    const captured = captureIo({ isTTY: true, columns: 120 });
    let now = 0;
    const progress = createProgress(captured.io, ['r1', 'r2', 'r3', 'r4'], () => now);
    now = 1_000;
    progress.deviceDone(ok('r1', true));
    progress.deviceDone(failed);
    progress.stop();
    const frames = captured.stderr().split('\r\x1b[2K');
    expect(frames).toContain('confsnap 2/4  ok 1  failed 1  changed 1  2.0/s  ETA 1.0 s');
    expect(captured.stderr().endsWith('\r\x1b[2K')).toBe(true);
    expect(captured.stderr()).not.toContain('\n');
  });

  it('shows a warning on a line of its own above the live line, then draws the line again', () => {
    const captured = captureIo({ isTTY: true, columns: 120 });
    const progress = createProgress(captured.io, ['r1', 'r2'], () => 0);
    progress.note('warning: r1: could not pin the host key');
    progress.stop();
    expect(captured.stderr()).toContain(
      '\r\x1b[2Kwarning: r1: could not pin the host key\n\r\x1b[2Kconfsnap 0/2',
    );
  });

  it('writes one plain line per device when stderr is not a terminal', () => {
    const captured = captureIo({ isTTY: false });
    const progress = createProgress(captured.io, ['r1', 'r3']);
    progress.deviceDone(ok('r1', false));
    progress.deviceDone(failed);
    progress.stop();
    expect(captured.stderr()).toBe(
      `[1/2] ok      r1  unchanged  sha256 aaaaaaaaaaaa  120 ms\n` +
        `[2/2] failed  r3  auth-failed  r3: rejected the credentials\n`,
    );
  });

  it('writes plain lines on a terminal that says it is dumb', () => {
    const captured = captureIo({ isTTY: true, env: { TERM: 'dumb' } });
    const progress = createProgress(captured.io, ['r1']);
    progress.deviceDone(ok('r1', true));
    progress.stop();
    expect(captured.stderr()).toMatch(/^\[1\/1\] ok/);
  });
});

describe('the JSON summary', () => {
  it('has exactly the documented fields and no message', () => {
    const json = JSON.parse(
      summaryJson(summarize([ok('r1', true), ok('r2', false), failed])),
    ) as unknown;
    expect(json).toEqual({
      total: 3,
      succeeded: 2,
      failed: 1,
      changed: 1,
      unchanged: 1,
      telnet: 0,
      devices: [
        {
          id: 'r1',
          status: 'success',
          transport: 'ssh',
          sha256: 'a'.repeat(64),
          changed: true,
          durationMs: 120,
        },
        {
          id: 'r2',
          status: 'success',
          transport: 'ssh',
          sha256: 'a'.repeat(64),
          changed: false,
          durationMs: 120,
        },
        { id: 'r3', status: 'failed', transport: 'ssh', kind: 'auth-failed', durationMs: 80 },
      ],
    });
  });
});
