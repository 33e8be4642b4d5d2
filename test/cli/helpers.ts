/** In-process CLI runs: captured output, temp dirs, simulated devices and inventories. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import {
  startSimulatedDevice,
  type SimulatedDevice,
  type SimulatedDeviceOptions,
} from '../../src/testing/index.js';
import { sampleConfig } from '../fixtures/configs.js';

export const USERNAME = 'backup';

/** An io whose output is captured as strings. */
export interface CapturedIo {
  readonly io: CliIO;
  stdout(): string;
  stderr(): string;
  /** Everything written, both streams. */
  all(): string;
}

export function captureIo(overrides: Partial<CliIO> = {}): CapturedIo {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    ...overrides,
  };
  return { io, stdout: () => stdout, stderr: () => stderr, all: () => stdout + stderr };
}

/** Runs the CLI in-process and returns the exit code with the captured output. */
export async function cli(
  argv: readonly string[],
  overrides: Partial<CliIO> = {},
): Promise<CapturedIo & { code: number }> {
  const captured = captureIo(overrides);
  const code = await runCli(argv, captured.io);
  return { ...captured, code };
}

/** A temp dir removed by `cleanup()`. */
export function tempDir(prefix = 'confsnap-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `content` (an object becomes YAML, a string is written as is) and returns the path. */
export function writeInventory(dir: string, content: unknown, name = 'inventory.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

/** Simulated devices started for one test; `close()` them in `afterEach`. */
export class Lab {
  readonly devices: SimulatedDevice[] = [];

  async start(
    password: string,
    options: Partial<SimulatedDeviceOptions> = {},
  ): Promise<SimulatedDevice> {
    const vendor = options.vendor ?? 'routeros';
    const device = await startSimulatedDevice({
      vendor,
      config: sampleConfig(typeof vendor === 'string' ? vendor : 'routeros'),
      credentials: { username: USERNAME, password },
      ...options,
    });
    this.devices.push(device);
    return device;
  }

  async close(): Promise<void> {
    await Promise.all(this.devices.splice(0).map((device) => device.close()));
  }
}

/** An inventory entry for a simulated device. */
export function entry(id: string, device: SimulatedDevice, extra: object = {}): object {
  return { id, host: device.host, port: device.port, vendor: device.vendor, ...extra };
}
