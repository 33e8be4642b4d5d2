/** Command-line parsing: bad usage exits 2 with a message that says what is wrong. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/args.js';
import { cli } from './helpers.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('usage errors', () => {
  it('prints the usage on stderr and exits 2 when no command is given', async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('Usage: confsnap <command>');
    expect(run.stdout()).toBe('');
  });

  it('rejects an unknown command with exit code 2 and names the commands', async () => {
    const run = await cli(['bakup']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('unknown command "bakup"');
    expect(run.stderr()).toContain('backup, run, hostkeys, show, diff, inventory, record and demo');
  });

  it('rejects an unknown option and suggests the closest known one', async () => {
    const run = await cli(['backup', '--inventroy', 'x.yaml', '--out', 'out']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('confsnap backup: unknown option --inventroy');
    expect(run.stderr()).toContain('did you mean --inventory?');
    expect(run.stderr()).toContain('Run "confsnap backup --help" for usage.');
  });

  it('requires --inventory for backup', async () => {
    const run = await cli(['backup', '--out', 'out']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--inventory is required');
  });

  it('requires --out for run', async () => {
    const run = await cli(['run', '--inventory', 'x.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--out is required');
  });

  it('says an option needs a value when it has none', async () => {
    const run = await cli(['backup', '--out', 'o', '--inventory']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--inventory needs a value');
  });

  it.each([['0'], ['-3'], ['ten'], ['2.5']])('rejects --concurrency=%s', async (value) => {
    const run = await cli([
      'backup',
      '--inventory',
      'i.yaml',
      '--out',
      'o',
      `--concurrency=${value}`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--concurrency must be a whole number from 1 to 1000');
  });

  it('says how to give a value that starts with a dash', async () => {
    const run = await cli(['backup', '--inventory', 'i.yaml', '--out', 'o', '--concurrency', '-3']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--concurrency needs a value; write --concurrency=-… for one');
  });

  it('rejects a --timeout-ms that is not a whole number of milliseconds', async () => {
    const run = await cli(['backup', '--inventory', 'i.yaml', '--out', 'o', '--timeout-ms', '5s']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--timeout-ms must be a whole number');
  });

  it('rejects an --interval without a unit', async () => {
    const run = await cli(['run', '--inventory', 'i.yaml', '--out', 'o', '--interval', '60']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--interval must be a duration of at least 1s with a unit');
  });

  it('rejects a --redis URL of another scheme', async () => {
    const run = await cli(['run', '--inventory', 'i.yaml', '--out', 'o', '--redis', 'http://x']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--redis must be a URL starting with redis:// or rediss://');
  });

  it('rejects a positional argument backup does not take', async () => {
    const run = await cli(['backup', 'devices.yaml', '--inventory', 'i.yaml', '--out', 'o']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('unexpected argument "devices.yaml"');
  });

  it('asks hostkeys for an action', async () => {
    const run = await cli(['hostkeys', '--known-hosts', 'k.json']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('hostkeys list or hostkeys reset DEVICE');
  });

  it('asks hostkeys reset for a device', async () => {
    const run = await cli(['hostkeys', 'reset', '--known-hosts', 'k.json']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('reset needs a DEVICE id');
  });

  it('asks hostkeys for the pin file', async () => {
    const run = await cli(['hostkeys', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('--known-hosts FILE is required');
  });
});

describe('help and version', () => {
  it('prints the version of package.json', async () => {
    const run = await cli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout()).toBe(`${pkg.version}\n`);
  });

  it('prints the overview with --help', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('Commands:');
    expect(run.stdout()).toContain('Exit codes: 0');
  });

  it.each([['backup'], ['run'], ['hostkeys'], ['demo']])(
    'prints the help of %s with --help and exits 0',
    async (command) => {
      const run = await cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout()).toContain(`Usage: confsnap ${command}`);
      expect(run.stderr()).toBe('');
    },
  );

  it('prints a command help with "help <command>"', async () => {
    const run = await cli(['help', 'run']);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('--interval DURATION');
  });

  it('documents what --timeout-ms sets', async () => {
    const run = await cli(['backup', '--help']);
    expect(run.stdout()).toMatch(/--timeout-ms N\s+per device: deadline of TCP connect/);
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['30min', 1_800_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([['60'], ['6 hours'], ['h'], ['']])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
