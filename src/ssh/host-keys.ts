import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { throwIfAborted } from '../core/abort.js';
import type { HostKeyPinning, HostKeyStore, SSHHostKeyUpdater } from '../core/ports.js';
import { canonicalFingerprint } from './fingerprint.js';

export type { HostKeyStore, SSHHostKeyUpdater, HostKeyPinning } from '../core/ports.js';

/** Whether `value` is the `{ updater }` form of {@link HostKeyPinning}. */
export function isUpdaterPinning(
  value: HostKeyPinning,
): value is { readonly updater: SSHHostKeyUpdater } {
  return 'updater' in value && typeof value.updater === 'object' && value.updater !== null;
}

/**
 * Pins in memory, for tests and one-shot runs.
 *
 * @example
 * ```ts
 * const hostKeys = new MemoryHostKeyStore({ r1: 'SHA256:abc…' });
 * ```
 */
export class MemoryHostKeyStore implements HostKeyStore {
  readonly #pins = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [id, fingerprint] of Object.entries(initial)) {
      this.#pins.set(id, canonicalFingerprint(fingerprint));
    }
  }

  get(deviceId: string): Promise<string | undefined> {
    return Promise.resolve(this.#pins.get(deviceId));
  }

  set(deviceId: string, fingerprint: string): Promise<void> {
    this.#pins.set(deviceId, canonicalFingerprint(fingerprint));
    return Promise.resolve();
  }

  delete(deviceId: string): Promise<void> {
    this.#pins.delete(deviceId);
    return Promise.resolve();
  }

  /** All pins, for inspection. */
  entries(): [deviceId: string, fingerprint: string][] {
    return [...this.#pins.entries()];
  }
}

/**
 * Pins in one JSON file (`{ "<deviceId>": "SHA256:…" }`). Every change is written to a temp file
 * and renamed over the old one, so a crash never leaves a half-written file; changes are applied
 * one at a time, so concurrent `set`s never lose each other. The file is re-read before each change,
 * so edits by an operator (or `confsnap hostkeys reset`) between runs are respected. The file
 * is written with mode 0600, and a missing directory for it is created with mode 0700: the pins
 * say which devices exist and where.
 *
 * @example
 * ```ts
 * const hostKeys = new FileHostKeyStore('/var/lib/confsnap/hostkeys.json');
 * await hostKeys.delete('core-r1'); // accept the device's new key on its next backup
 * ```
 */
export class FileHostKeyStore implements HostKeyStore {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async get(deviceId: string, signal?: AbortSignal): Promise<string | undefined> {
    throwIfAborted(signal);
    const pins = await this.#read();
    return Object.hasOwn(pins, deviceId) ? pins[deviceId] : undefined;
  }

  set(deviceId: string, fingerprint: string, signal?: AbortSignal): Promise<void> {
    const canonical = canonicalFingerprint(fingerprint);
    return this.#change(signal, (pins) => {
      pins[deviceId] = canonical;
    });
  }

  delete(deviceId: string, signal?: AbortSignal): Promise<void> {
    return this.#change(signal, (pins) => {
      delete pins[deviceId];
    });
  }

  /** All pins in the file. */
  async entries(): Promise<[deviceId: string, fingerprint: string][]> {
    return Object.entries(await this.#read());
  }

  #change(
    signal: AbortSignal | undefined,
    edit: (pins: Record<string, string>) => void,
  ): Promise<void> {
    const run = async (): Promise<void> => {
      throwIfAborted(signal);
      const pins = await this.#read();
      edit(pins);
      await this.#write(pins);
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }

  async #read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`Host key file ${this.path} is not valid JSON; fix or remove it`, {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(
        `Host key file ${this.path} must hold a JSON object of deviceId → fingerprint`,
      );
    }
    const pins: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [id, value] of Object.entries(parsed)) {
      if (typeof value === 'string') pins[id] = value;
    }
    return pins;
  }

  async #write(pins: Record<string, string>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const sorted = Object.fromEntries(Object.entries(pins).sort(([a], [b]) => a.localeCompare(b)));
    const temp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(sorted, null, 2) + '\n', { mode: 0o600 });
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }
}
