/**
 * telnetlib is an optional peer dependency (SPEC §8): without it a telnet backup fails with
 * `negotiation-failed` saying how to install it, before any connection is made, and SSH devices
 * are not affected. The package's absence is played through the loader's import seam, as a
 * missing package fails in Node (`ERR_MODULE_NOT_FOUND`).
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isBackupError, type BackupError } from '../../src/core/errors.js';
import { collectConfig } from '../../src/ssh/collect.js';
import {
  loadTelnetLibrary,
  replaceTelnetImporterForTesting,
  TELNETLIB_MISSING,
} from '../../src/telnet/library.js';

/** An importer that fails as `import()` of a package that is not installed does. */
function missingPackages(imported: string[]): (specifier: string) => Promise<unknown> {
  return (specifier) => {
    imported.push(specifier);
    const error = new Error(`Cannot find package '${specifier}' imported from confsnap`);
    return Promise.reject(Object.assign(error, { code: 'ERR_MODULE_NOT_FOUND' }));
  };
}

async function failure(promise: Promise<unknown>): Promise<BackupError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
  return error;
}

/** A TCP listener that counts the connections made to it. */
async function countingListener(): Promise<{ server: Server; port: number; count: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, count: () => connections };
}

const servers: Server[] = [];
afterEach(async () => {
  replaceTelnetImporterForTesting();
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

describe('without the telnetlib package', () => {
  it('loadTelnetLibrary rejects with the install advice and the import error as cause', async () => {
    const imported: string[] = [];
    replaceTelnetImporterForTesting(missingPackages(imported));
    const error: unknown = await loadTelnetLibrary().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(TELNETLIB_MISSING);
    expect(TELNETLIB_MISSING).toBe(
      "transport: 'telnet' needs the telnetlib package: npm install telnetlib",
    );
    expect(((error as Error).cause as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
    expect(imported).toEqual(['telnetlib']);
  });

  it('a telnet backup is negotiation-failed naming the device and the package, and connects nowhere', async () => {
    replaceTelnetImporterForTesting(missingPackages([]));
    const listener = await countingListener();
    servers.push(listener.server);
    const error = await failure(
      collectConfig({
        device: {
          id: 'sw1',
          host: '127.0.0.1',
          port: listener.port,
          vendor: 'cisco-ios',
          transport: 'telnet',
        },
        credentials: { username: 'backup', password: 'Never-sent-anywhere' },
        connectTimeoutMs: 2_000,
      }),
    );
    expect(error.kind).toBe('negotiation-failed');
    expect(error.permanent).toBe(false);
    expect(error.deviceId).toBe('sw1');
    expect(error.details.reason).toBe('telnetlib-missing');
    expect(error.message).toBe(
      "sw1: transport: 'telnet' needs the telnetlib package: npm install telnetlib (next to confsnap); until it can be loaded every attempt fails the same way",
    );
    expect(error.message).not.toContain('Never-sent-anywhere');
    expect(listener.count()).toBe(0);
  });

  it('is not remembered: once the package is there, the next load succeeds', async () => {
    let installed = false;
    const imported: string[] = [];
    const missing = missingPackages(imported);
    replaceTelnetImporterForTesting((specifier) =>
      installed ? import(specifier) : missing(specifier),
    );
    await expect(loadTelnetLibrary()).rejects.toThrow(TELNETLIB_MISSING);
    installed = true; // npm install telnetlib, no restart
    const library = await loadTelnetLibrary();
    expect(typeof library.TelnetSocket).toBe('function');
    expect(imported).toEqual(['telnetlib']);
  });
});
