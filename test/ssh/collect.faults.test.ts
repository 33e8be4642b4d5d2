/**
 * Every fault of the simulated device ends in its error kind within its deadline (plus a small
 * margin), with no socket or timer of the attempt left behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupErrorKind } from '../../src/core/errors.js';
import { isBackupError } from '../../src/core/errors.js';
import { collectConfig, type CollectOptions } from '../../src/ssh/collect.js';
import { startSimulatedDevice } from '../../src/testing/simulated/index.js';
import type {
  SimulatedDevice,
  SimulatedFaults,
  SimulatedVendorId,
} from '../../src/testing/simulated/index.js';
import { sampleConfig } from '../fixtures/configs.js';
import { refusedHost } from '../fault-suite/fleet.js';

const MARGIN_MS = 1_500;
let device: SimulatedDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

function handles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((name) => name !== 'TTYWrap' && name !== 'FSReqCallback');
}

async function expectFault(
  vendor: SimulatedVendorId,
  faults: SimulatedFaults,
  kind: BackupErrorKind,
  options: Partial<CollectOptions> = {},
  deadlineMs = 5_000,
  config = sampleConfig(vendor),
): Promise<void> {
  device = await startSimulatedDevice({ vendor, config, faults });
  const before = handles().length;
  const started = Date.now();
  const error = await collectConfig({
    device: { id: `faulty-${vendor}`, host: device.host, port: device.port, vendor },
    credentials: { username: 'admin', password: 'admin' },
    ...options,
  }).catch((e: unknown) => e);
  const elapsed = Date.now() - started;
  if (!isBackupError(error)) throw new Error(`expected a BackupError, got ${String(error)}`);
  expect(error.kind).toBe(kind);
  expect(elapsed).toBeLessThan(deadlineMs + MARGIN_MS);
  await device.close();
  device = undefined;
  // Give destroyed sockets their close callbacks, then nothing of the attempt may be left.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(handles().length).toBeLessThanOrEqual(before);
}

describe('collectConfig under faults', () => {
  it('reports wrong credentials as auth-failed', async () => {
    await expectFault('routeros', { wrongCredentials: true }, 'auth-failed');
  });

  it('gives up on a server that accepts TCP and never speaks within connectTimeoutMs', async () => {
    await expectFault(
      'routeros',
      { stallAfterAccept: true },
      'connect-timeout',
      { connectTimeoutMs: 1_000 },
      1_000,
    );
  });

  it('gives up on a server that stalls mid-handshake within connectTimeoutMs', async () => {
    await expectFault(
      'cisco-ios',
      { stallMidHandshake: true },
      'connect-timeout',
      { connectTimeoutMs: 1_000 },
      1_000,
    );
  });

  it('reports a closed port as connection-refused', async () => {
    // On a loopback address of its own, so no other test's server can take the freed port.
    device = await startSimulatedDevice({
      vendor: 'routeros',
      config: sampleConfig('routeros'),
      faults: { connectionRefused: true },
      host: await refusedHost(),
    });
    const error = await collectConfig({
      device: { id: 'refused', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: { username: 'admin', password: 'admin' },
    }).catch((e: unknown) => e);
    expect(isBackupError(error, 'connection-refused')).toBe(true);
  });

  it('times out an exec command that stalls mid-output', async () => {
    await expectFault(
      'routeros',
      { stallMidOutput: true },
      'command-timeout',
      { commandTimeoutMs: 1_000 },
      1_000,
    );
  });

  it('times out a shell command that stalls mid-output', async () => {
    await expectFault(
      'cisco-ios',
      { stallMidOutput: true },
      'command-timeout',
      { commandTimeoutMs: 1_000 },
      3_000,
    );
  });

  it('times out a shell that never shows a prompt', async () => {
    await expectFault(
      'cisco-ios',
      { promptNeverShown: true },
      'command-timeout',
      { commandTimeoutMs: 1_000 },
      1_000,
    );
  });

  it('stops reading endless exec output at maxOutputBytes', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    await expectFault('routeros', { endlessOutput: true }, 'output-too-large', {
      maxOutputBytes: 4 * 1024 * 1024,
    });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops reading endless shell output at maxOutputBytes', async () => {
    await expectFault('cisco-ios', { endlessOutput: true }, 'output-too-large', {
      maxOutputBytes: 1024 * 1024,
    });
  });

  it('ends an attempt that passes timeLimitMs, whatever it was doing', async () => {
    await expectFault(
      'routeros',
      { slowDrip: { bytes: 16, intervalMs: 50 } },
      'time-limit',
      { timeLimitMs: 1_000, commandTimeoutMs: 10_000 },
      1_000,
      sampleConfig('routeros') + '/ip firewall filter\nadd chain=input action=accept\n'.repeat(100),
    );
  });

  it('collects a slow drip that stays within the deadlines', async () => {
    device = await startSimulatedDevice({
      vendor: 'routeros',
      config: sampleConfig('routeros'),
      faults: { slowDrip: { bytes: 64, intervalMs: 5 } },
    });
    const result = await collectConfig({
      device: { id: 'drip', host: device.host, port: device.port, vendor: 'routeros' },
      credentials: { username: 'admin', password: 'admin' },
    });
    expect(result.text).toContain('/system identity');
  });

  it('reports an exec connection dropped mid-output as truncated-output', async () => {
    await expectFault('routeros', { disconnectMidOutput: true }, 'truncated-output');
  });

  it('reports a shell connection dropped mid-output as truncated-output', async () => {
    await expectFault('cisco-ios', { disconnectMidOutput: true }, 'truncated-output');
  });

  it('reports an exec channel closed early without exit status as truncated-output', async () => {
    await expectFault('routeros', { disconnectMidOutput: 'channel' }, 'truncated-output');
  });

  it('never publishes a configuration without its end marker', async () => {
    await expectFault('cisco-ios', { partialConfig: true }, 'truncated-output');
  });

  it('recognises a vendor error text as command-failed', async () => {
    await expectFault('cisco-ios', { commandError: true }, 'command-failed');
  });

  it('recognises a RouterOS error text as command-failed', async () => {
    await expectFault('routeros', { commandError: true }, 'command-failed');
  });

  it('classifies binary output with NUL bytes as invalid-output instead of publishing it', async () => {
    await expectFault('routeros', { binaryOutput: true }, 'invalid-output');
    await expectFault('cisco-ios', { binaryOutput: true }, 'invalid-output');
  });

  it('never publishes a complete export with 100 000 NUL bytes inside it (SPEC §7)', async () => {
    const lines = sampleConfig('routeros').split('\n');
    const middle = Math.floor(lines.length / 2);
    const config = [...lines.slice(0, middle), '\0'.repeat(100_000), ...lines.slice(middle)].join(
      '\n',
    );
    await expectFault('routeros', {}, 'invalid-output', {}, 5_000, config);
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 300);
    await expectFault(
      'routeros',
      { stallMidOutput: true },
      'cancelled',
      { signal: controller.signal },
      300,
    );
  });
});
