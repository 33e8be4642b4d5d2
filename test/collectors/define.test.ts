import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_VENDORS,
  createCollectorRegistry,
  DEFAULT_ENABLE_PASSWORD_PROMPT,
  DEFAULT_PROMPT_PATTERN,
  defineCollector,
  normalizeConfig,
  type CollectorDefinition,
} from '../../src/collectors/index.js';
import type { Device } from '../../src/core/device.js';

const device: Device = { id: 'sw-1', host: '192.0.2.10', vendor: 'acme-edge' };
const minimal: CollectorDefinition = { vendor: 'acme-edge', commands: ['show config'] };

describe('defineCollector', () => {
  it('needs only a vendor id and a command', () => {
    const collector = defineCollector(minimal);
    expect(collector.vendor).toBe('acme-edge');
    expect(collector.commands({ device })).toEqual({ commands: ['show config'] });
  });

  it('defaults to exec mode, the generic prompt, a space for pagers and no patterns', () => {
    const collector = defineCollector(minimal);
    expect(collector.displayName).toBe('acme-edge');
    expect(collector.mode).toBe('exec');
    expect(collector.promptPattern).toBe(DEFAULT_PROMPT_PATTERN);
    expect(collector.pagerPattern).toBeUndefined();
    expect(collector.pagerResponse).toBe(' ');
    expect(collector.exitCommand).toBeUndefined();
    expect(collector.errorPatterns).toEqual([]);
    expect(collector.syntaxErrorPatterns).toEqual([]);
    expect(collector.setupCommands({ device })).toEqual([]);
    expect(collector.normalization).toEqual({});
  });

  it('defaults the exit command to exit in shell mode', () => {
    expect(defineCollector({ ...minimal, mode: 'shell' }).exitCommand).toBe('exit');
  });

  it('treats any text with content as complete by default', () => {
    const collector = defineCollector(minimal);
    expect(collector.isComplete('hostname a\n')).toBe(true);
    expect(collector.isComplete(' \n')).toBe(false);
  });

  it('accepts the generic prompt forms of common CLIs', () => {
    for (const prompt of ['router>', 'router# ', 'user@host:~$ ', 'host% ']) {
      expect(DEFAULT_PROMPT_PATTERN.test(prompt), prompt).toBe(true);
    }
  });

  it('returns a frozen collector with frozen lists', () => {
    const collector = defineCollector({ ...minimal, errorPatterns: [/^% Error/m] });
    expect(Object.isFrozen(collector)).toBe(true);
    expect(Object.isFrozen(collector.errorPatterns)).toBe(true);
    expect(Object.isFrozen(collector.normalization)).toBe(true);
    expect(Object.isFrozen(collector.commands({ device }).commands)).toBe(true);
  });

  it('does not follow later changes to the arrays it was given', () => {
    const commands = ['show config'];
    const collector = defineCollector({ ...minimal, commands });
    commands.push('reload');
    expect(collector.commands({ device }).commands).toEqual(['show config']);
  });

  it('passes the device to command functions, so commands can depend on the version', () => {
    const collector = defineCollector({
      ...minimal,
      commands: ({ device: { version } }) =>
        version?.startsWith('2.')
          ? ['show running']
          : { commands: ['show config'], fallback: ['show run'] },
    });
    expect(collector.commands({ device: { ...device, version: '2.1' } })).toEqual({
      commands: ['show running'],
    });
    expect(collector.commands({ device })).toEqual({
      commands: ['show config'],
      fallback: ['show run'],
    });
  });

  it.each([
    ['an empty vendor id', { ...minimal, vendor: '' }, /vendor must be/],
    ['a vendor id with capitals', { ...minimal, vendor: 'Cisco' }, /vendor must be/],
    ['a vendor id with a dot', { ...minimal, vendor: 'acme.os' }, /vendor must be/],
    ['a vendor id with white space', { ...minimal, vendor: 'acme os' }, /vendor must be/],
    ['a vendor id ending in a hyphen', { ...minimal, vendor: 'acme-' }, /vendor must be/],
    ['an unknown mode', { ...minimal, mode: 'telnet' }, /mode must be "exec" or "shell"/],
    ['no command', { ...minimal, commands: [] }, /commands needs at least one command/],
    ['an empty command', { ...minimal, commands: ['  '] }, /commands\[0\] must be a non-empty/],
    ['a command with a line break', { ...minimal, commands: ['a\nb'] }, /single-line/],
    ['an empty fallback', { ...minimal, commands: { commands: ['a'], fallback: [] } }, /fallback/],
    [
      'a prompt pattern that is a string',
      { ...minimal, promptPattern: '#' },
      /promptPattern must be a RegExp/,
    ],
    [
      'a shell prompt pattern that matches an empty line',
      { ...minimal, mode: 'shell', promptPattern: /.*/ },
      /promptPattern matches an empty line/,
    ],
    [
      'a global error pattern',
      { ...minimal, errorPatterns: [/x/g] },
      /errorPatterns\[0\].*g or y flag/,
    ],
    [
      'a sticky drop pattern',
      { ...minimal, normalization: { dropLines: [/x/y] } },
      /dropLines\[0\]/,
    ],
    [
      'a malformed replacement',
      { ...minimal, normalization: { replaceInLines: [[/x/]] } },
      /replaceInLines\[0\] must be \[RegExp, string\]/,
    ],
    [
      'setup commands in exec mode',
      { ...minimal, setupCommands: ['terminal length 0'] },
      /only run in shell mode/,
    ],
    [
      'a login inside the shell in exec mode',
      { ...minimal, shellLogin: true },
      /shellLogin must be a boolean, and true only in shell mode/,
    ],
    [
      'a numbered prompt in exec mode',
      { ...minimal, numberedPrompt: true },
      /numberedPrompt must be a boolean, and true only in shell mode/,
    ],
    [
      'a completeness check that is not a function',
      { ...minimal, isComplete: true },
      /isComplete must be a function/,
    ],
  ])('rejects %s with a TypeError naming the field', (_name, definition, message) => {
    expect(() => defineCollector(definition as unknown as CollectorDefinition)).toThrow(TypeError);
    expect(() => defineCollector(definition as unknown as CollectorDefinition)).toThrow(message);
  });

  it('relies on the exit status unless told the device never sends one', () => {
    expect(defineCollector(minimal).exitStatus).toBe('required');
    const isComplete = (text: string): boolean => text.endsWith('\nend\n');
    expect(defineCollector({ ...minimal, exitStatus: 'optional', isComplete }).exitStatus).toBe(
      'optional',
    );
  });

  it('rejects a wrong exitStatus, naming the field and what it needs', () => {
    const isComplete = (text: string): boolean => text.endsWith('\nend\n');
    expect(() =>
      defineCollector({ ...minimal, exitStatus: 'sometimes' as never, isComplete }),
    ).toThrow(/exitStatus must be "required" or "optional"/);
    // Without an exit status only the completeness check can tell a cut output.
    expect(() => defineCollector({ ...minimal, exitStatus: 'optional' })).toThrow(
      /exitStatus "optional" needs an isComplete/,
    );
    expect(() =>
      defineCollector({ ...minimal, mode: 'shell', exitStatus: 'optional', isComplete }),
    ).toThrow(/exitStatus only applies in exec mode/);
  });

  it('names the vendor in its errors', () => {
    expect(() => defineCollector({ ...minimal, commands: [] })).toThrow(
      /defineCollector\("acme-edge"\)/,
    );
  });

  it('rejects a command function that returns no command, when it is called', () => {
    const collector = defineCollector({ ...minimal, commands: () => [] });
    expect(() => collector.commands({ device })).toThrow(/at least one command/);
  });

  it('allows the g flag on replacements, where it means "every match"', () => {
    const collector = defineCollector({
      ...minimal,
      normalization: { replaceInLines: [[/\d/g, '#']] },
    });
    expect(normalizeConfig(collector, 'a1b2\n').text).toBe('a#b#\n');
  });
});

describe('a custom collector in about twenty lines', () => {
  // The whole vendor definition a user writes:
  const acmeEdge = defineCollector({
    vendor: 'acme-edge',
    displayName: 'ACME EdgeSwitch',
    mode: 'shell',
    promptPattern: /^[\w.-]+[>#] ?$/,
    setupCommands: ['terminal length 0'],
    commands: ['show running-config'],
    pagerPattern: /--More--\s*$/,
    errorPatterns: [/^% Invalid input/m],
    isComplete: (text) => text.endsWith('\nend\n'),
    normalization: { dropLines: [/^! Generated at /] },
  });

  it('is registered beside the built-in collectors', () => {
    const registry = createCollectorRegistry([acmeEdge]);
    expect(registry.get('acme-edge')).toBe(acmeEdge);
    expect(registry.has('routeros')).toBe(true);
    expect(registry.vendors()).toEqual([...BUILT_IN_VENDORS, 'acme-edge']);
  });

  it('normalizes and checks output without a network', () => {
    const raw = '! Generated at 10:00\r\nhostname edge-1\r\n!\r\nend\r\n';
    const { text } = normalizeConfig('acme-edge', raw, createCollectorRegistry([acmeEdge]));
    expect(text).toBe('hostname edge-1\n!\nend\n');
    expect(acmeEdge.isComplete(text)).toBe(true);
    expect(acmeEdge.errorPatterns.some((pattern) => pattern.test('% Invalid input\r\n'))).toBe(
      true,
    );
    expect(acmeEdge.promptPattern.test('edge-1#')).toBe(true);
  });
});

describe('defineCollector privilege', () => {
  const shell: CollectorDefinition = { ...minimal, mode: 'shell' };

  it('fills in enable and a Password: prompt around the privileged prompt given', () => {
    const collector = defineCollector({ ...shell, privilege: { privilegedPrompt: /#$/ } });
    expect(collector.privilege).toEqual({
      command: 'enable',
      passwordPrompt: DEFAULT_ENABLE_PASSWORD_PROMPT,
      privilegedPrompt: /#$/,
      failurePatterns: [],
    });
    expect(DEFAULT_ENABLE_PASSWORD_PROMPT.test('Password:')).toBe(true);
    expect(DEFAULT_ENABLE_PASSWORD_PROMPT.test('Enable Password:')).toBe(true);
    expect(defineCollector(shell).privilege).toBeUndefined();
  });

  it('refuses a privilege step in exec mode, and one without a usable privileged prompt', () => {
    expect(() => defineCollector({ ...minimal, privilege: { privilegedPrompt: /#$/ } })).toThrow(
      /privilege only applies in shell mode/,
    );
    expect(() =>
      defineCollector({ ...shell, privilege: {} as { privilegedPrompt: RegExp } }),
    ).toThrow(/privilege\.privilegedPrompt must be a RegExp/);
    expect(() => defineCollector({ ...shell, privilege: { privilegedPrompt: /.*/ } })).toThrow(
      /privilegedPrompt matches an empty line/,
    );
    expect(() =>
      defineCollector({ ...shell, privilege: { privilegedPrompt: /#$/, command: 'en\nable' } }),
    ).toThrow(/privilege\.command must be a non-empty, single-line command/);
  });

  it('is declared by the built-in IOS, ASA and EOS collectors', () => {
    const registry = createCollectorRegistry();
    for (const vendor of ['cisco-ios', 'cisco-asa', 'arista-eos']) {
      expect(registry.get(vendor)?.privilege?.privilegedPrompt.test('fw1#')).toBe(true);
      expect(registry.get(vendor)?.privilege?.privilegedPrompt.test('fw1>')).toBe(false);
    }
  });
});

describe('defineCollector detectVersion', () => {
  it('keeps a declared detectVersion and declares none by default', () => {
    const detectVersion = (head: string) => /^v(\S+)/.exec(head)?.[1];
    expect(defineCollector({ ...minimal, detectVersion }).detectVersion?.('v1.2\n')).toBe('1.2');
    expect(defineCollector(minimal).detectVersion).toBeUndefined();
  });

  it('rejects a detectVersion that is not a function, naming it', () => {
    expect(() =>
      defineCollector({ ...minimal, detectVersion: 'header' as unknown as () => undefined }),
    ).toThrow(/defineCollector\("acme-edge"\): detectVersion must be a function/);
  });

  it('lets RouterOS read its version from the export header', () => {
    const routerosCollector = createCollectorRegistry().get('routeros')!;
    expect(routerosCollector.detectVersion?.('# 2024-05-01 12:00:00 by RouterOS 7.16.2\n#')).toBe(
      '7.16.2',
    );
    expect(routerosCollector.detectVersion?.('/system identity\n')).toBeUndefined();
  });
});
