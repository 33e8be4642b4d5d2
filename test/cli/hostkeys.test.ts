/** `confsnap hostkeys list|reset`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileHostKeyStore } from '../../src/index.js';
import { generateHostKey } from '../../src/testing/index.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let knownHosts: string;
const r1 = generateHostKey().fingerprint;
const sw1 = generateHostKey().fingerprint;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  knownHosts = join(dir, 'known.json');
  const store = new FileHostKeyStore(knownHosts);
  await store.set('sw1', sw1);
  await store.set('r1', r1);
});
afterEach(() => cleanup());

describe('confsnap hostkeys', () => {
  it('lists the pinned fingerprints sorted by device', async () => {
    const run = await cli(['hostkeys', 'list', '--known-hosts', knownHosts]);
    expect(run.code).toBe(0);
    expect(run.stdout()).toBe(`DEVICE  FINGERPRINT\nr1      ${r1}\nsw1     ${sw1}\n`);
  });

  it('lists the pins as one JSON object with --json', async () => {
    const run = await cli(['hostkeys', 'list', '--known-hosts', knownHosts, '--json']);
    expect(JSON.parse(run.stdout())).toEqual({ r1, sw1 });
  });

  it('finds the pin file in the output directory with --out', async () => {
    const out = join(dir, 'out');
    await new FileHostKeyStore(join(out, '.confsnap-hostkeys.json')).set('r9', r1);
    const run = await cli(['hostkeys', 'list', '--out', out, '--json']);
    expect(JSON.parse(run.stdout())).toEqual({ r9: r1 });
  });

  it('says so when nothing is pinned yet and exits 0', async () => {
    const run = await cli(['hostkeys', 'list', '--known-hosts', join(dir, 'none.json')]);
    expect(run.code).toBe(0);
    expect(run.stderr()).toContain('No host keys are pinned yet');
  });

  it('resets one device and keeps the others', async () => {
    const run = await cli(['hostkeys', 'reset', 'r1', '--known-hosts', knownHosts]);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain(`Forgot r1's host key ${r1}`);
    expect(JSON.parse(readFileSync(knownHosts, 'utf8'))).toEqual({ sw1 });
  });

  it('exits 1 when the device has no pin, naming the pinned ones', async () => {
    const run = await cli(['hostkeys', 'reset', 'r2', '--known-hosts', knownHosts]);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain(`r2 has no pinned host key in ${knownHosts} (pinned: r1, sw1)`);
  });

  it('exits 2 for a pin file that is not JSON', async () => {
    writeFileSync(knownHosts, 'not json');
    const run = await cli(['hostkeys', 'list', '--known-hosts', knownHosts]);
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('the known-hosts file cannot be used');
  });
});
