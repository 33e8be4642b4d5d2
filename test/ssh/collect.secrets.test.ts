/** No password, key, passphrase or configuration text in any error message or log line. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { collectConfig, type CollectOptions } from '../../src/ssh/collect.js';
import { startSimulatedDevice } from '../../src/testing/simulated/index.js';
import type { SimulatedDevice, SimulatedFaults } from '../../src/testing/simulated/index.js';

const PASSWORD = 'Pa55-w0rd-that-must-never-leak';
const PASSPHRASE = 'passphrase-that-must-never-leak';
const CONFIG_MARKER = 'config-line-that-must-never-leak';
const CONFIG = `/system identity\nset name=${CONFIG_MARKER}\n/ip address\nadd address=192.0.2.1/24 interface=ether1 comment=${CONFIG_MARKER}\n`;
const { privateKey: ENCRYPTED_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: {
    type: 'pkcs1',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: 'the-right-one',
  },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const KEY_BODY = ENCRYPTED_KEY.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
if (KEY_BODY.length < 40) throw new Error('test setup: no key body found');

const lines: string[] = [];
const logger: Logger = {
  debug: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  info: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  warn: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
  error: (obj, msg) => lines.push(JSON.stringify(obj) + (msg ?? '')),
};
const devices: SimulatedDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
});

function everythingSaid(error: unknown): string {
  const parts: string[] = [...lines];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, String(current.stack), JSON.stringify(current));
    current = current.cause;
  }
  return parts.join('\n');
}

async function failWith(
  faults: SimulatedFaults,
  options: Partial<CollectOptions>,
): Promise<unknown> {
  const device = await startSimulatedDevice({
    vendor: 'routeros',
    config: CONFIG,
    credentials: { username: 'admin', password: PASSWORD },
    faults,
  });
  devices.push(device);
  return collectConfig({
    device: { id: 'secret-test', host: device.host, port: device.port, vendor: 'routeros' },
    credentials: { username: 'admin', password: PASSWORD },
    logger,
    commandTimeoutMs: 1_000,
    ...options,
  }).catch((e: unknown) => e);
}

describe('secrets stay out of errors and logs', () => {
  it.each<[string, SimulatedFaults, Partial<CollectOptions>]>([
    ['a rejected password', { wrongCredentials: true }, {}],
    [
      'a key with the wrong passphrase',
      {},
      { credentials: { username: 'admin', privateKey: ENCRYPTED_KEY, passphrase: PASSPHRASE } },
    ],
    ['a device error', { commandError: true }, {}],
    ['a truncated configuration', { disconnectMidOutput: true }, {}],
    ['a stalled output', { stallMidOutput: true }, {}],
    ['too much output', { endlessOutput: true }, { maxOutputBytes: 64 * 1024 }],
  ])('after %s', async (_name, faults, options) => {
    lines.length = 0;
    const error = await failWith(faults, options);
    expect(error).toBeInstanceOf(Error);
    const said = everythingSaid(error);
    expect(said).not.toContain(PASSWORD);
    expect(said).not.toContain(PASSPHRASE);
    expect(said).not.toContain(KEY_BODY);
    expect(said).not.toContain(CONFIG_MARKER);
  });

  it('after a success, the logs hold no configuration text', async () => {
    lines.length = 0;
    const device = await startSimulatedDevice({
      vendor: 'routeros',
      config: CONFIG,
      credentials: { username: 'admin', password: PASSWORD },
    });
    devices.push(device);
    const result = await collectConfig({
      device: { id: 'secret-ok', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: { username: 'admin', password: PASSWORD },
      logger,
    });
    expect(result.text).toContain(CONFIG_MARKER);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(CONFIG_MARKER);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });
});
