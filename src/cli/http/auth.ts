import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost, MIN_HTTP_TOKEN_LENGTH } from './address.js';

/** The cookie the web UI's login sets: an HMAC of the token, never the token itself. */
export const SESSION_COOKIE = 'confsnap_session';

/**
 * Who may use the API: everyone on this machine (no token, loopback only), or whoever presents the
 * token — as `Authorization: Bearer TOKEN`, or through the web UI's login cookie.
 */
export class AccessRule {
  readonly #tokenDigest: Buffer | undefined;
  readonly #session: string | undefined;

  private constructor(token: string | undefined) {
    this.#tokenDigest = token === undefined ? undefined : digest(token);
    this.#session =
      token === undefined
        ? undefined
        : createHmac('sha256', token).update('confsnap web UI session').digest('base64url');
  }

  /**
   * The rule for a server on `host` with `token` (from the environment variable `tokenEnv`).
   * Returns the problem as a sentence when it must not start: no token beyond loopback, or a token
   * too short to guard anything.
   */
  static for(host: string, token: string | undefined, tokenEnv: string): AccessRule | string {
    const given = token === undefined || token.trim() === '' ? undefined : token.trim();
    if (given === undefined) {
      if (isLoopbackHost(host)) return new AccessRule(undefined);
      return (
        `--http ${host} is reachable beyond this machine, and ${tokenEnv} holds no token: ` +
        `set ${tokenEnv} to a long random secret (e.g. openssl rand -hex 32) or bind to 127.0.0.1`
      );
    }
    if (given.length < MIN_HTTP_TOKEN_LENGTH) {
      return `the token in ${tokenEnv} is too short (${given.length} characters); use at least ${MIN_HTTP_TOKEN_LENGTH}, e.g. openssl rand -hex 32`;
    }
    return new AccessRule(given);
  }

  /** Whether a token is needed. */
  get tokenRequired(): boolean {
    return this.#tokenDigest !== undefined;
  }

  /** The cookie value that stands for the token after a login through the web UI. */
  get sessionValue(): string | undefined {
    return this.#session;
  }

  /** Whether a request with these headers may pass. */
  allows(authorization: string | undefined, cookie: string | undefined): boolean {
    if (!this.#tokenDigest) return true;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (bearer !== undefined && this.matches(bearer)) return true;
    const session = cookieValue(cookie, SESSION_COOKIE);
    return session !== undefined && safeEqual(session, this.#session!);
  }

  /** Whether `candidate` is the token (in constant time). */
  matches(candidate: string): boolean {
    return this.#tokenDigest !== undefined && timingSafeEqual(digest(candidate), this.#tokenDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The value of cookie `name` in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Whether a `Host` header names this server as a browser on this machine would: a loopback name or
 * the address it listens on. Refusing other names stops DNS rebinding — a web page whose own name
 * resolves to 127.0.0.1 reading the API of a server that asks for no token.
 */
export function isExpectedHost(hostHeader: string | undefined, listenHost: string): boolean {
  if (hostHeader === undefined) return false;
  const name = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader)?.[1] ?? hostHeader.replace(/:\d+$/, '');
  return isLoopbackHost(name) || name.toLowerCase() === listenHost.toLowerCase();
}
