import type { createAdaptorServer as CreateAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SetupError } from '../publishers.js';
import { authorityOf, type HttpAddress } from './address.js';
import { buildHttpApp, type HonoModules, type HttpApiOptions } from './app.js';

/** A running HTTP API; `close()` it. */
export interface RunningHttpApi {
  /** The base URL, with the port the system chose for port 0. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends every open connection (requests in progress are cut off). */
  close(): Promise<void>;
}

const HONO_ADVICE =
  '--http needs the hono and @hono/node-server packages: npm install hono @hono/node-server';

/**
 * Serves the API and web UI of {@link buildHttpApp} on `address`. hono is loaded only here, so
 * `confsnap run` without `--http` works without it.
 *
 * @throws {SetupError} when hono is not installed or the address cannot be bound.
 */
export async function startHttpApi(
  address: HttpAddress,
  options: Omit<HttpApiOptions, 'listenHost'>,
): Promise<RunningHttpApi> {
  let hono: HonoModules;
  let createAdaptorServer: typeof CreateAdaptorServer;
  try {
    const [{ Hono }, { bodyLimit }] = await Promise.all([
      import('hono'),
      import('hono/body-limit'),
    ]);
    hono = { Hono, bodyLimit };
    ({ createAdaptorServer } = await import('@hono/node-server'));
  } catch {
    throw new SetupError(HONO_ADVICE, 1);
  }
  const app = buildHttpApp(hono, { ...options, listenHost: address.host });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new SetupError(
          `--http ${authorityOf(address.host, address.port)}: cannot listen there (${error.code ?? error.message})` +
            (error.code === 'EADDRINUSE' ? '; another process uses the port' : ''),
          error.code === 'EADDRINUSE' || error.code === 'EACCES' ? 1 : 2,
        ),
      );
    };
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${authorityOf(address.host, port)}/`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
