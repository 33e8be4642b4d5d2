/** The inventory: YAML or JSON, defaults merged, every problem named by file, position and field. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError, loadInventory, parseInventory } from '../../src/cli/inventory.js';
import { checkDeviceRecord } from '../../src/index.js';
import { cli, tempDir, writeInventory } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function problemsOf(path: string): Promise<string> {
  try {
    await loadInventory(path, { cwd: dir });
  } catch (error) {
    if (error instanceof InventoryError) return error.message;
    throw error;
  }
  throw new Error('the inventory was accepted');
}

describe('errors', () => {
  it('names the file, the line, the device position and the field in YAML', async () => {
    const path = writeInventory(
      dir,
      [
        'defaults:',
        '  username: backup',
        '  password_env: ROUTER_PASSWORD',
        'devices:',
        '  - id: r1',
        '    host: 192.0.2.1',
        '    vendor: routeros',
        '  - id: r2',
        '    host: 192.0.2.2',
        '    vendor: routeros',
        '    port: twenty-two',
        '',
      ].join('\n'),
      'hosts.yaml',
    );
    expect(await problemsOf(path)).toBe(
      'hosts.yaml:11: devices[1] (r2): port: must be a whole number from 1 to 65535, got "twenty-two"',
    );
  });

  it('names the file, the device position and the field in JSON', async () => {
    const path = writeInventory(
      dir,
      JSON.stringify({
        defaults: { username: 'backup', password_env: 'ROUTER_PASSWORD' },
        devices: [
          { id: 'r1', host: '192.0.2.1', vendor: 'routeros' },
          { id: 'r2', vendor: 'routeros' },
        ],
      }),
      'hosts.json',
    );
    expect(await problemsOf(path)).toBe('hosts.json: devices[1] (r2): host: is missing');
  });

  it('reports every problem at once', async () => {
    const path = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P' },
      devices: [
        { id: 'r1', host: 'a', vendor: 'acme-unknown-os' },
        // A control character: refused by the library's id rule, which the CLI reports as is.
        { id: 'r\t2', host: 'b', vendor: 'routeros' },
        { id: 'r3', host: 'c', vendor: 'routeros', prot: 2222 },
      ],
    });
    const message = await problemsOf(path);
    expect(message).toContain(
      'devices[0] (r1): vendor: unknown vendor "acme-unknown-os"; one of: routeros, cisco-ios',
    );
    expect(message).toContain(
      `devices[1] (r\t2): id: ${checkDeviceRecord({ id: 'r\t2', host: 'b', vendor: 'routeros' })!.message}`,
    );
    expect(message).toContain('devices[2] (r3): prot: unknown field; known fields: id, host, port');
  });

  it('names the earlier position of a duplicate id', async () => {
    const path = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P', vendor: 'routeros' },
      devices: [
        { id: 'r1', host: 'a' },
        { id: 'r1', host: 'b' },
      ],
    });
    expect(await problemsOf(path)).toContain(
      'devices[1] (r1): id: duplicates the id of devices[0]',
    );
  });

  it('reports a bad default once, at the defaults', async () => {
    const path = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P', vendor: 'routeros', port: 0 },
      devices: [
        { id: 'r1', host: 'a' },
        { id: 'r2', host: 'b' },
      ],
    });
    expect(await problemsOf(path)).toBe(
      'inventory.yaml:5: defaults: port: must be a whole number from 1 to 65535, got "0"',
    );
  });

  it('refuses a password written into the inventory without repeating it', async () => {
    const path = writeInventory(dir, {
      devices: [
        {
          id: 'r1',
          host: 'a',
          vendor: 'routeros',
          username: 'u',
          password: 'hunter2-marker',
        },
      ],
    });
    const message = await problemsOf(path);
    expect(message).toContain('devices[0] (r1): password: secrets do not belong in the inventory');
    expect(message).not.toContain('hunter2-marker');
  });

  it('does not repeat a secret put where a variable name belongs', async () => {
    const path = writeInventory(dir, {
      devices: [
        { id: 'r1', host: 'a', vendor: 'routeros', username: 'u', password_env: 'p@ss w0rd!' },
      ],
    });
    const message = await problemsOf(path);
    expect(message).toContain('password_env: must be the name of an environment variable');
    expect(message).not.toContain('p@ss');
  });

  it('reports invalid YAML by line without quoting the line', async () => {
    const path = writeInventory(
      dir,
      'devices:\n  - id: r1\n    host: a: secret-marker\n',
      'broken.yaml',
    );
    const message = await problemsOf(path);
    expect(message).toMatch(/^broken\.yaml:3: not valid YAML/);
    expect(message).not.toContain('secret-marker');
  });

  it('reports invalid JSON by line without quoting it', async () => {
    const path = writeInventory(
      dir,
      '{\n  "devices": [\n    { "id": "secret-marker" x }\n  ]\n}\n',
      'broken.json',
    );
    const message = await problemsOf(path);
    expect(message).toMatch(/^broken\.json:3: not valid JSON/);
    expect(message).not.toContain('secret-marker');
  });

  it('asks for credentials when a device has none', async () => {
    const path = writeInventory(dir, {
      devices: [{ id: 'r1', host: 'a', vendor: 'routeros', username: 'u' }],
    });
    expect(await problemsOf(path)).toContain(
      'devices[0] (r1): password_env: no credentials: set password_env, password_file or private_key_file',
    );
  });

  it('says the file is missing', async () => {
    expect(await problemsOf(join(dir, 'nope.yaml'))).toBe('nope.yaml: file not found');
  });

  it('exits 2 from backup and prints the problems on stderr', async () => {
    const path = writeInventory(dir, { devices: [] });
    const run = await cli(['backup', '--inventory', path, '--out', join(dir, 'out')], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr()).toContain('the inventory has a problem');
    expect(run.stderr()).toContain('inventory.yaml:1: devices: is empty; list at least one device');
  });
});

describe('one mistake is one problem', () => {
  const fleet = (count: number, indent = (_index: number) => '    ') =>
    Array.from({ length: count }, (_, index) =>
      [`  - id: r${index + 1}`, `${indent(index)}host: 192.0.2.${index + 1}`].join('\n'),
    ).join('\n');

  it('reports a YAML indentation error once, at its line, in the words of an inventory', async () => {
    // The second device's fields are two spaces short: the parser stumbles on every line after it.
    const text = [
      'defaults:',
      '  username: backup',
      '  password_env: ROUTER_PASSWORD',
      '  vendor: routeros',
      'devices:',
      fleet(12, (index) => (index === 1 ? '  ' : '    ')),
      '',
    ].join('\n');
    const path = writeInventory(dir, text);
    const run = await cli(['backup', '--inventory', path, '--out', join(dir, 'out')], { cwd: dir });
    expect(run.code).toBe(2);
    const lines = run.stderr().trimEnd().split('\n');
    expect(lines[0]).toBe('confsnap: the inventory has a problem:');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^ {2}inventory\.yaml:\d+: not valid YAML \(column \d+\): the indentation is off here/,
    );
    expect(Number(/yaml:(\d+)/.exec(lines[1]!)![1])).toBeGreaterThanOrEqual(8);
  });

  const twoDevices = (badLine: string): string =>
    [
      'defaults:',
      '  username: backup',
      '  password_env: ROUTER_PASSWORD',
      'devices:',
      '  - id: r1',
      '    host: 192.0.2.1',
      '    vendor: routeros',
      '  - id: r2',
      badLine,
      '    vendor: routeros',
      '',
    ].join('\n');

  it('points at an over-indented field: its own line and the column its text starts in', async () => {
    const path = writeInventory(dir, twoDevices('      host: 192.0.2.2'), 'bad.yaml');
    expect(await problemsOf(path)).toMatch(
      /^bad\.yaml:9: not valid YAML \(column 7\): the indentation is off here/,
    );
  });

  it('points at an under-indented field: its own line and the column its text starts in', async () => {
    const path = writeInventory(dir, twoDevices('   host: 192.0.2.2'), 'bad.yaml');
    expect(await problemsOf(path)).toMatch(
      /^bad\.yaml:9: not valid YAML \(column 4\): the indentation is off here/,
    );
  });

  it('skips block scalars and comments when it looks for the misindented line', async () => {
    const text = [
      'defaults:',
      '  username: backup',
      '  password_env: ROUTER_PASSWORD',
      '  # a comment',
      '     # an indented comment',
      'devices:',
      '  - id: r1',
      '    host: 192.0.2.1',
      '    notes: |',
      '        first line',
      '      second line',
      '    vendor: routeros',
      '  - id: r2',
      '      host: 192.0.2.2',
      '    vendor: routeros',
      '',
    ].join('\n');
    const path = writeInventory(dir, text, 'bad.yaml');
    expect(await problemsOf(path)).toMatch(/^bad\.yaml:14: not valid YAML \(column 7\)/);
  });

  it('lists the problems in the order of their lines, whatever order the fields are checked in', async () => {
    const text = [
      'defaults:',
      '  username: backup',
      '  password_env: ROUTER_PASSWORD',
      'devices:',
      '  - id: r1',
      '    vendor: cisco',
      '    port: twenty-two',
      '    host: 192.0.2.1',
      '  - id: r2',
      '    vendor: routeros',
      '    host: 192.0.2.2',
      '    tenant: [a, b]',
      '    port: "0"',
      '',
    ].join('\n');
    const path = writeInventory(dir, text, 'hosts.yaml');
    const lines = (await problemsOf(path))
      .split('\n')
      .map((line) => Number(/^hosts\.yaml:(\d+):/.exec(line)?.[1]));
    expect(lines).toHaveLength(4);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('says a tab indents a line, once', async () => {
    const path = writeInventory(dir, `defaults:\n\tusername: backup\ndevices:\n${fleet(6)}\n`);
    expect(await problemsOf(path)).toBe(
      'inventory.yaml:2: not valid YAML (column 1): a tab indents this line; indent with spaces only',
    );
  });

  it('reports a password: in defaults once, not again as every device lacking credentials', async () => {
    const path = writeInventory(
      dir,
      `defaults:\n  username: backup\n  password: hunter2-not-shown\n  vendor: routeros\ndevices:\n${fleet(6)}\n`,
    );
    const message = await problemsOf(path);
    expect(message.split('\n')).toEqual([
      'inventory.yaml:3: defaults: password: secrets do not belong in the inventory: name an environment variable (password_env, passphrase_env, enable_secret_env) or a file (password_file, private_key_file)',
    ]);
    expect(message).not.toContain('hunter2');
  });

  it('reports a field every device lacks once, naming the devices', async () => {
    const path = writeInventory(
      dir,
      `defaults:\n  password_env: P\n  vendor: routeros\ndevices:\n${fleet(7)}\n`,
    );
    expect(await problemsOf(path)).toBe(
      'inventory.yaml:5: 7 devices (r1, r2, r3, r4, r5, …): username: is missing (set it on the device, its group or in defaults)',
    );
  });
});

describe('parsing', () => {
  const file = '/etc/confsnap/inventory.yaml';

  it('merges the defaults into each device, the device winning', () => {
    const inventory = parseInventory(
      [
        'defaults:',
        '  username: backup',
        '  password_env: ROUTER_PASSWORD',
        '  vendor: routeros',
        '  tenant: acme',
        'devices:',
        '  - { id: r1, host: 192.0.2.1 }',
        '  - { id: r2, host: 192.0.2.2, vendor: cisco-ios, tenant: other, port: 2222 }',
      ].join('\n'),
      { file },
    );
    expect(inventory.devices).toEqual([
      { id: 'r1', host: '192.0.2.1', vendor: 'routeros', tenantId: 'acme' },
      { id: 'r2', host: '192.0.2.2', vendor: 'cisco-ios', tenantId: 'other', port: 2222 },
    ]);
    expect(inventory.credentials.get('r2')).toEqual({
      username: 'backup',
      passwordEnv: 'ROUTER_PASSWORD',
    });
  });

  it('does not add the default password to a device that names its own key', () => {
    const inventory = parseInventory(
      [
        'defaults: { username: backup, password_env: ROUTER_PASSWORD, vendor: linux }',
        'devices:',
        '  - { id: h1, host: a, private_key_file: keys/h1 }',
      ].join('\n'),
      { file },
    );
    expect(inventory.credentials.get('h1')).toEqual({
      username: 'backup',
      privateKeyFile: '/etc/confsnap/keys/h1',
    });
  });

  it('takes enable_secret_env from the defaults, also for a device with its own password', () => {
    const inventory = parseInventory(
      [
        'defaults: { username: backup, password_env: P, enable_secret_env: ENABLE, vendor: cisco-asa }',
        'devices:',
        '  - { id: fw1, host: a }',
        '  - { id: fw2, host: b, password_file: fw2.pw }',
        '  - { id: fw3, host: c, enable_secret_env: FW3_ENABLE }',
      ].join('\n'),
      { file },
    );
    expect(inventory.credentials.get('fw1')).toEqual({
      username: 'backup',
      passwordEnv: 'P',
      enableSecretEnv: 'ENABLE',
    });
    expect(inventory.credentials.get('fw2')).toEqual({
      username: 'backup',
      passwordFile: '/etc/confsnap/fw2.pw',
      enableSecretEnv: 'ENABLE',
    });
    expect(inventory.credentials.get('fw3')?.enableSecretEnv).toBe('FW3_ENABLE');
  });

  it('refuses an enable secret written into the inventory, and a bad variable name', () => {
    let message = '';
    try {
      parseInventory(
        [
          'defaults: { username: backup, password_env: P, vendor: cisco-ios }',
          'devices:',
          '  - { id: r1, host: a, enable_secret: s3cr3t-value }',
          '  - { id: r2, host: b, enable_secret_env: "s3cr3t value" }',
        ].join('\n'),
        { file },
      );
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      message = error.message;
    }
    expect(message).toContain(
      'devices[0] (r1): enable_secret: secrets do not belong in the inventory',
    );
    expect(message).toContain(
      'devices[1] (r2): enable_secret_env: must be the name of an environment variable',
    );
    expect(message).not.toContain('s3cr3t');
  });

  it('keeps a YAML version as written: 7.10 is not 7.1', () => {
    const inventory = parseInventory(
      'devices:\n  - { id: r1, host: a, vendor: routeros, username: u, password_env: P, version: 7.10 }\n',
      { file },
    );
    expect(inventory.devices[0]?.version).toBe('7.10');
  });

  it('takes FQDNs and names with slashes as device ids', () => {
    const inventory = parseInventory(
      [
        'defaults: { username: u, password_env: P, vendor: cisco-ios }',
        'devices:',
        '  - { id: core-sw1.example.net, host: 192.0.2.1 }',
        '  - { id: site-a/rtr-1, host: 192.0.2.2 }',
      ].join('\n'),
      { file },
    );
    expect(inventory.devices.map((device) => device.id)).toEqual([
      'core-sw1.example.net',
      'site-a/rtr-1',
    ]);
  });

  it('recognises JSON by its content when the extension says nothing', () => {
    const inventory = parseInventory(
      JSON.stringify({
        devices: [
          { id: 'r1', host: 'a', vendor: 'routeros', username: 'u', password_file: 'pw', port: 22 },
        ],
      }),
      { file: '/srv/devices.inv' },
    );
    expect(inventory.devices[0]).toEqual({ id: 'r1', host: 'a', vendor: 'routeros', port: 22 });
    expect(inventory.credentials.get('r1')?.passwordFile).toBe('/srv/pw');
  });
});

describe('jump hosts', () => {
  const parse = (lines: string[]) =>
    parseInventory(lines.join('\n') + '\n', {
      file: join(dir, 'hosts.yaml'),
      shownFile: 'hosts.yaml',
    });
  const problemsOfText = (lines: string[]): string => {
    try {
      parse(lines);
    } catch (error) {
      if (error instanceof InventoryError) return error.message;
      throw error;
    }
    throw new Error('the inventory was accepted');
  };
  const HOPS = [
    'jump_hosts:',
    '  bastion1:',
    '    host: bastion1.example.net',
    '    username: jump',
    '    private_key_file: keys/bastion',
    '  site-jump:',
    '    host: 10.1.0.1',
    '    port: 2222',
    '    username: jump',
    '    password_env: SITE_JUMP_PASSWORD',
  ];

  it("turns via: names into the devices' jump hosts, nearest first, with the hops' own credentials", () => {
    const inventory = parse([
      ...HOPS,
      'defaults:',
      '  username: backup',
      '  password_env: ROUTER_PASSWORD',
      '  via: bastion1',
      'devices:',
      '  - { id: r1, host: 10.20.0.7, vendor: cisco-ios }',
      '  - { id: r2, host: 10.30.0.9, vendor: routeros, via: [bastion1, site-jump] }',
    ]);
    expect(inventory.devices[0]!.via).toEqual([{ id: 'bastion1', host: 'bastion1.example.net' }]);
    expect(inventory.devices[1]!.via).toEqual([
      { id: 'bastion1', host: 'bastion1.example.net' },
      { id: 'site-jump', host: '10.1.0.1', port: 2222 },
    ]);
    expect(inventory.jumpHosts.map((hop) => hop.id)).toEqual(['bastion1', 'site-jump']);
    expect(inventory.credentials.get('bastion1')).toEqual({
      username: 'jump',
      privateKeyFile: join(dir, 'keys/bastion'),
    });
    expect(inventory.credentials.get('site-jump')).toEqual({
      username: 'jump',
      passwordEnv: 'SITE_JUMP_PASSWORD',
    });
    for (const device of inventory.devices) expect(checkDeviceRecord(device)).toBeUndefined();
  });

  it('names a via: that jump_hosts: does not declare, with the names it does', () => {
    expect(
      problemsOfText([
        ...HOPS,
        'devices:',
        '  - { id: r1, host: 10.20.0.7, vendor: routeros, username: b, password_env: P, via: bastoin1 }',
      ]),
    ).toBe(
      'hosts.yaml:12: devices[0] (r1): via: names jump host "bastoin1", which jump_hosts: does not declare (declared: bastion1, site-jump)',
    );
  });

  it('names the jump host and the field that is wrong, in the order of the lines', () => {
    expect(
      problemsOfText([
        'jump_hosts:',
        '  bastion1:',
        '    username: jump',
        '    password: hunter2',
        'devices:',
        '  - { id: r1, host: 10.20.0.7, vendor: routeros, username: b, password_env: P }',
      ]),
    ).toBe(
      [
        'hosts.yaml:3: jump_hosts.bastion1: host: is missing',
        'hosts.yaml:3: jump_hosts.bastion1: password_env: no credentials: set password_env, password_file or private_key_file',
        'hosts.yaml:4: jump_hosts.bastion1: password: secrets do not belong in the inventory: name an environment variable (password_env, passphrase_env) or a file (password_file, private_key_file)',
      ].join('\n'),
    );
  });

  it('reports an invalid jump host once, not again for every device that names it', () => {
    expect(
      problemsOfText([
        ...HOPS,
        '    via: bastion1',
        'defaults:',
        '  username: backup',
        '  password_env: ROUTER_PASSWORD',
        'devices:',
        '  - { id: r1, host: 10.20.0.7, vendor: routeros, via: [bastion1, site-jump] }',
        '  - { id: r2, host: 10.20.0.8, vendor: routeros, via: [bastion1, site-jump] }',
      ]),
    ).toBe(
      'hosts.yaml:11: jump_hosts.site-jump: via: unknown field; known fields: host, port, username, password_env, password_file, private_key_file, passphrase_env',
    );
  });

  it('refuses a jump host named like a device (one id, one pin)', () => {
    expect(
      problemsOfText([
        ...HOPS,
        'devices:',
        '  - { id: bastion1, host: 10.20.0.7, vendor: linux, username: b, password_env: P }',
      ]),
    ).toMatch(/jump_hosts\.bastion1: has the id of devices\[0\]/);
  });
});

describe('per-device SSH settings (ssh:)', () => {
  const file = '/etc/confsnap/inventory.yaml';

  it('turns ssh: into Device.ssh, merging the defaults setting by setting', () => {
    const inventory = parseInventory(
      [
        'defaults:',
        '  username: backup',
        '  password_env: ROUTER_PASSWORD',
        '  vendor: cisco-ios',
        '  ssh: { connect_timeout_ms: 30000, keepalive_interval_ms: 15000 }',
        'devices:',
        '  - id: old-sw1',
        '    host: 192.0.2.9',
        '    ssh:',
        '      algorithms: legacy',
        '      time_limit_ms: 900000',
        '      command_timeout_ms: 120000',
        '  - id: new-sw2',
        '    host: 192.0.2.10',
        '    ssh:',
        '      connect_timeout_ms: 5000',
        '      algorithms:',
        '        kex: [diffie-hellman-group14-sha1]',
        '        server_host_key: [ssh-rsa]',
      ].join('\n'),
      { file },
    );
    expect(inventory.devices.map((d) => d.ssh)).toEqual([
      {
        connectTimeoutMs: 30_000,
        keepaliveIntervalMs: 15_000,
        algorithms: 'legacy',
        timeLimitMs: 900_000,
        commandTimeoutMs: 120_000,
      },
      {
        connectTimeoutMs: 5_000,
        keepaliveIntervalMs: 15_000,
        algorithms: { kex: ['diffie-hellman-group14-sha1'], serverHostKey: ['ssh-rsa'] },
      },
    ]);
  });

  it('leaves a device without ssh: and no default without Device.ssh', () => {
    const inventory = parseInventory(
      'devices:\n  - { id: r1, host: a, vendor: routeros, username: u, password_env: P }\n',
      { file },
    );
    expect(inventory.devices[0]).not.toHaveProperty('ssh');
  });

  it('names a wrong setting by its inventory name, at its line', async () => {
    const path = writeInventory(
      dir,
      [
        'defaults: { username: backup, password_env: P, vendor: routeros }',
        'devices:',
        '  - id: r1',
        '    host: a',
        '    ssh:',
        '      connect_timeout_ms: 20s',
        '',
      ].join('\n'),
      'hosts.yaml',
    );
    expect(await problemsOf(path)).toBe(
      'hosts.yaml:6: devices[0] (r1): ssh.connect_timeout_ms: must be a whole number of milliseconds of at least 1, got "20s"',
    );
  });

  it('refuses an unknown setting and an unknown algorithm, in the inventory’s words', async () => {
    const path = writeInventory(dir, {
      defaults: { username: 'backup', password_env: 'P', vendor: 'routeros' },
      devices: [
        { id: 'r1', host: 'a', ssh: { connectTimeoutMs: 5000 } },
        { id: 'r2', host: 'b', ssh: { algorithms: { server_host_key: ['ssh-dsa'] } } },
        { id: 'r3', host: 'c', ssh: { algorithms: 'weak' } },
      ],
    });
    const problems = await problemsOf(path);
    expect(problems).toContain(
      'devices[0] (r1): ssh.connectTimeoutMs: unknown setting; known: algorithms, connect_timeout_ms, command_timeout_ms, time_limit_ms, keepalive_interval_ms',
    );
    expect(problems).toMatch(
      /devices\[1\] \(r2\): ssh\.algorithms\.server_host_key: names "ssh-dsa", which is not a known algorithm/,
    );
    expect(problems).toContain(
      'devices[2] (r3): ssh.algorithms: must be modern, legacy, or a mapping of lists',
    );
  });

  it('reports a bad default ssh setting once, at the defaults', async () => {
    const path = writeInventory(dir, {
      defaults: {
        username: 'backup',
        password_env: 'P',
        vendor: 'routeros',
        ssh: { time_limit_ms: 0 },
      },
      devices: [
        { id: 'r1', host: 'a' },
        { id: 'r2', host: 'b' },
      ],
    });
    expect(await problemsOf(path)).toMatch(
      /^inventory\.yaml:\d+: defaults: ssh\.time_limit_ms: must be a whole number of milliseconds of at least 1, got "0"$/,
    );
  });
});

describe('the jump host example of docs/cli.md', () => {
  const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf('### Jump hosts'));
  const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;

  it('is a valid inventory whose hop order comes from the devices, and via: [] goes direct', () => {
    const inventory = parseInventory(example, { file: join(dir, 'devices.yaml') });
    const via = (id: string) =>
      inventory.devices.find((device) => device.id === id)?.via as { id: string }[] | undefined;
    expect(via('edge-r7')?.map((hop) => hop.id)).toEqual(['bastion1']);
    expect(via('site9-sw1')?.map((hop) => hop.id)).toEqual(['bastion1', 'site9-jump']);
    expect(inventory.devices.map((device) => device.id)).toContain('mgmt-sw1');
    expect(via('mgmt-sw1')).toBeUndefined();
  });

  it('does not suggest a jump host has a via of its own', () => {
    const hops = example.slice(0, example.indexOf('defaults:'));
    expect(hops).not.toMatch(/^ {2}[\w-]+:\s*#\s*reached through/m);
    expect(section).toContain('`via: []` on a device cancels a `via:` set in `defaults`');
  });
});
