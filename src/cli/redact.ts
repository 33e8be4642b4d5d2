import type { CliIO } from './io.js';

/** What stands for credentials in everything the CLI prints. */
export const REDACTED = '***';

/** Secrets shorter than this are not searched for in free text (they would match everywhere). */
const MIN_SECRET_LENGTH = 4;

const SCHEME = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A URL as it may be printed: its credentials (`redis://:secret@host`, a NATS token
 * `nats://token@host`, `user:password@`) are replaced by `***`, whatever characters the password
 * holds. A comma-separated server list (`nats://a@h1,nats://b@h2`) is redacted server by server.
 *
 * The WHATWG URL parser finds the end of the credentials. When it cannot parse the text (a password
 * with `/`, `#` or `?` in it, a malformed URL), everything between the scheme and the last `@` is
 * replaced, so nothing of the password can remain.
 *
 * @example
 * ```ts
 * redactUrl('redis://:r3d!s@Secret@host:6379'); // 'redis://***@host:6379'
 * ```
 */
export function redactUrl(url: string): string {
  if (!url.includes('@')) return url;
  const whole = redactOneServer(url);
  if (whole !== undefined) return whole;
  const servers = url.split(',');
  if (servers.length > 1) {
    const redacted = servers.map((server) =>
      server.includes('@') ? redactOneServer(server) : server,
    );
    if (redacted.every((server) => server !== undefined)) return redacted.join(',');
  }
  return redactUpToLastAt(url);
}

/** One server's URL with its credentials replaced, or undefined when the parser cannot be trusted. */
function redactOneServer(server: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(server.trim());
  } catch {
    return undefined;
  }
  const rest = `${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
  // Every `@` must have been part of the credentials; one left elsewhere means the parser split the
  // text somewhere other than the user meant (`redis://:a#b@host` reads `#b@host` as a fragment).
  if (rest.includes('@') || parsed.host === '') return undefined;
  const leading = /^\s*/.exec(server)?.[0] ?? '';
  return `${leading}${parsed.protocol}//${REDACTED}@${rest}`;
}

function redactUpToLastAt(url: string): string {
  const scheme = SCHEME.exec(url)?.[0] ?? '';
  return `${scheme}${REDACTED}${url.slice(url.lastIndexOf('@'))}`;
}

/**
 * The secrets a URL carries, in every form they may be printed in: the raw text between the scheme
 * and the last `@`, and each server's password (or token: a user name without a password) as
 * written and percent-decoded. Used
 * to scrub them from free text such as a library's error message.
 */
export function urlSecrets(url: string): string[] {
  if (!url.includes('@')) return [];
  const secrets = new Set<string>();
  const add = (value: string): void => {
    if (value.length < MIN_SECRET_LENGTH) return;
    secrets.add(value);
    try {
      secrets.add(decodeURIComponent(value));
    } catch {
      // not percent-encoded
    }
  };
  const collect = (text: string): void => {
    const start = SCHEME.exec(text)?.[0].length ?? 0;
    const end = text.lastIndexOf('@');
    if (end <= start) return;
    const userinfo = text.slice(start, end);
    add(userinfo);
    // A user name next to a password is no secret (and may be a common word); alone it is a token.
    const colon = userinfo.indexOf(':');
    if (colon >= 0) add(userinfo.slice(colon + 1));
    try {
      const parsed = new URL(text.trim());
      add(parsed.password === '' ? parsed.username : parsed.password);
    } catch {
      // the raw forms above cover it
    }
  };
  collect(url);
  for (const server of url.split(',')) if (server.includes('@')) collect(server);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Replaces in `text` every URL with credentials (`scheme://…@…`) by its redacted form, and every
 * occurrence of one of `secrets` (from {@link urlSecrets}) by `***`.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(REDACTED);
  return result.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]*@[^\s'"<>]*/gi, (url) => redactUrl(url));
}

/** The values of the options that take a URL with possible credentials, from a command line. */
export function credentialUrls(argv: readonly string[]): string[] {
  const urls: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    for (const option of ['--nats', '--redis', '--git-push']) {
      if (arg === option && index + 1 < argv.length) urls.push(argv[index + 1]!);
      else if (arg.startsWith(`${option}=`)) urls.push(arg.slice(option.length + 1));
    }
  }
  return urls;
}

/**
 * `io` with both output streams scrubbed of the credentials in `urls`: whatever a command or the
 * library prints — a log line, an error message quoting a URL — never shows them.
 */
export function redactingIo(io: CliIO, urls: readonly string[]): CliIO {
  const secrets = urls.flatMap(urlSecrets);
  const scrub = (stream: CliIO['stdout']): CliIO['stdout'] => ({
    write: (text: string) => stream.write(redactText(text, secrets)),
  });
  return { ...io, stdout: scrub(io.stdout), stderr: scrub(io.stderr) };
}
