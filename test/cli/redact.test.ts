/** Credentials in --nats/--redis URLs never reach the output, whatever the password holds. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactText, redactUrl, urlSecrets } from '../../src/cli/redact.js';
import { cli, tempDir, writeInventory } from './helpers.js';

/** Passwords chosen to break a hand-written pattern: `@`, `/`, `#`, `?`, `:`, `,`, `%`, space. */
const HOSTILE_PASSWORDS = [
  'r3d!s@Secret',
  'a@b@c',
  'pa/ss@w0rd',
  'x#frag@ment',
  'q?uery=1@z',
  'co:lon@s',
  'com,ma@x',
  '%40enc%2Foded',
  'sp ace@d',
  'quo\'te"@x',
] as const;

function leaked(text: string, password: string): string[] {
  // Any run of 4+ characters of the password left in the output is a leak.
  const pieces: string[] = [];
  for (let start = 0; start + 4 <= password.length; start++) {
    const piece = password.slice(start, start + 4);
    if (!/^[@:/#?,%. ]/.test(piece) && text.includes(piece)) pieces.push(piece);
  }
  return pieces;
}

describe('redactUrl', () => {
  it('hides a Redis password that contains @ (the reported leak)', () => {
    expect(redactUrl('redis://:r3d!s@Secret@10.0.0.5:6379/0')).toBe('redis://***@10.0.0.5:6379/0');
  });

  it.each(HOSTILE_PASSWORDS)('leaves nothing of the password %j and keeps the host', (password) => {
    for (const url of [
      `redis://:${password}@cache.example.net:6380`,
      `rediss://default:${password}@cache.example.net:6380/2`,
      `nats://user:${password}@nats.example.net:4222`,
    ]) {
      const shown = redactUrl(url);
      expect(shown, url).toMatch(/^[a-z]+:\/\/\*\*\*@/);
      expect(shown, url).toContain('.example.net:');
      expect(leaked(shown, password), url).toEqual([]);
    }
  });

  it('hides a NATS token and the credentials of every server of a list', () => {
    expect(redactUrl('nats://s3cr3t-token@n1:4222')).toBe('nats://***@n1:4222');
    expect(redactUrl('nats://a:pw-one@n1:4222,nats://b:pw-two@n2:4222')).toBe(
      'nats://***@n1:4222,nats://***@n2:4222',
    );
    expect(redactUrl('nats://tok,en-with-comma@n1:4222')).toBe('nats://***@n1:4222');
  });

  it('leaves URLs without credentials as they are', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('nats://n1:4222,nats://n2:4222')).toBe('nats://n1:4222,nats://n2:4222');
  });

  it('redacts everything up to the last @ of text no parser accepts', () => {
    expect(redactUrl('redis://:pa/ss#w@rd@')).toBe('redis://***@');
    expect(redactUrl('not a url: s3cret@host')).toBe('***@host');
  });
});

describe('redactText', () => {
  it.each(HOSTILE_PASSWORDS)('scrubs %j from an error message that quotes it', (password) => {
    const url = `redis://:${password}@127.0.0.1:6379`;
    const message = `connect to ${url} failed; password "${password}" rejected`;
    const shown = redactText(message, urlSecrets(url));
    expect(leaked(shown, password)).toEqual([]);
    expect(shown).toContain('127.0.0.1:6379');
  });
});

describe('the command line', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it.each(HOSTILE_PASSWORDS)(
    'never prints the NATS password %j, not even when NATS cannot be reached',
    async (password) => {
      const inventory = writeInventory(dir, {
        defaults: { username: 'u', password_env: 'P' },
        devices: [{ id: 'r1', host: '127.0.0.1', port: 1, vendor: 'routeros' }],
      });
      // Port 1 on loopback refuses at once: the error path, which quotes the URL.
      const url = `nats://confsnap:${password}@127.0.0.1:1`;
      const run = await cli(
        ['backup', '--inventory', inventory, '--out', join(dir, 'out'), `--nats=${url}`],
        { cwd: dir, env: { P: 'device-password' } },
      );
      expect(leaked(run.all(), password)).toEqual([]);
      if (password.includes(',')) {
        // A comma separates NATS servers: the second "server" is no URL, which is bad usage.
        expect(run.code).toBe(2);
        expect(run.stderr()).toContain('--nats must be a URL');
      } else if (/[/#?]/.test(password)) {
        // These end the credentials early: the URL cannot be read, and the user is told what to do.
        expect(run.code).toBe(2);
        expect(run.stderr()).toContain('percent-encode the password');
      } else {
        expect(run.code).toBe(1);
        expect(run.stderr()).toContain('cannot connect to NATS at nats://***@127.0.0.1:1');
      }
    },
  );
});
