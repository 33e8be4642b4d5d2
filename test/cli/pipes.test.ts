/**
 * Closed output pipes: the real program (src/cli/main.ts, built into a temp folder of the checkout)
 * in a shell pipeline whose reader stops early, as `| head` does.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCli } from './built-cli.js';
import { entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-pipes-7a3e';
let main: string;
let removeBuild: (() => void) | undefined;

beforeAll(async () => {
  ({ main, remove: removeBuild } = await buildCli('pipes'));
}, 120_000);
afterAll(() => removeBuild?.());

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

/**
 * Runs `confsnap ARGS REDIRECT | READER` in bash; resolves with confsnap's own exit code (not the
 * reader's) and what reached the terminal's stderr.
 */
function pipeline(
  args: string[],
  reader: string,
  redirect = '',
): Promise<{ code: number; stderr: string; stdout: string }> {
  const quoted = [process.execPath, main, ...args].map((arg) => `'${arg}'`).join(' ');
  const script = `${quoted} ${redirect} | ${reader}; exit "\${PIPESTATUS[0]}"`;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { cwd: dir, env: { PATH: process.env.PATH, ROUTER_PASSWORD: PASSWORD }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A pin file with enough pins that `list` writes far more than a pipe buffer holds. */
function manyPins(): string {
  const pins: Record<string, string> = {};
  for (let index = 0; index < 5_000; index++) {
    pins[`device-${String(index).padStart(5, '0')}`] =
      `SHA256:${'A'.repeat(38)}${String(index).padStart(5, '0')}`;
  }
  const path = join(dir, 'pins.json');
  writeFileSync(path, JSON.stringify(pins), { mode: 0o600 });
  return path;
}

describe('a reader that stops early', () => {
  it('hostkeys list | head -3 prints three lines and exits 0 without a stack trace', async () => {
    const run = await pipeline(['hostkeys', 'list', '--known-hosts', manyPins()], 'head -3');
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^DEVICE\s+FINGERPRINT$/) as string,
      expect.stringMatching(/^device-00000\s+SHA256:/) as string,
      expect.stringMatching(/^device-00001\s+SHA256:/) as string,
    ]);
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.code).toBe(0);
  });

  it('hostkeys list --json | head -c 10 exits 0 without a stack trace', async () => {
    const run = await pipeline(
      ['hostkeys', 'list', '--json', '--known-hosts', manyPins()],
      'head -c 10',
    );
    expect(run.stdout).toBe('{"device-0');
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.code).toBe(0);
  });

  it('backup 2>/dev/null | head -c 0 exits 0 when every device was backed up', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const run = await pipeline(
      ['backup', '--inventory', inventory, '--out', join(dir, 'out')],
      'head -c 0',
      '2>/dev/null',
    );
    expect(run.code).toBe(0);
    expect(router.sessions).toBe(1);
  });

  it('backup 2>&1 | head -c 0 exits 0: a closed stderr is no failure either', async () => {
    const router = await lab.start(PASSWORD);
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('r1', router)],
    });
    const run = await pipeline(
      ['backup', '--inventory', inventory, '--out', join(dir, 'out')],
      'head -c 0',
      '2>&1',
    );
    expect(run.code).toBe(0);
  });
});
