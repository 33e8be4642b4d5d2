/**
 * Setup problems of `backup` and `run` — an output directory or pin file that cannot be written —
 * are found before any device is contacted (exit 2), and what the library warns about meanwhile
 * reaches stderr.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-preflight-5c1d';
const env = { ROUTER_PASSWORD: PASSWORD };
const isRoot = process.getuid?.() === 0;

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  for (const locked of lockedDirs.splice(0)) chmodSync(locked, 0o700);
  cleanup();
});

const lockedDirs: string[] = [];

/**
 * A directory in which no file can be created. Root may write anywhere its permission bits forbid,
 * so for root it is Linux's sysfs, which refuses new files to everyone.
 */
function unwritableDir(): string {
  if (isRoot) return '/sys';
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o500);
  lockedDirs.push(locked);
  return locked;
}
const canLockDir = !isRoot || (process.platform === 'linux' && existsSync('/sys/kernel'));

function inventoryOf(devices: object[]): string {
  return writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
    devices,
  });
}

function backup(inventory: string, out: string, ...extra: string[]) {
  return cli(['backup', '--inventory', inventory, '--out', out, ...extra], { env, cwd: dir });
}

describe.runIf(canLockDir)('a pin file that cannot be written', () => {
  it('stops backup with exit 2 and the path before any device is contacted', async () => {
    const router = await lab.start(PASSWORD);
    const pins = join(unwritableDir(), `confsnap-pins-${process.pid}.json`);
    const run = await backup(
      inventoryOf([entry('r1', router)]),
      join(dir, 'out'),
      '--known-hosts',
      pins,
    );
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(`the known-hosts file ${pins} cannot be written`);
    expect(run.stdout()).not.toContain('Backed up');
    expect(router.authAttempts).toBe(0);
  });

  it('stops run with exit 2 before its schedule starts', async () => {
    const router = await lab.start(PASSWORD);
    const pins = join(unwritableDir(), `confsnap-pins-${process.pid}.json`);
    const controller = new AbortController();
    // Should it start anyway, it would back up within a second and run until aborted.
    const timer = setTimeout(() => controller.abort(), 5_000);
    const run = await cli(
      [
        'run',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        join(dir, 'out'),
        '--interval',
        '1s',
        '--known-hosts',
        pins,
      ],
      { env, cwd: dir, signal: controller.signal },
    );
    clearTimeout(timer);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(`the known-hosts file ${pins} cannot be written`);
    expect(router.authAttempts).toBe(0);
  });
});

describe.runIf(canLockDir)('hostkeys and a pin file that cannot be written', () => {
  it('list still reads it; reset exits 2 naming it', async () => {
    const pins = join(unwritableDir(), `confsnap-pins-${process.pid}.json`);
    const list = await cli(['hostkeys', 'list', '--known-hosts', pins], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stderr()).toContain('No host keys are pinned yet');
    const reset = await cli(['hostkeys', 'reset', 'r1', '--known-hosts', pins], { cwd: dir });
    expect(reset.code).toBe(2);
    expect(reset.stderr()).toContain(`the known-hosts file ${pins} cannot be written`);
  });
});

describe('a pin file that can no longer be written during the backup', () => {
  it('is reported on stderr as the library warns about it', async () => {
    // The device answers slowly, so the pin file can be made unusable after the checks passed.
    const router = await lab.start(PASSWORD, { faults: { outputDelayMs: 1_500 } });
    const pins = join(dir, 'pins', 'hostkeys.json');
    const running = backup(
      inventoryOf([entry('r1', router)]),
      join(dir, 'out'),
      '--known-hosts',
      pins,
    );
    const deadline = Date.now() + 10_000;
    while (router.sessions === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // A directory where the pin file should be: reading it fails, so no pin can be stored.
    mkdirSync(pins, { recursive: true });
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr()).toMatch(/warning: r1: could not pin the host key; .*\(.*EISDIR/);
  });
});

describe('--out', () => {
  it('naming a regular file exits 2 and says so, not blaming the known-hosts file', async () => {
    const router = await lab.start(PASSWORD);
    const file = join(dir, 'configs.txt');
    writeFileSync(file, 'not a directory\n');
    const run = await backup(inventoryOf([entry('r1', router)]), file);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain(`--out ${file} is a file, not a directory`);
    expect(run.stderr()).not.toContain('known-hosts');
    expect(router.authAttempts).toBe(0);
  });

  it('under a regular file exits 2 before any device is contacted', async () => {
    const router = await lab.start(PASSWORD);
    const file = join(dir, 'configs.txt');
    writeFileSync(file, 'not a directory\n');
    const run = await backup(inventoryOf([entry('r1', router)]), join(file, 'out'));
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('a parent of it is a file');
    expect(router.authAttempts).toBe(0);
  });

  it.runIf(canLockDir)(
    'that cannot be written exits 2 before any device is contacted',
    async () => {
      const router = await lab.start(PASSWORD);
      const out = unwritableDir();
      const pins = join(dir, 'pins.json');
      const run = await backup(inventoryOf([entry('r1', router)]), out, '--known-hosts', pins);
      expect(run.code).toBe(2);
      expect(run.stderr()).toContain(`cannot write files in --out ${out}`);
      expect(router.authAttempts).toBe(0);
    },
  );
});

describe('files the CLI writes itself', () => {
  it('are mode 0600 in directories of mode 0700: the pin file and the directories it creates', async () => {
    const router = await lab.start(PASSWORD);
    const out = join(dir, 'new', 'out');
    const pins = join(dir, 'state', 'confsnap', 'pins.json');
    const run = await backup(inventoryOf([entry('r1', router)]), out, '--known-hosts', pins);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(pins, 'utf8'))).toHaveProperty('r1');
    expect(statSync(pins).mode & 0o777).toBe(0o600);
    for (const created of [
      join(dir, 'state'),
      join(dir, 'state', 'confsnap'),
      join(dir, 'new'),
      out,
    ]) {
      expect(statSync(created).mode & 0o777, created).toBe(0o700);
    }
  });

  it('tighten a world-readable pin file of an older version to 0600', async () => {
    const router = await lab.start(PASSWORD);
    const pins = join(dir, 'pins.json');
    writeFileSync(pins, '{}\n', { mode: 0o644 });
    chmodSync(pins, 0o644);
    const run = await backup(
      inventoryOf([entry('r1', router)]),
      join(dir, 'out'),
      '--known-hosts',
      pins,
    );
    expect(run.code).toBe(0);
    expect(statSync(pins).mode & 0o777).toBe(0o600);
  });
});

describe('an id too long for its file name', () => {
  it('stops backup with exit 2 naming the id length and the limit, before any device is contacted', async () => {
    const router = await lab.start(PASSWORD);
    const id = `r${'x'.repeat(253)}`; // 254 bytes: a valid id, but `<id>.cfg` is 258 bytes
    const run = await backup(inventoryOf([entry(id, router)]), join(dir, 'out'));
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('id: is 254 bytes');
    expect(run.stderr()).toContain('would be 258 bytes, over the 255 bytes a file name may have');
    expect(run.stderr()).toContain('at most 251 bytes');
    expect(run.stderr()).not.toContain('writable and has free space');
    expect(router.authAttempts).toBe(0);
  });

  it('counts the bytes that encoding adds: / becomes %2F', async () => {
    const router = await lab.start(PASSWORD);
    const id = `site/${'x'.repeat(246)}`; // 251 bytes, but its file name is 253 + 4
    const run = await backup(inventoryOf([entry(id, router)]), join(dir, 'out'));
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('id: is 251 bytes');
    expect(run.stderr()).toContain('would be 257 bytes');
    expect(router.authAttempts).toBe(0);
  });

  it('backs up a device whose id makes a file name of exactly 255 bytes', async () => {
    const router = await lab.start(PASSWORD);
    const id = `r${'x'.repeat(250)}`; // 251 bytes + .cfg = 255
    const run = await backup(inventoryOf([entry(id, router)]), join(dir, 'out'));
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'out', `${id}.cfg`))).toBe(true);
  });
});

describe('a setup that fails after --out was checked', () => {
  it('--git without git on the PATH exits 2 and leaves no --out behind', async () => {
    const router = await lab.start(PASSWORD);
    const out = join(dir, 'new', 'out');
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-binaries-here');
    let run;
    try {
      run = await backup(inventoryOf([entry('r1', router)]), out, '--git');
    } finally {
      process.env.PATH = path;
    }
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--git needs git on the PATH');
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(router.authAttempts).toBe(0);
  });

  it('an unreachable NATS exits 1 and leaves no --out behind', async () => {
    const router = await lab.start(PASSWORD);
    const out = join(dir, 'out');
    const run = await backup(
      inventoryOf([entry('r1', router)]),
      out,
      '--nats',
      'nats://127.0.0.1:1',
    );
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('cannot connect to NATS');
    expect(existsSync(out)).toBe(false);
  });

  it('run with an unreachable NATS leaves no --out behind either', async () => {
    const router = await lab.start(PASSWORD);
    const out = join(dir, 'out');
    const run = await cli(
      [
        'run',
        '--inventory',
        inventoryOf([entry('r1', router)]),
        '--out',
        out,
        '--nats',
        'nats://127.0.0.1:1',
      ],
      { env, cwd: dir },
    );
    expect(run.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('keeps an --out directory that existed before, and what is in it', async () => {
    const router = await lab.start(PASSWORD);
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'r9.cfg'), 'kept\n');
    const run = await backup(
      inventoryOf([entry('r1', router)]),
      out,
      '--nats',
      'nats://127.0.0.1:1',
    );
    expect(run.code).toBe(1);
    expect(readFileSync(join(out, 'r9.cfg'), 'utf8')).toBe('kept\n');
  });
});
