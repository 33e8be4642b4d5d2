import { describe, expect, it } from 'vitest';
import {
  defineCollector,
  maskSecretsInText,
  normalizeConfig,
  PRIVATE_KEY_BLOCK,
  routeros,
  routerosCollector,
  SECRET_PLACEHOLDER,
  type SecretRule,
} from '../../src/collectors/index.js';

describe('maskSecretsInText', () => {
  it('replaces each capturing group and keeps the rest of the line', () => {
    const rules: SecretRule[] = [{ line: /^username \S+ secret (\d) (\S+)/ }];
    expect(maskSecretsInText('username a secret 9 $9$x\nhostname r1\n', rules)).toBe(
      `username a secret ${SECRET_PLACEHOLDER} ${SECRET_PLACEHOLDER}\nhostname r1\n`,
    );
  });

  it('masks every match in a line with the g flag, and only the first without it', () => {
    const line = 'add password=a secret=b';
    expect(maskSecretsInText(line, [{ line: /(?:password|secret)=(\S+)/g }])).toBe(
      'add password=<secret hidden> secret=<secret hidden>',
    );
    expect(maskSecretsInText(line, [{ line: /(?:password|secret)=(\S+)/ }])).toBe(
      'add password=<secret hidden> secret=b',
    );
  });

  it('applies a rule with within only between its from and until lines', () => {
    const rules: SecretRule[] = [
      { line: /name=(\S+)/, within: { from: /^\/snmp community$/, until: /^\// } },
    ];
    const text =
      '/ppp profile\nadd name=a\n/snmp community\nadd name=public\n/system identity\nset name=r1\n';
    expect(maskSecretsInText(text, rules)).toBe(
      '/ppp profile\nadd name=a\n/snmp community\nadd name=<secret hidden>\n/system identity\nset name=r1\n',
    );
  });

  it('turns the body of a private key into one line, indented like it, armour kept', () => {
    const text =
      'key:\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIabc\n  MIIdef\n  -----END RSA PRIVATE KEY-----\nend\n';
    expect(maskSecretsInText(text, [PRIVATE_KEY_BLOCK])).toBe(
      'key:\n  -----BEGIN RSA PRIVATE KEY-----\n  <secret hidden>\n  -----END RSA PRIVATE KEY-----\nend\n',
    );
  });

  it('masks a private key with no end line to the end of the text', () => {
    expect(
      maskSecretsInText('-----BEGIN PRIVATE KEY-----\nMIIabc\nMIIdef\n', [PRIVATE_KEY_BLOCK]),
    ).toBe('-----BEGIN PRIVATE KEY-----\n<secret hidden>\n');
  });

  it('is idempotent, also for values written as (\\S+) that the placeholder would break', () => {
    const rules: SecretRule[] = [{ line: /^enable secret \d+ (\S+)$/ }, { line: /key "([^"]*)"/g }];
    const once = maskSecretsInText('enable secret 9 $9$abc\nkey "x" key "y"\n', rules);
    expect(once).toBe(
      'enable secret 9 <secret hidden>\nkey "<secret hidden>" key "<secret hidden>"\n',
    );
    expect(maskSecretsInText(once, rules)).toBe(once);
  });

  it('leaves an empty value alone: there is nothing to hide', () => {
    expect(maskSecretsInText("set password ''", [{ line: /password '([^']*)'/ }])).toBe(
      "set password ''",
    );
  });

  it('keeps a text with private-use characters of its own unchanged where no rule matches', () => {
    const text = 'description \uE000 marker\nenable secret 5 abc\n';
    expect(maskSecretsInText(text, [{ line: /^enable secret \d (\S+)/ }])).toBe(
      'description \uE000 marker\nenable secret 5 <secret hidden>\n',
    );
  });
});

describe('normalizeConfig with maskSecrets', () => {
  it('hashes the masked text, so a re-salted hash is no change', () => {
    const first = normalizeConfig('cisco-ios', 'enable secret 9 $9$salt1$aaa\nend\n', undefined, {
      maskSecrets: true,
    });
    const second = normalizeConfig('cisco-ios', 'enable secret 9 $9$salt2$bbb\nend\n', undefined, {
      maskSecrets: true,
    });
    expect(first.text).toBe('enable secret 9 <secret hidden>\nend\n');
    expect(second.sha256).toBe(first.sha256);
    expect(first.secretsMasked).toBe(true);
  });

  it('masks on the byte path too', () => {
    const raw = Buffer.from('/ppp secret\nadd name=a password=p\n');
    expect(normalizeConfig('routeros', raw, undefined, { maskSecrets: true }).text).toBe(
      '/ppp secret\nadd name=a password=<secret hidden>\n',
    );
    expect(normalizeConfig('routeros', raw).text).toContain('password=p');
  });

  it('reads FortiOS ENC values as <secret hidden> when masking, <masked> otherwise', () => {
    const raw =
      'config system admin\n    edit "a"\n        set password ENC SH2xyz\n    next\nend\n';
    expect(normalizeConfig('fortios', raw).text).toContain('set password ENC <masked>\n');
    expect(normalizeConfig('fortios', raw, undefined, { maskSecrets: true }).text).toContain(
      'set password ENC <secret hidden>\n',
    );
  });
});

describe('defineCollector secrets', () => {
  it('rejects a line rule without a capturing group, naming it', () => {
    expect(() =>
      defineCollector({ vendor: 'acme', commands: ['show'], secrets: [{ line: /^password \S+/ }] }),
    ).toThrow(/secrets\[0\]\.line .* has no capturing group/);
  });

  it('rejects a rule that is neither a line nor a block, naming it', () => {
    expect(() =>
      defineCollector({
        vendor: 'acme',
        commands: ['show'],
        secrets: [{ between: { begin: /BEGIN/, end: 'END' as unknown as RegExp } }],
      }),
    ).toThrow(/secrets\[0\]\.between\.end must be a RegExp/);
    expect(() =>
      defineCollector({
        vendor: 'acme',
        commands: ['show'],
        secrets: [{ line: /key=(\S+)/, within: { from: /^\/x$/, until: /^\//y } }],
      }),
    ).toThrow(/secrets\[0\]\.within\.until/);
  });

  it('keeps the declared rules, frozen, and none by default', () => {
    const collector = defineCollector({
      vendor: 'acme',
      commands: ['show'],
      secrets: [{ line: /^password (\S+)/ }, PRIVATE_KEY_BLOCK],
    });
    expect(collector.secrets).toHaveLength(2);
    expect(Object.isFrozen(collector.secrets)).toBe(true);
    expect(defineCollector({ vendor: 'acme', commands: ['show'] }).secrets).toEqual([]);
  });
});

describe('RouterOS when masking', () => {
  const context = (version?: string) => ({
    device: { id: 'r', host: 'h', vendor: 'routeros', ...(version ? { version } : {}) },
    maskSecrets: true,
  });

  it('exports hide-sensitive on every version', () => {
    expect(routeros.commands(context('6.48.6')).commands).toEqual(['/export hide-sensitive']);
    expect(routeros.commands(context('7.16.2')).commands).toEqual(['/export hide-sensitive']);
    expect(routeros.commands(context()).commands).toEqual(['/export hide-sensitive']);
  });

  it('exports show-sensitive when not masking, as before', () => {
    expect(routeros.commands({ ...context('7.16.2'), maskSecrets: false }).commands).toEqual([
      '/export show-sensitive',
    ]);
    expect(
      routerosCollector({ hideSensitive: true }).commands({ ...context('6.1'), maskSecrets: false })
        .commands,
    ).toEqual(['/export hide-sensitive']);
  });
});

describe('a collector without secret rules', () => {
  it('is not marked as masked, since nothing was', () => {
    const plain = defineCollector({ vendor: 'acme', commands: ['show'] });
    const result = normalizeConfig(plain, 'password hunter2\n', undefined, { maskSecrets: true });
    expect(result.text).toBe('password hunter2\n');
    expect(result).not.toHaveProperty('secretsMasked');
  });
});
