import { SetupError } from './publishers.js';

/** The servers of a `--nats` URL and the credentials written in it, as nats.js takes them. */
export interface NatsServers {
  /** Each server of the comma list, without credentials (`nats://host:4222`). */
  readonly servers: string[];
  /** The user name, percent-decoded, when the URL holds `user:password@`. */
  readonly user?: string;
  /** The password, percent-decoded, next to {@link NatsServers.user}. */
  readonly pass?: string;
  /** The token, percent-decoded, when the URL holds `token@` (a user name without a password). */
  readonly token?: string;
}

/**
 * Splits a `--nats` value (one URL or a comma list) into its servers and its credentials.
 *
 * nats.js does not read credentials written in a server URL, so they are taken out here, decoded
 * (`p%40ss` is `p@ss`; a raw `@` in the password works too) and passed as `user`/`pass` or `token`.
 * Servers without credentials take those of the others; servers with different ones are refused,
 * since a connection has one set.
 *
 * @throws {SetupError} (exit 2) when servers carry different credentials or a server with `@` cannot
 * be parsed as a URL. The message never contains the credentials.
 *
 * @example
 * ```ts
 * natsServers('nats://user:p%40ss@127.0.0.1:4222');
 * // { servers: ['nats://127.0.0.1:4222'], user: 'user', pass: 'p@ss' }
 * ```
 */
export function natsServers(url: string): NatsServers {
  const servers: string[] = [];
  let credentials: Credentials | undefined;
  let credentialsOf = '';
  for (const [index, part] of url.split(',').entries()) {
    const server = part.trim();
    const parsed = withoutCredentials(server, index);
    servers.push(parsed.server);
    if (parsed.credentials === undefined) continue;
    if (credentials === undefined) {
      credentials = parsed.credentials;
      credentialsOf = parsed.server;
    } else if (!sameCredentials(credentials, parsed.credentials)) {
      throw new SetupError(
        `--nats: the servers ${credentialsOf} and ${parsed.server} carry different credentials, but one connection has one set; write the same user and password (or token) in each, or in only one of them`,
        2,
      );
    }
  }
  return { servers, ...credentials };
}

type Credentials = { user: string; pass: string } | { token: string };

function withoutCredentials(
  server: string,
  index: number,
): { server: string; credentials?: Credentials } {
  if (!server.includes('@')) return { server };
  const parsed = URL.canParse(server) ? new URL(server) : undefined;
  // `#`, `?` or `/` in a password end the credentials early: an `@` is left outside of them.
  const rest = parsed ? `${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}` : '';
  if (!parsed || parsed.host === '' || rest.includes('@')) {
    throw new SetupError(
      `--nats: server ${index + 1} of the URL cannot be read as scheme://user:password@host:port; percent-encode the password's @, /, #, ? and % (@ is %40)`,
      2,
    );
  }
  const path = parsed.pathname === '/' ? '' : parsed.pathname;
  const bare = `${parsed.protocol}//${parsed.host}${path}${parsed.search}`;
  const user = decode(parsed.username, index);
  const pass = decode(parsed.password, index);
  if (pass === '' && user === '') return { server: bare };
  return { server: bare, credentials: pass === '' ? { token: user } : { user, pass } };
}

function decode(text: string, index: number): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SetupError(
      `--nats: the credentials of server ${index + 1} hold a % that is not percent-encoding; write % as %25`,
      2,
    );
  }
}

function sameCredentials(a: Credentials, b: Credentials): boolean {
  if ('token' in a || 'token' in b) return 'token' in a && 'token' in b && a.token === b.token;
  return a.user === b.user && a.pass === b.pass;
}
