/** The files `confsnap backup` leaves in --out: names from device ids, modes, and the git view. */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-2b9e41d07c5a13';

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

describe('confsnap backup output files', () => {
  it('backs up FQDN ids, then turned to --git over the same files reports nothing changed and a clean work tree', async () => {
    const router = await lab.start(PASSWORD, { vendor: 'routeros' });
    const sw = await lab.start(PASSWORD, { vendor: 'cisco-ios' });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('edge-r1.example.net', router), entry('core-sw1.example.net', sw)],
    });
    const out = join(dir, 'out');
    const backup = (...extra: string[]) =>
      cli(['backup', '--inventory', inventory, '--out', out, ...extra], {
        env: { ROUTER_PASSWORD: PASSWORD },
        cwd: dir,
      });

    const first = await backup();
    expect(first.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      '.confsnap-hostkeys.json',
      'core-sw1.example.net.cfg',
      'edge-r1.example.net.cfg',
    ]);

    const withGit = await backup('--git');
    expect(withGit.code).toBe(0);
    expect(withGit.stdout()).toContain('0 changed, 2 unchanged, 0 failed.');
    const status = execFileSync('git', ['-C', out, 'status', '--porcelain'], { encoding: 'utf8' });
    expect(status).toBe('');

    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, '.git')).mode & 0o777).toBe(0o700);
    for (const name of ['core-sw1.example.net.cfg', 'edge-r1.example.net.cfg']) {
      expect(statSync(join(out, name)).mode & 0o777).toBe(0o600);
    }
  });

  it('keeps a --known-hosts file inside a --git output out of git status', async () => {
    const router = await lab.start(PASSWORD, { vendor: 'routeros' });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      devices: [entry('edge-r1', router)],
    });
    const out = join(dir, 'out');
    const result = await cli(
      [
        'backup',
        '--inventory',
        inventory,
        '--out',
        out,
        '--git',
        '--known-hosts',
        join(out, 'pins.json'),
      ],
      { env: { ROUTER_PASSWORD: PASSWORD }, cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(readdirSync(out)).toContain('pins.json');
    const status = execFileSync('git', ['-C', out, 'status', '--porcelain'], { encoding: 'utf8' });
    expect(status).toBe('');
    const tracked = execFileSync('git', ['-C', out, 'ls-files'], { encoding: 'utf8' });
    expect(tracked.trim()).toBe('edge-r1.cfg');
  });
});
