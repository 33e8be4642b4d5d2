/**
 * Real signals to the real program: the CLI entry (src/cli/main.ts) is built into a temp folder of
 * the checkout and run as a child process, as a shell or a service manager runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCli } from './built-cli.js';
import { entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-signals-62f0';
let main: string;
let removeBuild: (() => void) | undefined;

beforeAll(async () => {
  ({ main, remove: removeBuild } = await buildCli('signals'));
}, 120_000);
afterAll(() => removeBuild?.());

let dir: string;
let cleanup: () => void;
const lab = new Lab();
const children: ChildProcess[] = [];
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await lab.close();
  cleanup();
});

interface Program {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Program {
  const child = spawn(process.execPath, [main, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, ROUTER_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`stderr never matched ${String(pattern)}:\n${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

function inventory(devices: object[], name = 'inventory.yaml'): string {
  return writeInventory(
    dir,
    { defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' }, devices },
    name,
  );
}

describe('confsnap backup interrupted by a signal', () => {
  it.each([
    ['SIGINT', 130, 'interrupted by SIGINT (Ctrl-C)'],
    ['SIGTERM', 143, 'interrupted by SIGTERM'],
  ] as const)('%s exits %i and says it was interrupted', async (signal, exitCode, words) => {
    // A slow device, so that the backup is still in progress when the signal comes.
    const slow = await lab.start(PASSWORD, { faults: { outputDelayMs: 20_000 } });
    const program = start([
      'backup',
      '--inventory',
      inventory([entry('r1', slow)]),
      '--out',
      join(dir, 'out'),
    ]);
    await program.waitFor(/Backing up 1 device/);
    const deadline = Date.now() + 10_000;
    while (slow.sessions === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    program.child.kill(signal);
    expect(await program.exited).toEqual({ code: exitCode, signal: null });
    expect(program.stderr()).toContain(`confsnap: ${words}; 1 of 1 devices not backed up`);
    expect(program.stdout()).toContain(`r1: ${words} before it finished`);
    expect(program.stdout() + program.stderr()).not.toContain('cancelled by its caller');
  });
});

describe('confsnap run and SIGHUP', () => {
  it('re-reads the inventory instead of ending, and keeps the last good one when the new one is bad', async () => {
    const r1 = await lab.start(PASSWORD);
    const r2 = await lab.start(PASSWORD);
    const path = inventory([entry('r1', r1)]);
    const program = start([
      'run',
      '--inventory',
      path,
      '--out',
      join(dir, 'out'),
      '--interval',
      '1h',
    ]);
    await program.waitFor(/confsnap run: 1 device from/);

    inventory([entry('r1', r1), entry('r2', r2)]);
    program.child.kill('SIGHUP');
    await program.waitFor(/inventory re-read: 2 devices/);
    await program.waitFor(/added {3}r2/);

    writeFileSync(path, 'devices:\n  - id: r3\n    vendor: routeros\n');
    program.child.kill('SIGHUP');
    await program.waitFor(
      /the changed inventory cannot be used; keeping the last good one \(2 devices\)/,
    );
    await program.waitFor(/devices\[0\] \(r3\): host: is missing/);
    expect(program.child.exitCode).toBeNull();

    program.child.kill('SIGTERM');
    expect(await program.exited).toEqual({ code: 0, signal: null });
    expect(program.stderr()).toMatch(/stopped\n$/);
    expect(program.stderr()).not.toContain('removed r1');
  });
});
