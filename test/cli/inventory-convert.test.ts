/** `confsnap inventory convert` and `--format oxidized`: router.db to YAML, secrets kept out of it. */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/cli/inventory.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const ROUTER_DB = [
  'core-r1.example.net:routeros:backup:pw-core-1',
  'sw1:ios:netops:pw-sw\\:1',
  'odd1:zhone:backup:pw-odd',
  '',
].join('\n');

describe('confsnap inventory convert', () => {
  it('writes a YAML inventory without secrets, passwords in 0600 files of a 0700 directory', async () => {
    writeFileSync(join(dir, 'router.db'), ROUTER_DB);
    const run = await cli(['inventory', 'convert', 'router.db', '--out', 'hosts.yaml'], {
      cwd: dir,
    });
    expect(run.code).toBe(0);
    const yaml = readFileSync(join(dir, 'hosts.yaml'), 'utf8');
    expect(yaml).not.toMatch(/pw-/);
    expect(run.stdout() + run.stderr()).not.toMatch(/pw-/);
    expect(run.stderr()).toMatch(/warning: router\.db:3: odd1: model "zhone" is not known/);
    expect(statSync(join(dir, 'hosts.secrets')).mode & 0o777).toBe(0o700);
    const passwordFile = join(dir, 'hosts.secrets', 'sw1.password');
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);

    const converted = await loadInventory(join(dir, 'hosts.yaml'), { cwd: dir });
    const original = await loadInventory(join(dir, 'router.db'), { cwd: dir });
    expect(converted.devices).toEqual(original.devices);
    expect(converted.credentials.get('sw1')).toEqual({ username: 'netops', passwordFile });
    expect(readFileSync(passwordFile, 'utf8')).toBe('pw-sw:1\n');
  });

  it('keeps the groups and defaults of a YAML wrapper, enable secrets in a 0600 env file', async () => {
    writeFileSync(join(dir, 'nodes.csv'), 'r1;ios;core;en-1\nr2;ios;core;\n');
    writeFileSync(
      join(dir, 'oxidized.yaml'),
      [
        'format: oxidized',
        'source:',
        '  file: nodes.csv',
        "  delimiter: ';'",
        '  map: { name: 0, model: 1, group: 2 }',
        '  vars_map: { enable: 3 }',
        'defaults: { username: backup }',
        'groups:',
        '  core: { password_env: CORE_PASSWORD }',
        '',
      ].join('\n'),
    );
    const run = await cli(['inventory', 'convert', 'oxidized.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    const inventory = await loadInventory(join(dir, 'inventory.yaml'), { cwd: dir });
    expect(inventory.credentials.get('r1')).toEqual({
      username: 'backup',
      passwordEnv: 'CORE_PASSWORD',
      enableSecretEnv: 'ENABLE_R1',
    });
    const envFile = join(dir, 'inventory.secrets', 'enable.env');
    expect(readFileSync(envFile, 'utf8')).toBe("ENABLE_R1='en-1'\n");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(run.stdout()).toContain('enable.env');
    expect(run.stdout()).not.toContain('en-1');
  });

  it('writes a port column as a number', async () => {
    writeFileSync(join(dir, 'nodes.csv'), 'r1:192.0.2.1:ios:2222\n');
    writeFileSync(
      join(dir, 'oxidized.yaml'),
      [
        'format: oxidized',
        'source:',
        '  file: nodes.csv',
        '  map: { name: 0, ip: 1, model: 2 }',
        '  vars_map: { ssh_port: 3 }',
        'defaults: { username: backup, password_env: P }',
        '',
      ].join('\n'),
    );
    const run = await cli(['inventory', 'convert', 'oxidized.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    const written = readFileSync(join(dir, 'inventory.yaml'), 'utf8');
    expect(written).toMatch(/^\s+port: 2222$/m);
    const inventory = await loadInventory(join(dir, 'inventory.yaml'), { cwd: dir });
    expect(inventory.devices.find((d) => d.id === 'r1')?.port).toBe(2222);
  });

  it('overwrites nothing', async () => {
    writeFileSync(join(dir, 'router.db'), ROUTER_DB);
    writeFileSync(join(dir, 'inventory.yaml'), 'keep me\n');
    const run = await cli(['inventory', 'convert', 'router.db'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr()).toMatch(/inventory\.yaml exists already/);
    expect(readFileSync(join(dir, 'inventory.yaml'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(dir, 'inventory.secrets'))).toBe(false);
  });
});

describe('--format', () => {
  it('reads a file of any name as a router.db with --format oxidized', async () => {
    writeFileSync(join(dir, 'nodes.txt'), 'r1:routeros:backup:pw\n');
    const run = await cli(['inventory', 'convert', 'nodes.txt', '--format', 'oxidized'], {
      cwd: dir,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'inventory.yaml'), 'utf8')).toContain('id: r1');
  });

  it('refuses a format other than oxidized on backup', async () => {
    const run = await cli(
      ['backup', '--inventory', 'x.yaml', '--out', 'out', '--format', 'rancid'],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr()).toMatch(/--format must be oxidized/);
  });
});
