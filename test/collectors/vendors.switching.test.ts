/**
 * The campus and data-centre switch and controller vendors: their prompts, pagers, error texts,
 * setup and configuration commands, one table per property.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_COLLECTORS } from '../../src/collectors/vendors/index.js';
import type { ConfigCollector } from '../../src/collectors/types.js';
import type { Device } from '../../src/core/device.js';

interface VendorFacts {
  readonly prompts: readonly string[];
  /** Lines that must not pass for a prompt (besides the ones every vendor is checked against). */
  readonly notPrompts?: readonly string[];
  readonly pager?: string;
  readonly setup: readonly string[];
  readonly command: string;
  readonly errors: readonly string[];
  /** The prompt of an account that needs the privilege step, if the CLI has one. */
  readonly unprivilegedPrompt?: string;
}

const FACTS: Readonly<Record<string, VendorFacts>> = {
  'arubaos-switch': {
    prompts: ['HP-2920-24G#', 'Aruba-2930F-48G(config)# ', 'HP ProCurve Switch 2650# ', 'CORE>'],
    notPrompts: ['hostname "HP-2920#"', '   exit'],
    pager: '-- MORE --, next page: Space, next line: Enter, quit: Control-C',
    setup: ['no page'],
    command: 'show running-config',
    errors: [
      'Invalid input: runnig-config\r\n',
      '\x1b[24;1HInvalid input: running-config\r\n',
      'Ambiguous input: s\r\n',
    ],
    unprivilegedPrompt: 'HP-2920>',
  },
  'dell-powerconnect': {
    prompts: ['console#', 'DIST-SW-6248-01>', 'console(config-if-1/g1)#', 'SW 6224#'],
    notPrompts: ['!Current Configuration:', 'exit'],
    pager: '--More-- or (q)uit',
    setup: ['terminal datadump', 'terminal length 0'],
    command: 'show running-config',
    errors: [
      "          ^\r\n% Invalid input detected at '^' marker.\r\n",
      '% Incomplete command.\r\n',
      '% Unrecognized command\r\n',
    ],
    unprivilegedPrompt: 'console>',
  },
  'dell-os10': {
    prompts: ['OS10# ', 'LEAF-S5248F-01(config)# ', 'leaf1(conf-if-eth1/1/1)#', 'OS10>'],
    notPrompts: ['! Version 10.5.2.3', ' no shutdown'],
    pager: '--more--',
    setup: ['terminal length 0'],
    command: 'show running-configuration',
    errors: [
      '         ^\r\n% Error: Unrecognized command.\r\n',
      '% Error: Incomplete command.\r\n',
      '% Error: Permission denied.\r\n',
    ],
    unprivilegedPrompt: 'OS10>',
  },
  'dell-dnos': {
    prompts: ['Dell#', 'CORE-S4810-01(conf-if-te-0/1)#', 'Force10>'],
    notPrompts: ['! Version 9.14(2.4)', 'end'],
    pager: ' --More-- ',
    setup: ['terminal length 0', 'terminal width 0'],
    command: 'show running-config',
    errors: [
      '          ^\r\n% Error: Invalid input at "^" marker.\r\n',
      '% Error: Incomplete command.\r\n',
    ],
    unprivilegedPrompt: 'Dell>',
  },
  'cisco-smb': {
    prompts: ['switch01#', 'sg300-28>', 'ACC-CBS350-01(config-if)#', 'switch4f2c1a#'],
    notPrompts: ['config-file-header', '@', 'exit'],
    pager: 'More: <space>,  Quit: q or CTRL+Z, One line: <return> ',
    setup: ['terminal datadump', 'terminal width 0', 'terminal length 0'],
    command: 'show running-config',
    errors: [
      '% Unrecognized command\r\n',
      '% missing mandatory parameter\r\n',
      '% bad parameter value\r\n',
    ],
    unprivilegedPrompt: 'switch01>',
  },
  'cisco-aireos': {
    prompts: [
      '(Cisco Controller) >',
      '(WLC-HQ-01) >',
      '(WLC-HQ-01) config>',
      '(Cisco Controller) > ',
    ],
    notPrompts: ['(Cisco Controller)', 'User:', 'sysname WLC-01'],
    pager: '--More-- or (q)uit',
    setup: ['config paging disable'],
    command: 'show run-config commands',
    errors: [
      "\r\nIncorrect usage. Use the '?' or <TAB> key to list commands.\r\n",
      "Incorrect input! Use 'show run-config [commands|no-ap]'\r\n",
    ],
  },
  'extreme-exos': {
    prompts: ['X440G2-01.1 # ', '* Slot-1 DIST-STACK-01.12 # ', 'VPEX sw1.3 # ', 'sw1.4 > '],
    notPrompts: ['# Module vlan configuration.', '#'],
    pager: 'Press <SPACE> to continue or <Q> to quit:',
    setup: ['disable clipaging session'],
    command: 'show configuration',
    errors: [
      "          ^\r\n%% Invalid input detected at '^' marker.\r\n",
      '%% Incomplete command\r\n',
      '%% Ambiguous command: "sh"\r\n',
    ],
  },
  'extreme-voss': {
    prompts: ['VSP-8284XSQ:1#', 'VSP-4450GSX:1>', 'CORE-VSP8284-01:1(config)#'],
    notPrompts: ['config terminal', '# box type             : VSP-4450GSX-PWR+', 'end'],
    pager: '--More-- (q = quit)',
    setup: ['terminal more disable'],
    command: 'show running-config',
    errors: [
      "          ^\r\n% Invalid input detected at '^' marker.\r\n",
      '% Incomplete command.\r\n',
    ],
    unprivilegedPrompt: 'VSP-4450GSX:1>',
  },
  'ubiquiti-edgeswitch': {
    prompts: [
      '(UBNT EdgeSwitch) #',
      '(ACC-ES24-01) (Config)#',
      '(ES-48-LITE) (Interface 0/1)#',
      '(UBNT EdgeSwitch) >',
    ],
    notPrompts: ['!Current Configuration:', 'exit', "description 'uplink # to core >'"],
    pager: '--More-- or (q)uit',
    setup: ['terminal length 0'],
    command: 'show running-config',
    errors: [
      "          ^\r\n% Invalid input detected at '^' marker.\r\n",
      '% Incomplete command.\r\n',
    ],
    unprivilegedPrompt: '(UBNT EdgeSwitch) >',
  },
  'nokia-sros': {
    prompts: ['A:pe1# ', '*A:PE-7750-01#', 'B:pe1>config>router# ', 'A:admin@pe1#'],
    notPrompts: ['exit all', '# Generated TUE MAR 10 14:02:11 2026 UTC', '    exit'],
    pager: 'Press any key to continue (Q to quit)',
    setup: ['environment no more'],
    command: 'admin display-config',
    errors: [
      '                 ^\r\nError: Bad command.\r\n',
      'MINOR: CLI Command not allowed for this user.\r\n',
    ],
  },
};

const deviceOf = (vendor: string): Device => ({ id: 'dev-1', host: '192.0.2.1', vendor });
const collectorOf = (vendor: string): ConfigCollector =>
  (BUILT_IN_COLLECTORS as Readonly<Record<string, ConfigCollector>>)[vendor]!;
const rows = Object.entries(FACTS).map(([vendor, facts]) => [vendor, facts] as const);

describe.each(rows)('%s', (vendor, facts) => {
  const collector = collectorOf(vendor);

  it('is a shell collector with an exit command', () => {
    expect(collector.mode).toBe('shell');
    expect(collector.exitCommand).toBeTruthy();
  });

  it('accepts its real prompts and nothing a banner or configuration line holds', () => {
    for (const prompt of facts.prompts) {
      expect(collector.promptPattern.test(prompt), prompt).toBe(true);
    }
    for (const line of [
      ...(facts.notPrompts ?? []),
      '################',
      '# Authorized access only >',
      ' description uplink#',
      '',
    ]) {
      expect(collector.promptPattern.test(line), JSON.stringify(line)).toBe(false);
    }
  });

  it('recognises its pager prompt, if it has one', () => {
    if (facts.pager === undefined) expect(collector.pagerPattern).toBeUndefined();
    else expect(collector.pagerPattern?.test(facts.pager)).toBe(true);
  });

  it('turns paging off, then runs its configuration command', () => {
    const context = { device: deviceOf(vendor) };
    expect(collector.setupCommands(context)).toEqual(facts.setup);
    expect(collector.commands(context)).toEqual({ commands: [facts.command] });
  });

  it('recognises its error texts, and not its configuration', () => {
    for (const output of facts.errors) {
      expect(
        collector.errorPatterns.some((pattern) => pattern.test(output)),
        JSON.stringify(output),
      ).toBe(true);
    }
  });

  it('steps up from its unprivileged prompt where the CLI has a privilege level', () => {
    if (facts.unprivilegedPrompt === undefined) {
      expect(collector.privilege).toBeUndefined();
      return;
    }
    const step = collector.privilege!;
    expect(step.privilegedPrompt.test(facts.unprivilegedPrompt)).toBe(false);
    expect(step.privilegedPrompt.test(facts.prompts[0]!.trimEnd())).toBe(true);
  });
});
