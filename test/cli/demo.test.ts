import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OUTPUT_MARKER, prepareDemoOutput } from '../../src/cli/demo.js';
import { cli, tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function workDir(): string {
  const { dir, cleanup } = tempDir('confsnap-demo-test-');
  cleanups.push(cleanup);
  return dir;
}

function marker(out: string): { madeBy: string; entries: string[] } {
  return JSON.parse(readFileSync(join(out, DEMO_OUTPUT_MARKER), 'utf8')) as {
    madeBy: string;
    entries: string[];
  };
}

describe('confsnap demo and an existing ./demo-output', () => {
  it('refuses a directory it did not make, exits 2 and deletes nothing', async () => {
    const cwd = workDir();
    const out = join(cwd, 'demo-output');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'my notes\n');

    const run = await cli(['demo'], { cwd });

    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(
      `confsnap demo: ${out} exists and was not made by confsnap demo`,
    );
    expect(run.stderr()).toContain('nothing was changed');
    expect(run.stdout()).not.toContain('backing up');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(existsSync(join(out, DEMO_OUTPUT_MARKER))).toBe(false);
  });

  it('refuses a regular file named demo-output and leaves it as it was', async () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'demo-output'), 'not a directory\n');

    const run = await cli(['demo'], { cwd });

    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('is not a directory the demo made');
    expect(readFileSync(join(cwd, 'demo-output'), 'utf8')).toBe('not a directory\n');
  });

  it('marks what it wrote, so a second run starts over, and keeps the marker out of git status', async () => {
    const cwd = workDir();
    const out = join(cwd, 'demo-output');

    const first = await cli(['demo'], { cwd });
    expect(first.code, first.all()).toBe(0);
    const written = marker(out);
    expect(written.madeBy).toBe('confsnap demo');
    expect(written.entries).toEqual(expect.arrayContaining(['.git', 'r1.cfg', 'r50.cfg']));
    expect(readFileSync(join(out, '.git', 'info', 'exclude'), 'utf8')).toContain(
      `/${DEMO_OUTPUT_MARKER}`,
    );

    // What the next `confsnap demo` does first: its own output is removed, nothing else is left.
    await prepareDemoOutput(out);
    expect(existsSync(join(out, 'r1.cfg'))).toBe(false);
    expect(existsSync(join(out, '.git'))).toBe(false);
    expect(marker(out).entries).toEqual([]);
  }, 180_000);
});

describe("a demo run's advice and files", () => {
  let cwd: string;
  let out: string;
  let demo: Awaited<ReturnType<typeof cli>>;
  // One run, shared by this block's tests; its dir is removed after the last one.
  let removeRun: () => void = () => {};
  afterAll(() => removeRun());
  beforeAll(async () => {
    const { dir, cleanup } = tempDir('confsnap-demo-test-');
    removeRun = cleanup;
    cwd = dir;
    out = join(cwd, 'demo-output');
    demo = await cli(['demo'], { cwd });
  }, 180_000);

  it('suggests a hostkeys reset command for the changed host key that works as printed', async () => {
    expect(demo.code, demo.all()).toBe(0);
    const suggested = /^\s*(confsnap hostkeys reset r27 .*)$/m.exec(demo.stdout())?.[1];
    expect(suggested).toBe(
      'confsnap hostkeys reset r27 --known-hosts demo-output/.confsnap-hostkeys.json',
    );
    const reset = await cli(suggested!.split(' ').slice(1), { cwd });
    expect(reset.stderr()).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.stdout()).toContain("Forgot r27's host key");
  });

  it("ends the repository's info/exclude with a newline, as git's own files do", () => {
    const exclude = readFileSync(join(out, '.git', 'info', 'exclude'), 'utf8');
    expect(JSON.stringify(exclude.slice(-40))).toMatch(/\\n"$/);
  });

  it('makes demo-output mode 0700 and its marker mode 0600', () => {
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, DEMO_OUTPUT_MARKER)).mode & 0o777).toBe(0o600);
  });
});

describe('prepareDemoOutput', () => {
  it('creates a missing directory and marks it', async () => {
    const out = join(workDir(), 'demo-output');
    await prepareDemoOutput(out);
    expect(marker(out)).toEqual({ madeBy: 'confsnap demo', entries: [] });
  });

  it('uses an empty directory, as docs/cli.md says, making it private', async () => {
    const out = join(workDir(), 'demo-output');
    mkdirSync(out, { mode: 0o755 });
    await prepareDemoOutput(out);
    expect(marker(out).entries).toEqual([]);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    const cliDoc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    expect(cliDoc).toMatch(/An empty `\.\/demo-output` is used/);
  });

  it("removes an earlier demo's entries, and only those", async () => {
    const out = join(workDir(), 'demo-output');
    mkdirSync(join(out, '.git'), { recursive: true });
    writeFileSync(join(out, 'r1.cfg'), 'config\n');
    writeFileSync(
      join(out, DEMO_OUTPUT_MARKER),
      JSON.stringify({ madeBy: 'confsnap demo', entries: ['.git', 'r1.cfg', 'r2.cfg'] }),
    );
    await prepareDemoOutput(out);
    expect(existsSync(join(out, 'r1.cfg'))).toBe(false);
    expect(existsSync(join(out, '.git'))).toBe(false);
    expect(marker(out).entries).toEqual([]);
  });

  it("refuses when a user added a file to an earlier demo's directory, deleting nothing", async () => {
    const out = join(workDir(), 'demo-output');
    mkdirSync(out);
    writeFileSync(join(out, 'r1.cfg'), 'config\n');
    writeFileSync(join(out, 'notes.txt'), 'my notes\n');
    writeFileSync(
      join(out, DEMO_OUTPUT_MARKER),
      JSON.stringify({ madeBy: 'confsnap demo', entries: ['r1.cfg'] }),
    );
    await expect(prepareDemoOutput(out)).rejects.toThrow(
      /holds an entry an earlier demo did not write \(notes\.txt\); the demo deletes only what it made/,
    );
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(join(out, 'r1.cfg'), 'utf8')).toBe('config\n');
  });

  it('does not trust a marker it cannot read', async () => {
    const out = join(workDir(), 'demo-output');
    mkdirSync(out);
    writeFileSync(join(out, 'r1.cfg'), 'config\n');
    writeFileSync(join(out, DEMO_OUTPUT_MARKER), '{"entries": ["r1.cfg"]}');
    await expect(prepareDemoOutput(out)).rejects.toThrow(/was not made by confsnap demo/);
    expect(existsSync(join(out, 'r1.cfg'))).toBe(true);
  });
});
