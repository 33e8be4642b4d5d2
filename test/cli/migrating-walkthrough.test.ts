/**
 * docs/migrating.md's walk-through from Oxidized, followed literally: its router.db, its YAML and its
 * shell lines, run with the CLI against simulated devices on 127.0.0.1 standing in for the
 * documentation addresses and ports.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../src/cli/args.js';
import { loadInventory } from '../../src/cli/inventory.js';
import { buildCli } from './built-cli.js';
import { cli, Lab, tempDir } from './helpers.js';

const doc = readFileSync(
  fileURLToPath(new URL('../../docs/migrating.md', import.meta.url)),
  'utf8',
);

/** The code block right after `<!-- walkthrough: NAME -->`. */
function block(name: string): string {
  const match = new RegExp(`<!-- walkthrough: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(
    doc,
  );
  if (match === null) throw new Error(`docs/migrating.md has no "walkthrough: ${name}" block`);
  return match[1]!;
}

/** The block's non-empty lines. */
function lines(name: string): string[] {
  return block(name)
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** `confsnap a b c` as argv (the doc's commands quote nothing). */
function argvOf(line: string): string[] {
  expect(line.startsWith('confsnap ')).toBe(true);
  return line.split(/\s+/).slice(1);
}

/** The built program, for the daemon of step 4, which runs until its SIGTERM. */
let main: string;
let removeBuild: (() => void) | undefined;
beforeAll(async () => {
  ({ main, remove: removeBuild } = await buildCli('walkthrough'));
}, 120_000);
afterAll(() => removeBuild?.());

/**
 * Runs `argv` as a process of its own until its stderr matches `ready`, then sends SIGTERM;
 * resolves with how it exited and what it wrote.
 */
async function runUntil(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string>; ready: RegExp; timeoutMs: number },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [main, ...argv], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    const deadline = Date.now() + options.timeoutMs;
    while (!options.ready.test(stderr)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`stderr never matched ${String(options.ready)}:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGTERM');
    return { ...(await exited), stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir('confsnap-walkthrough-')));
afterEach(async () => {
  await lab.close();
  cleanup();
});

describe("docs/migrating.md's walk-through from Oxidized", () => {
  it('backs up from the router.db, converts, pushes, runs, shows and diffs as documented', async () => {
    const env: Record<string, string> = {};
    const run = (line: string) => cli(argvOf(line), { cwd: dir, env });

    // The documented passwords and enable secret, from the doc's own lines.
    const exports = lines('backup').filter((line) => line.startsWith('export '));
    for (const line of exports) {
      const [, name, value] = /^export (\w+)='([^']*)'$/.exec(line)!;
      env[name!] = value!;
    }
    expect(Object.keys(env)).toEqual(['CORE_PASSWORD', 'EDGE_PASSWORD']);

    // router.db: each node on its own simulated device, with the vendor, password and enable
    // secret the doc gives it; its documentation address and port replaced by the device's.
    const routerDb = block('router.db');
    const vendors: Record<string, 'cisco-ios' | 'routeros'> = {
      ios: 'cisco-ios',
      routeros: 'routeros',
    };
    const devices = new Map<string, Awaited<ReturnType<Lab['start']>>>();
    const replaced: string[] = [];
    for (const line of routerDb.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') {
        replaced.push(line);
        continue;
      }
      const columns = line.split(':');
      const [name, address, model, group, enable] = columns;
      expect(address).toMatch(/^(192\.0\.2|198\.51\.100)\.\d+$/);
      const device = await lab.start(env[`${group!.toUpperCase()}_PASSWORD`]!, {
        vendor: vendors[model!]!,
        ...(enable ? { privilege: { enableSecret: enable } } : {}),
      });
      devices.set(name!, device);
      columns[1] = device.host;
      columns[5] = String(device.port);
      replaced.push(columns.join(':'));
    }
    expect([...devices.keys()]).toEqual(['core-sw1.example.net', 'edge-r1.example.net']);
    writeFileSync(join(dir, 'router.db'), replaced.join('\n'));
    writeFileSync(join(dir, 'oxidized.yaml'), block('oxidized.yaml'));

    // Step 1: the backup from the router.db as it is.
    const [backupLine, ...restOfBackup] = lines('backup').filter(
      (line) => !line.startsWith('export '),
    );
    expect(restOfBackup).toEqual([]);
    const first = await run(backupLine!);
    expect(first.all()).toContain('2 changed, 0 unchanged, 0 failed');
    expect(first.all()).toContain('Secrets masked');
    expect(first.code).toBe(0);
    for (const id of devices.keys()) {
      const file = join(dir, 'configs', `${id}.cfg`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(dir, 'configs')).mode & 0o777).toBe(0o700);
    expect(first.all()).not.toMatch(/core-secret|edge-secret|en-core-1/);

    // Step 2: convert, load the enable secrets, back up from the YAML.
    const [convertLine, sourceLine, secondLine, ...restOfConvert] = lines('convert');
    expect(restOfConvert).toEqual([]);
    const converted = await run(convertLine!);
    expect(converted.code).toBe(0);
    expect(converted.stdout()).toContain('inventory.secrets/enable.env');
    const inventory = readFileSync(join(dir, 'inventory.yaml'), 'utf8');
    expect(inventory).not.toMatch(/core-secret|edge-secret|en-core-1/);
    const envFile = /^set -a; \. (\S+); set \+a$/.exec(sourceLine!)![1]!;
    for (const line of readFileSync(join(dir, envFile), 'utf8').split('\n')) {
      const match = /^(\w+)='([^']*)'$/.exec(line);
      if (match) env[match[1]!] = match[2]!;
    }
    expect(Object.values(env)).toContain('en-core-1');
    const second = await run(secondLine!);
    expect(second.all()).toContain('0 changed, 2 unchanged, 0 failed');
    expect(second.code).toBe(0);

    // Step 3: the remote (a local bare repository for the doc's URL), then a push.
    const [remoteLine, pushLine, ...restOfPush] = lines('push');
    expect(restOfPush).toEqual([]);
    const bare = join(dir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', bare]);
    const remoteArgs = remoteLine!.split(/\s+/).slice(1);
    expect(remoteArgs.at(-1)).toBe('git@git.example.net:net/configs.git');
    execFileSync('git', [...remoteArgs.slice(0, -1), bare], { cwd: dir });
    const pushed = await run(pushLine!);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr()).toMatch(/git push to origin: pushed /);
    const remoteLog = execFileSync('git', ['--git-dir', bare, 'log', '--all', '--format=%s'], {
      encoding: 'utf8',
    });
    for (const id of devices.keys()) expect(remoteLog).toContain(`${id}: `);

    // Step 4: the daemon's command line means what the doc says; started as a process of its
    // own, it backs up (each device's first backup comes within a minute) and stops cleanly on
    // SIGTERM.
    const [runLine, ...restOfRun] = lines('run');
    expect(restOfRun).toEqual([]);
    const runArgs = parseRunArgs(argvOf(runLine!).slice(1), dir);
    expect(runArgs).toMatchObject({
      intervalMs: 3_600_000,
      concurrency: 30,
      git: true,
      gitPush: 'origin',
      inventory: join(dir, 'inventory.yaml'),
    });
    const daemon = await runUntil(argvOf(runLine!), {
      cwd: dir,
      env,
      ready: /ok +(?:core-sw1|edge-r1)\.example\.net +unchanged/,
      timeoutMs: 75_000,
    });
    expect(daemon.stderr).toContain('confsnap run: 2 devices from');
    expect(daemon.stderr).toMatch(/stopped\n$/);
    expect(daemon).toMatchObject({ code: 0, signal: null });
    expect(daemon.stderr).not.toMatch(/core-secret|edge-secret|en-core-1|failed/);

    // Step 5: show prints the latest config; diff says it was committed once.
    const [showLine, diffLine, ...restOfShow] = lines('show');
    expect(restOfShow).toEqual([]);
    const shown = await run(showLine!);
    expect(shown.code).toBe(0);
    expect(shown.stdout()).toBe(
      readFileSync(join(dir, 'configs', 'core-sw1.example.net.cfg'), 'utf8'),
    );
    expect(shown.stdout()).not.toBe('');
    const diffed = await run(diffLine!);
    expect(diffed.stderr()).toContain('no earlier version of "core-sw1.example.net"');
    expect(diffed.code).toBe(1);
    expect(existsSync(join(dir, 'inventory.secrets'))).toBe(true);
  }, 180_000);

  it("takes the groups example's vars and mask_secrets as documented", async () => {
    // The doc's block, with one device in each group.
    writeFileSync(
      join(dir, 'inventory.yaml'),
      `${block('groups')}devices:\n` +
        '  - { id: c1, host: 192.0.2.11, vendor: cisco-ios, group: core, vars: { rack: r9 } }\n' +
        '  - { id: l1, host: 192.0.2.31, vendor: routeros, group: lab }\n',
    );
    const inventory = await loadInventory('inventory.yaml', { cwd: dir });
    expect(inventory.devices.map((d) => [d.id, d.vars, d.maskSecrets])).toEqual([
      ['c1', { site: 'ams1', tier: 'core', rack: 'r9' }, undefined],
      ['l1', { site: 'ams1' }, false],
    ]);
  });

  it('maps every setting of the Oxidized config it starts from', () => {
    const table = doc.slice(doc.indexOf('### Every Oxidized setting'));
    // The first column of every row, and what the second says of it.
    const rows = [...table.matchAll(/^\| (.+?) +\| (.+?) +\|$/gm)].map((m): [string, string] => [
      m[1]!,
      m[2]!,
    ]);
    for (const setting of [
      'interval',
      'threads',
      'timeout',
      'retries',
      'use_syslog',
      'debug',
      'prompt',
      'username',
      'password',
      'model',
      'enable',
      'ssh_port',
      'telnet_port',
      'auth_methods',
      'ssh_kex',
      'groups',
      'models',
      'pid',
      'crash',
      'stats',
      'ssh, telnet',
      'secure',
      'file',
      'git',
      'gitcrypt',
      'http',
      'csv',
      'sql',
      'model_map',
      'exec',
      'githubrepo',
      'slack',
      'rest',
    ]) {
      const row = rows.find(([oxidized]) => oxidized.includes(setting));
      expect(row, setting).toBeDefined();
      expect(row![1].trim(), setting).not.toBe('');
    }
    // "not supported" always says what to do instead.
    for (const [oxidized, confsnap] of rows) {
      if (confsnap.startsWith('not supported'))
        expect(confsnap, oxidized).toMatch(/^not supported[^:]*: \S/);
    }
  });
});
