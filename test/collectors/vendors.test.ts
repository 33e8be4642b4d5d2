import { describe, expect, it } from 'vitest';
import {
  aristaEos,
  builtinCollectors,
  ciscoAsa,
  ciscoIos,
  ciscoIosxr,
  ciscoNxos,
  DEFAULT_LINUX_FILES,
  fortios,
  huaweiVrp,
  junos,
  linux,
  linuxCollector,
  normalizeConfig,
  routeros,
  routerosCollector,
  vyos,
  type ConfigCollector,
} from '../../src/collectors/index.js';
import { quoteForShell } from '../../src/collectors/vendors/linux.js';
import type { Device } from '../../src/core/device.js';

const deviceOf = (vendor: string, version?: string): Device => ({
  id: 'dev-1',
  host: '192.0.2.1',
  vendor,
  ...(version === undefined ? {} : { version }),
});
/** Table rows led by the vendor id, so test names read `cisco-ios recognises …`. */
const byVendor = <T>(rows: readonly (readonly [ConfigCollector, T])[]) =>
  rows.map(([collector, value]) => [collector.vendor, collector, value] as const);
const matchesError = (collector: ConfigCollector, output: string): boolean =>
  collector.errorPatterns.some((pattern) => pattern.test(output));

describe('RouterOS command choice', () => {
  const plan = (version?: string, collector = routeros) =>
    collector.commands({ device: deviceOf('routeros', version) });

  it('exports with show-sensitive on RouterOS 7', () => {
    expect(plan('7.16.2')).toEqual({ commands: ['/export show-sensitive'] });
    expect(plan('7.17rc1')).toEqual({ commands: ['/export show-sensitive'] });
  });

  it('exports with a plain /export on RouterOS 6, which shows secrets by default', () => {
    expect(plan('6.48.6')).toEqual({ commands: ['/export'] });
    expect(plan('6.49.17 (long-term)')).toEqual({ commands: ['/export'] });
  });

  it('tries the v7 form and falls back to /export when the version is unknown', () => {
    expect(plan()).toEqual({ commands: ['/export show-sensitive'], fallback: ['/export'] });
    expect(plan('')).toEqual({ commands: ['/export show-sensitive'], fallback: ['/export'] });
    expect(plan('stable')).toEqual({ commands: ['/export show-sensitive'], fallback: ['/export'] });
  });

  it("recognises RouterOS 6's answer to show-sensitive as a syntax error that triggers the fallback", () => {
    const answer = 'expected end of command (line 1 column 9)\r\n';
    expect(routeros.syntaxErrorPatterns.some((pattern) => pattern.test(answer))).toBe(true);
  });

  it('hides secrets with hide-sensitive on every version when asked', () => {
    const hiding = routerosCollector({ hideSensitive: true });
    expect(plan('6.48.6', hiding)).toEqual({ commands: ['/export hide-sensitive'] });
    expect(plan(undefined, hiding)).toEqual({ commands: ['/export hide-sensitive'] });
    expect(plan('7.16.2', hiding).commands).toEqual(['/export hide-sensitive']);
  });

  it('never falls back to a plain /export that could print secrets, except on a known RouterOS 7', () => {
    const hiding = routerosCollector({ hideSensitive: true });
    expect(plan('6.48.6', hiding).fallback).toBeUndefined();
    expect(plan(undefined, hiding).fallback).toBeUndefined();
    expect(plan('7.16.2', hiding).fallback).toEqual(['/export']);
  });
});

describe('RouterOS completeness and errors', () => {
  it('accepts an export with a section line', () => {
    expect(routeros.isComplete('# software id = X\n/ip dns\nset servers=1.1.1.1\n')).toBe(true);
  });

  it('rejects an export without any section line', () => {
    expect(routeros.isComplete('# software id = X\n# model = RB5009\n')).toBe(false);
  });

  it('rejects an export that ends in a continuation', () => {
    expect(routeros.isComplete('/ip dns\nset servers=1.1.1.1 \\\n')).toBe(false);
  });

  it('accepts an export whose last line ends in an escaped backslash', () => {
    expect(routeros.isComplete('/ppp secret\nadd name=bob password=b\\\\\n')).toBe(true);
  });

  it('does not take export lines that mention errors for device errors', () => {
    const output =
      '/system note\r\nset note="syntax error (line 1 column 2)"\r\n    failure: x\r\n';
    expect(matchesError(routeros, output)).toBe(false);
  });
});

describe('Linux collector', () => {
  it('backs up a documented default list of files every Linux system has', () => {
    expect(DEFAULT_LINUX_FILES).toEqual(['/etc/os-release', '/etc/hostname', '/etc/hosts']);
    expect(linux.commands({ device: deviceOf('linux') }).commands).toHaveLength(3);
  });

  it('cats each file, in order, with its path quoted', () => {
    const collector = linuxCollector({ files: ['/etc/nftables.conf', '/etc/frr/frr.conf'] });
    expect(collector.commands({ device: deviceOf('linux') })).toEqual({
      commands: ["cat -- '/etc/nftables.conf'", "cat -- '/etc/frr/frr.conf'"],
    });
  });

  it('quotes paths for the shell, including single quotes and dollar signs', () => {
    expect(quoteForShell("/etc/it's $HOME")).toBe("'/etc/it'\\''s $HOME'");
  });

  it('rejects a relative path, an empty list and a path with a line break', () => {
    expect(() => linuxCollector({ files: ['etc/hosts'] })).toThrow(
      /files\[0\] must be an absolute path/,
    );
    expect(() => linuxCollector({ files: [] })).toThrow(/at least one absolute path/);
    expect(() => linuxCollector({ files: ['/etc/a\nb'] })).toThrow(/files\[0\]/);
  });

  it("recognises cat's errors in GNU and BusyBox wording", () => {
    expect(matchesError(linux, 'cat: /etc/x: No such file or directory\n')).toBe(true);
    expect(matchesError(linux, "cat: can't open '/etc/shadow': Permission denied\n")).toBe(true);
    expect(matchesError(linux, 'cat: /etc: Is a directory\n')).toBe(true);
  });

  it('does not take a file that mentions an error for an error', () => {
    expect(
      matchesError(linux, '# ssh: Permission denied (publickey)\nlog No such file or directory\n'),
    ).toBe(false);
  });
});

describe('completeness checks', () => {
  it('Cisco IOS needs end as the last line', () => {
    expect(ciscoIos.isComplete('hostname a\n!\nend\n')).toBe(true);
    expect(ciscoIos.isComplete('hostname a\n!\n')).toBe(false);
    expect(ciscoIos.isComplete('end\nhostname a\n')).toBe(false);
  });

  it('Cisco IOS XR and Arista EOS need end as the last line', () => {
    for (const collector of [ciscoIosxr, aristaEos]) {
      expect(collector.isComplete('hostname a\nend\n'), collector.vendor).toBe(true);
      expect(collector.isComplete('hostname a\n'), collector.vendor).toBe(false);
    }
  });

  it('Cisco ASA needs : end as the last line', () => {
    expect(ciscoAsa.isComplete('hostname fw\n: end\n')).toBe(true);
    expect(ciscoAsa.isComplete('hostname fw\nend\n')).toBe(false);
  });

  it('Cisco NX-OS needs the command header and a version line', () => {
    expect(
      ciscoNxos.isComplete('!Command: show running-config\nversion 9.3(8)\nhostname a\n'),
    ).toBe(true);
    expect(ciscoNxos.isComplete('!Command: show running-config\n')).toBe(false);
  });

  it('Huawei VRP needs return as the last line', () => {
    expect(huaweiVrp.isComplete('#\n sysname A\n#\nreturn\n')).toBe(true);
    expect(huaweiVrp.isComplete('#\n sysname A\n#\n')).toBe(false);
  });

  it('Junos needs balanced braces and a closing brace last', () => {
    expect(junos.isComplete('system {\n    host-name a;\n}\n')).toBe(true);
    expect(junos.isComplete('system {\n    host-name a;\n')).toBe(false);
    expect(junos.isComplete('system {\n}\n}\n')).toBe(false);
    expect(junos.isComplete('version 1;\n')).toBe(false);
  });

  it('Junos ignores braces in strings, annotations and comments', () => {
    const text = 'a {\n    description "{ not a block";\n    /* } */\n    b 1; ## {\n}\n';
    expect(junos.isComplete(text)).toBe(true);
  });

  it('Junos accepts display set form with at least one statement', () => {
    expect(junos.isComplete('set system host-name a\ndeactivate interfaces ge-0/0/1\n')).toBe(true);
    expect(junos.isComplete('## comment only\n')).toBe(false);
  });

  it('FortiOS needs balanced config/end and edit/next blocks', () => {
    const whole =
      'config system global\n    set hostname "a"\nend\nconfig user local\n    edit "u"\n    next\nend\n';
    expect(fortios.isComplete(whole)).toBe(true);
    expect(fortios.isComplete('config system global\n    set hostname "a"\n')).toBe(false);
    expect(fortios.isComplete('config user local\n    edit "u"\nend\n')).toBe(false);
    expect(fortios.isComplete('#config-version=FG100F\n')).toBe(false);
  });

  it('FortiOS ignores end, config and next inside a quoted value spanning lines', () => {
    const text =
      'config system replacemsg admin "x"\n    set buffer "a\nend\nnext\nconfig\nb \\" c"\nend\n';
    expect(fortios.isComplete(text)).toBe(true);
  });

  it('VyOS needs set commands only, the last one with closed quotes', () => {
    expect(vyos.isComplete("set system host-name 'a'\nset service ssh port '22'\n")).toBe(true);
    expect(
      vyos.isComplete("set system host-name 'a'\nset interfaces ethernet eth0 description 'LA\n"),
    ).toBe(false);
    expect(vyos.isComplete('Welcome to VyOS\n')).toBe(false);
  });

  it('Linux accepts any non-empty output', () => {
    expect(linux.isComplete('x\n')).toBe(true);
  });
});

describe('FortiOS normalization', () => {
  it('masks ENC values, which FortiOS re-salts on every read, with a stable placeholder', () => {
    const first = normalizeConfig(
      fortios,
      'config a\n    edit "x"\n        set password ENC SH2abc==\n    next\nend\n',
    );
    const second = normalizeConfig(
      fortios,
      'config a\n    edit "x"\n        set password ENC SH2xyz==\n    next\nend\n',
    );
    expect(first.text).toContain('        set password ENC <masked>\n');
    expect(first.sha256).toBe(second.sha256);
  });

  it('drops the #conf_file_ver counter and keeps #config-version', () => {
    const text = normalizeConfig(
      fortios,
      '#config-version=FG100F-7.2.8:user=backup\n#conf_file_ver=842\nconfig a\nend\n',
    ).text;
    expect(text).toBe('#config-version=FG100F-7.2.8:user=backup\nconfig a\nend\n');
  });

  it('sends no setup command, so the console settings stay as they are', () => {
    expect(fortios.setupCommands({ device: deviceOf('fortios') })).toEqual([]);
  });
});

describe('shell-mode conversation', () => {
  const shellCollectors = builtinCollectors.filter((collector) => collector.mode === 'shell');

  it.each(
    byVendor([
      [ciscoIos, ['edge-sw-01#', 'edge-sw-01>', 'edge-sw-01(config)# ']],
      [ciscoNxos, ['leaf-101#', 'leaf-101(config-if)# ']],
      [ciscoIosxr, ['RP/0/RSP0/CPU0:pe-01.fra#', 'RP/0/RP0/CPU0:core(config)#']],
      [ciscoAsa, ['fw-dc-01#', 'fw-dc-01/tenant-a# ', 'fw-dc-01>']],
      [aristaEos, ['leaf-201#', 'leaf-201>', 'leaf-201(config)#']],
      [huaweiVrp, ['<AGG-SW-01>', '[AGG-SW-01]', '[~DC-LEAF-07-10GE1/0/1]']],
      [fortios, ['FGT-01 # ', 'FGT-01 (root) # ', 'fw-branch-01 $ ']],
      [vyos, ['vyos@vyos-edge-01:~$ ', 'vyos@vyos-edge-01# ', 'ubnt@er-x-home:~$']],
    ]),
  )('%s accepts its real prompts', (_vendor, collector, prompts) => {
    for (const prompt of prompts) expect(collector.promptPattern.test(prompt), prompt).toBe(true);
  });

  it.each(shellCollectors.map((collector) => [collector.vendor, collector] as const))(
    '%s does not take banner and configuration lines for a prompt',
    (_vendor, collector) => {
      for (const line of [
        '################',
        '# Authorized access only >',
        '!',
        ' description uplink#',
        '',
      ]) {
        expect(collector.promptPattern.test(line), JSON.stringify(line)).toBe(false);
      }
    },
  );

  it.each(
    byVendor([
      [ciscoIos, ' --More-- '],
      [ciscoAsa, '<--- More --->'],
      [huaweiVrp, '  ---- More ----'],
      [fortios, '--More-- '],
    ]),
  )('%s recognises its pager prompt', (_vendor, collector, pager) => {
    expect(collector.pagerPattern?.test(pager)).toBe(true);
  });

  it.each(shellCollectors.map((collector) => [collector.vendor, collector] as const))(
    '%s logs out with an exit command',
    (_vendor, collector) => {
      expect(collector.exitCommand).toMatch(/^(?:exit|quit|logout)$/);
    },
  );

  it('turns paging off on every Cisco-like and Huawei CLI before the configuration command', () => {
    const setup = (collector: ConfigCollector) =>
      collector.setupCommands({ device: deviceOf(collector.vendor) });
    expect(setup(ciscoIos)).toEqual(['terminal length 0', 'terminal width 0']);
    expect(setup(ciscoNxos)).toEqual(['terminal length 0']);
    expect(setup(ciscoIosxr)).toEqual(['terminal length 0', 'terminal exec prompt no-timestamp']);
    expect(setup(ciscoAsa)).toEqual(['terminal pager 0']);
    expect(setup(aristaEos)).toEqual(['terminal length 0']);
    expect(setup(huaweiVrp)).toEqual(['screen-length 0 temporary']);
  });
});

describe('the commands of SPEC §3', () => {
  it.each(
    byVendor([
      [ciscoIos, 'show running-config'],
      [ciscoNxos, 'show running-config'],
      [ciscoIosxr, 'show running-config'],
      [ciscoAsa, 'more system:running-config'],
      [junos, 'show configuration | display omit | no-more'],
      [aristaEos, 'show running-config'],
      [huaweiVrp, 'display current-configuration'],
      [fortios, 'show'],
      [vyos, 'show configuration commands | no-more'],
    ]),
  )('%s runs its configuration command', (_vendor, collector, command) => {
    expect(collector.commands({ device: deviceOf(collector.vendor) })).toEqual({
      commands: [command],
    });
  });

  it.each(
    byVendor([
      [routeros, 'exec'],
      [junos, 'exec'],
      [linux, 'exec'],
      [ciscoIos, 'shell'],
      [fortios, 'shell'],
      [vyos, 'shell'],
    ]),
  )('%s uses %s mode', (_vendor, collector, mode) => {
    expect(collector.mode).toBe(mode);
  });
});

describe('vendor error texts', () => {
  it.each(
    byVendor([
      [ciscoIos, "        ^\r\n% Invalid input detected at '^' marker.\r\n"],
      [ciscoIos, '% Incomplete command.\r\n'],
      [ciscoIos, '% Ambiguous command:  "show run"\r\n'],
      [routeros, 'bad command name exportt (line 1 column 2)\r\n'],
      [routeros, 'expected end of command (line 1 column 9)\r\n'],
      [routeros, 'syntax error (line 1 column 5)\r\n'],
      [routeros, 'failure: already have such entry\r\n'],
      [junos, 'error: syntax error: configuratio\n'],
      [junos, '           ^\nunknown command.\n'],
      [huaweiVrp, "Error: Unrecognized command found at '^' position.\r\n"],
      [fortios, 'Unknown action 0\r\n'],
      [fortios, "command parse error before 'shwo'\r\n"],
      [vyos, '  Invalid command: show [configuratio]\r\n'],
      [linux, 'cat: /etc/frr/frr.conf: No such file or directory\n'],
      [linux, 'cat: /etc/shadow: Permission denied\n'],
    ]),
  )('%s recognises %j', (_vendor, collector, output) => {
    expect(matchesError(collector, output)).toBe(true);
  });
});
