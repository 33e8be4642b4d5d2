/** The CLI masks secrets by default (SPEC §9); --no-mask-secrets keeps them, and says so. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBackupArgs } from '../../src/cli/args.js';
import { SECRET_VALUES } from '../fixtures/secret-values.js';
import { cli, entry, Lab, tempDir, USERNAME, writeInventory } from './helpers.js';

const PASSWORD = 'pw-7c1d93e05b2a48';
const CONFIG = readFileSync(
  new URL('../fixtures/vectors/routeros-secrets.raw', import.meta.url),
  'utf8',
).replace(/^# jan.*\n/, '');
const SECRETS = SECRET_VALUES['routeros-secrets.raw']!;

let dir: string;
let cleanup: () => void;
const lab = new Lab();
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await lab.close();
  cleanup();
});

async function backUp(...extra: string[]) {
  const router = await lab.start(PASSWORD, { vendor: 'routeros', config: CONFIG });
  const inventory = writeInventory(dir, {
    defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
    devices: [entry('edge-r1', router)],
  });
  const out = join(dir, 'out');
  const run = await cli(['backup', '--inventory', inventory, '--out', out, ...extra], {
    env: { ROUTER_PASSWORD: PASSWORD },
    cwd: dir,
  });
  return { run, saved: readFileSync(join(out, 'edge-r1.cfg'), 'utf8'), commands: router.commands };
}

describe('confsnap backup and secrets', () => {
  it('masks them by default, asks RouterOS for hide-sensitive and says so in the summary', async () => {
    const { run, saved, commands } = await backUp();
    expect(run.code).toBe(0);
    for (const secret of SECRETS) expect(saved, secret).not.toContain(secret);
    expect(saved).toContain('password=<secret hidden>');
    expect(commands).toEqual(['/export hide-sensitive']);
    expect(run.stdout()).toContain(
      'Secrets masked: passwords, keys and communities read <secret hidden>.',
    );
  });

  it('keeps them with --no-mask-secrets, and says so loudly', async () => {
    const { run, saved } = await backUp('--no-mask-secrets');
    expect(run.code).toBe(0);
    expect(saved).toContain('password=Tr0ub4dor&3');
    expect(saved).not.toContain('<secret hidden>');
    expect(run.stdout()).toContain('Secrets NOT masked (--no-mask-secrets)');
  });

  it('parses --no-mask-secrets, masking when it is absent', () => {
    const base = ['--inventory', 'i.yaml', '--out', 'out'];
    expect(parseBackupArgs(base, '/tmp')).toMatchObject({ maskSecrets: true });
    expect(parseBackupArgs([...base, '--no-mask-secrets'], '/tmp')).toMatchObject({
      maskSecrets: false,
    });
  });
});
