import { afterEach, describe, expect, it } from 'vitest';
import {
  startSimulatedDevice,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
  type SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { connect, openShell, type Connected, type Shell } from './ssh-client.js';

interface ShellVendor {
  readonly vendor: SimulatedVendorId;
  readonly prompt: string;
  readonly pagingOff: readonly string[];
  readonly configCommand: string;
  /** The command that pages (VyOS pages only without `| no-more`). */
  readonly pagedCommand?: string;
  readonly lastLine: string;
  readonly header: RegExp | undefined;
  readonly pager: string;
  readonly pagerErase: string;
  readonly error: string;
}

const VENDORS: readonly ShellVendor[] = [
  {
    vendor: 'cisco-ios',
    prompt: 'router1#',
    pagingOff: ['terminal length 0', 'terminal width 0'],
    configCommand: 'show running-config',
    lastLine: 'end',
    header:
      /Building configuration\.\.\.\r\n\r\nCurrent configuration : \d+ bytes\r\n!\r\n! Last configuration change at [\d:]{8} UTC \w{3} \w{3} \d{2} \d{4} by admin\r\n/,
    pager: ' --More-- ',
    pagerErase: '\b'.repeat(10) + ' '.repeat(10) + '\b'.repeat(10),
    error: "% Invalid input detected at '^' marker.",
  },
  {
    vendor: 'cisco-nxos',
    prompt: 'router1# ',
    pagingOff: ['terminal length 0'],
    configCommand: 'show running-config',
    lastLine: 'interface mgmt0',
    header:
      /!Command: show running-config\r\n!Running configuration last done at: .+\r\n!Time: .+\r\n/,
    pager: '\x1b[7m--More--\x1b[27m',
    pagerErase: '\r\x1b[K',
    error: "% Invalid command at '^' marker.",
  },
  {
    vendor: 'cisco-iosxr',
    prompt: 'RP/0/RSP0/CPU0:router1#',
    pagingOff: ['terminal length 0', 'terminal exec prompt no-timestamp'],
    configCommand: 'show running-config',
    lastLine: 'end',
    header:
      /Building configuration\.\.\.\r\n!! IOS XR Configuration 7\.3\.2\r\n!! Last configuration change at .+ by admin\r\n/,
    pager: ' --More-- ',
    pagerErase: '\b'.repeat(10) + ' '.repeat(10) + '\b'.repeat(10),
    error: "% Invalid input detected at '^' marker.",
  },
  {
    vendor: 'cisco-asa',
    prompt: 'asa1#',
    pagingOff: ['terminal pager 0'],
    configCommand: 'more system:running-config',
    lastLine: ': end',
    header:
      /^: Saved\r\n(: .*\r\n|:\r\n)*: Written by enable_15 at [\d:.]+ UTC \w{3} \w{3} \d{2} \d{4}\r\n/m,
    pager: '<--- More --->',
    pagerErase: `\r${' '.repeat(14)}\r`,
    error: "ERROR: % Invalid input detected at '^' marker.",
  },
  {
    vendor: 'arista-eos',
    prompt: 'router1#',
    pagingOff: ['terminal length 0'],
    configCommand: 'show running-config',
    lastLine: 'end',
    header:
      /! Command: show running-config\r\n! device: router1 .*\r\n! Time: .+\r\n! Startup-config last modified at .+ by admin\r\n/,
    pager: ' --More-- ',
    pagerErase: '\b'.repeat(10) + ' '.repeat(10) + '\b'.repeat(10),
    error: '% Invalid input',
  },
  {
    vendor: 'huawei-vrp',
    prompt: '<HUAWEI>',
    pagingOff: ['screen-length 0 temporary'],
    configCommand: 'display current-configuration',
    lastLine: 'return',
    header:
      /!Software Version V200R019C10SPC800\r\n!Last configuration was updated at .+ by admin\r\n/,
    pager: '  ---- More ----',
    pagerErase: `\x1b[16D${' '.repeat(16)}\x1b[16D`,
    error: "Error: Unrecognized command found at '^' position.",
  },
  {
    vendor: 'fortios',
    prompt: 'fw1 # ',
    pagingOff: [],
    configCommand: 'show',
    lastLine: 'end',
    header: undefined,
    pager: '--More-- ',
    pagerErase: `\r${' '.repeat(9)}\r`,
    error: 'Unknown action 0',
  },
  {
    vendor: 'vyos',
    prompt: 'vyos@vyos:~$ ',
    pagingOff: [],
    configCommand: 'show configuration commands | no-more',
    pagedCommand: 'show configuration commands',
    lastLine: "set system host-name 'vyos'",
    header: undefined,
    pager: ':',
    pagerErase: '\r\x1b[K',
    error: 'Invalid command: [foo bar]',
  },
];

const BANNER = '#### Authorized access only > violators prosecuted ####';

/** 61 lines with `#` and `>` in them, ending in the vendor's last line. */
function longConfig(lastLine: string): string {
  const lines: string[] = [];
  for (let i = 1; i <= 30; i++)
    lines.push(`interface Ethernet${i}`, ` description uplink #${i} > core`);
  return `${[...lines, lastLine].join('\n')}\n`;
}

const open: { device: SimulatedDevice; connection?: Connected }[] = [];

afterEach(async () => {
  for (const { device, connection } of open.splice(0)) {
    await connection?.end();
    await device.close();
  }
});

async function shellOn(
  options: SimulatedDeviceOptions,
): Promise<{ device: SimulatedDevice; shell: Shell }> {
  const device = await startSimulatedDevice(options);
  const entry: { device: SimulatedDevice; connection?: Connected } = { device };
  open.push(entry);
  entry.connection = await connect(device);
  return { device, shell: await openShell(entry.connection.client) };
}

/** Types a command and waits for the prompt, answering every pager on the way with a space. */
async function run(shell: Shell, command: string, prompt: string, pager?: string): Promise<string> {
  shell.clear();
  shell.send(`${command}\r`);
  let pagers = 0;
  for (;;) {
    const output = await shell.waitFor(
      new RegExp(`(${escape(prompt)}${pager ? `|${escape(pager)}` : ''})$`),
    );
    if (output.endsWith(prompt) && output.length > `${command}\r\n`.length) return output;
    if (pager && output.endsWith(pager) && output.split(pager).length - 1 > pagers) {
      pagers++;
      shell.send(' ');
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

describe.each(VENDORS)('$vendor shell', (spec) => {
  const config = longConfig(spec.lastLine);

  it('prints the banner and then exactly the prompt', async () => {
    const { shell } = await shellOn({ vendor: spec.vendor, config });
    const output = await shell.waitFor(spec.prompt);
    expect(output).toBe(`\r\n${BANNER}\r\n\r\n${spec.prompt}`);
  });

  it('echoes the typed command and ends it with \\r\\n', async () => {
    const { shell } = await shellOn({ vendor: spec.vendor, config });
    await shell.waitFor(spec.prompt);
    shell.clear();
    shell.send('foo bar\r');
    expect(await shell.waitFor(/\r\n/)).toMatch(/^foo bar\r\n/);
  });

  it('pages long output at the pager, continues on a space and erases the pager', async () => {
    const { shell } = await shellOn({ vendor: spec.vendor, config });
    await shell.waitFor(spec.prompt);
    const output = await run(
      shell,
      spec.pagedCommand ?? spec.configCommand,
      spec.prompt,
      spec.pager,
    );
    const pagers = output.split(`${spec.pager}${spec.pagerErase}`).length - 1;
    expect(pagers).toBeGreaterThanOrEqual(2);
    expect(output.split(`${spec.pager}${spec.pagerErase}`).join('')).toContain(crlf(config));
  });

  it("answers an unknown command with the vendor's error", async () => {
    const { shell } = await shellOn({ vendor: spec.vendor, config });
    await shell.waitFor(spec.prompt);
    const output = await run(shell, 'foo bar', spec.prompt);
    expect(output).toContain(spec.error);
  });

  it('closes the session with exit status 0 on exit', async () => {
    const { shell } = await shellOn({ vendor: spec.vendor, config });
    await shell.waitFor(spec.prompt);
    shell.send('exit\r');
    await shell.waitClosed();
    expect(shell.exitCode).toBe(0);
  });
});

// FortiOS never turns paging off (confsnap must not change its console settings).
describe.each(VENDORS.filter((spec) => spec.vendor !== 'fortios'))(
  '$vendor shell with paging off',
  (spec) => {
    const config = longConfig(spec.lastLine);

    it('prints the header and the whole configuration without a pager once paging is off', async () => {
      const { shell } = await shellOn({ vendor: spec.vendor, config });
      await shell.waitFor(spec.prompt);
      for (const command of spec.pagingOff) await run(shell, command, spec.prompt);
      const output = await run(shell, spec.configCommand, spec.prompt);
      expect(output.startsWith(`${spec.configCommand}\r\n`)).toBe(true);
      if (spec.header) expect(output).toMatch(spec.header);
      expect(output).toContain(crlf(config));
      expect(output.endsWith(`${crlf(config)}${spec.prompt}`)).toBe(true);
      expect(output).not.toContain(`${spec.pager}${spec.pagerErase}`);
    });
  },
);

describe('vendor details', () => {
  it('IOS puts the caret under the first word it does not know', async () => {
    const { shell } = await shellOn({ vendor: 'cisco-ios', config: 'end\n' });
    await shell.waitFor('router1#');
    const output = await run(shell, 'show runnin-config', 'router1#');
    expect(output).toBe(
      `show runnin-config\r\n${' '.repeat('router1#show '.length)}^\r\n% Invalid input detected at '^' marker.\r\n\r\nrouter1#`,
    );
  });

  it('IOS accepts abbreviated keywords', async () => {
    const { shell } = await shellOn({ vendor: 'cisco-ios', config: 'hostname r1\nend\n' });
    await shell.waitFor('router1#');
    await run(shell, 'term len 0', 'router1#');
    expect(await run(shell, 'sh run', 'router1#')).toContain('hostname r1\r\nend\r\n');
  });

  it('IOS prints the same change times on every read until the configuration changes, as real IOS', async () => {
    const { device, shell } = await shellOn({ vendor: 'cisco-ios', config: 'hostname r1\nend\n' });
    await shell.waitFor('router1#');
    const changeLines = (output: string): string[] =>
      output.match(/^! (?:Last configuration change|NVRAM config last updated) at .*$/gm) ?? [];
    const first = changeLines(await run(shell, 'show running-config', 'router1#'));
    const second = changeLines(await run(shell, 'show running-config', 'router1#'));
    expect(first).toHaveLength(2);
    expect(second).toEqual(first);

    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the lines show whole seconds
    device.setConfig('hostname r2\nend\n');
    const afterChange = changeLines(await run(shell, 'show running-config', 'router1#'));
    expect(afterChange).toHaveLength(2);
    expect(afterChange[0]).not.toBe(first[0]);
  });

  it('IOS with the volatileChangeTimes fault prints new change times on every read', async () => {
    const { shell } = await shellOn({
      vendor: 'cisco-ios',
      config: 'end\n',
      faults: { volatileChangeTimes: true },
    });
    await shell.waitFor('router1#');
    const changeLine = (output: string): string | undefined =>
      /! Last configuration change at .*/.exec(output)?.[0];
    const first = changeLine(await run(shell, 'show running-config', 'router1#'));
    const second = changeLine(await run(shell, 'show running-config', 'router1#'));
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
  });

  it('IOS XR prints a timestamp before show output until terminal exec prompt no-timestamp', async () => {
    const prompt = 'RP/0/RSP0/CPU0:router1#';
    const { shell } = await shellOn({ vendor: 'cisco-iosxr', config: 'end\n' });
    await shell.waitFor(prompt);
    await run(shell, 'terminal length 0', prompt);
    const stamped = await run(shell, 'show running-config', prompt);
    expect(stamped).toMatch(/^show running-config\r\n\w{3} \w{3} \d{2} [\d:.]+ UTC\r\nBuilding/);
    await run(shell, 'terminal exec prompt no-timestamp', prompt);
    expect(await run(shell, 'show running-config', prompt)).toMatch(
      /^show running-config\r\nBuilding/,
    );
  });

  it('FortiOS keeps paging whatever the client tries', async () => {
    const { shell } = await shellOn({ vendor: 'fortios', config: longConfig('end') });
    await shell.waitFor('fw1 # ');
    expect(await run(shell, 'terminal length 0', 'fw1 # ')).toContain('Unknown action 0');
    const output = await run(shell, 'show', 'fw1 # ', '--More-- ');
    expect(output).toContain('--More-- ');
  });

  it('FortiOS re-salts every ENC value on every read', async () => {
    const config =
      'config system admin\n    edit "admin"\n        set password ENC SH2abcdefghijklmnop\n    next\nend\n';
    const { shell } = await shellOn({ vendor: 'fortios', config });
    await shell.waitFor('fw1 # ');
    const secret = (output: string): string | undefined =>
      /set password ENC (\S+)/.exec(output)?.[1];
    const first = secret(await run(shell, 'show', 'fw1 # ', '--More-- '));
    const second = secret(await run(shell, 'show', 'fw1 # ', '--More-- '));
    expect(first).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    expect(first).not.toBe('SH2abcdefghijklmnop');
    expect(second).not.toBe(first);
  });

  it('stops the output when the pager gets a key other than space or Enter', async () => {
    const { shell } = await shellOn({ vendor: 'cisco-ios', config: longConfig('end') });
    await shell.waitFor('router1#');
    shell.clear();
    shell.send('show running-config\r');
    await shell.waitFor(' --More-- ');
    shell.send('q');
    const output = await shell.waitFor('router1#');
    expect(output).not.toContain('end\r\n');
  });

  it('handles backspace in the typed line', async () => {
    const { shell } = await shellOn({ vendor: 'cisco-ios', config: 'hostname r1\nend\n' });
    await shell.waitFor('router1#');
    await run(shell, 'terminal length 0', 'router1#');
    const output = await run(shell, 'show running-configx\x7f', 'router1#');
    expect(output.startsWith('show running-configx\b \b\r\n')).toBe(true);
    expect(output).toContain('hostname r1');
  });

  it('ends the shell cleanly when the client sends EOF', async () => {
    const { shell } = await shellOn({ vendor: 'huawei-vrp', config: 'return\n' });
    await shell.waitFor('<HUAWEI>');
    shell.channel.end();
    await shell.waitClosed();
    expect(shell.exitCode).toBe(0);
  });

  it('prints the banner option instead of the default one', async () => {
    const { shell } = await shellOn({
      vendor: 'cisco-asa',
      config: ': end\n',
      banner: 'line 1 #\nline 2 >',
    });
    expect(await shell.waitFor('asa1#')).toBe('\r\nline 1 #\r\nline 2 >\r\n\r\nasa1#');
  });
});
