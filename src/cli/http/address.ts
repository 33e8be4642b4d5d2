import { isIP } from 'node:net';

/** Where `confsnap run --http` listens. */
export interface HttpAddress {
  /** An IP address or `localhost`; IPv6 without brackets. */
  readonly host: string;
  /** 0 asks the system for a free port (the log line says which). */
  readonly port: number;
}

/** The host `--http PORT` binds to: loopback, so nothing beyond this machine can connect. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';

/** The environment variable holding the bearer token, unless `--http-token-env` names another. */
export const DEFAULT_HTTP_TOKEN_ENV = 'CONFSNAP_HTTP_TOKEN';

/** Shorter tokens are refused: a token is all that guards a backup trigger beyond loopback. */
export const MIN_HTTP_TOKEN_LENGTH = 16;

/**
 * Parses `--http ADDR`: `PORT`, `HOST:PORT` or `[IPv6]:PORT`, where HOST is an IP address or
 * `localhost`. Returns the problem as a sentence when ADDR is not one of those.
 */
export function parseHttpAddress(text: string): HttpAddress | string {
  const trimmed = text.trim();
  const expected = 'give PORT, HOST:PORT or [IPv6]:PORT, e.g. 8080 or 127.0.0.1:8080';
  let host = DEFAULT_HTTP_HOST;
  let portText = trimmed;
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2]!;
    if (isIP(host) !== 6) return `"${host}" is not an IPv6 address; ${expected}`;
  } else if (trimmed.includes(':')) {
    const colon = trimmed.lastIndexOf(':');
    host = trimmed.slice(0, colon);
    portText = trimmed.slice(colon + 1);
    if (host.includes(':')) return `write an IPv6 address in brackets, e.g. [::1]:8080`;
    if (host !== 'localhost' && isIP(host) !== 4) {
      return `"${host}" is not an IP address or localhost; ${expected}`;
    }
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
    return `"${portText}" is not a port (0-65535); ${expected}`;
  }
  return { host, port: Number(portText) };
}

/** Whether only this machine can reach `host`: 127.0.0.0/8, ::1 (also as ::ffff:127.x) or localhost. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower === '::1') return true;
  const v4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** `host:port` as a URL authority: IPv6 in brackets. */
export function authorityOf(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
