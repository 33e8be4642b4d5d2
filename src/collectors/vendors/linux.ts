import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import { PRIVATE_KEY_BLOCK } from '../secrets.js';

/** Options of {@link linuxCollector}. */
export interface LinuxCollectorOptions {
  /** Absolute paths of the files to back up, in order. Default {@link DEFAULT_LINUX_FILES}. */
  readonly files?: readonly string[];
}

/**
 * What the built-in `linux` collector backs up: files every Linux system has, so a device with
 * vendor `linux` works out of the box. Real deployments name their own files (`/etc/nftables.conf`,
 * `/etc/frr/frr.conf`, …) with {@link linuxCollector}.
 */
export const DEFAULT_LINUX_FILES: readonly string[] = Object.freeze([
  '/etc/os-release',
  '/etc/hostname',
  '/etc/hosts',
]);

/**
 * Linux hosts over exec channels: one `cat -- '<path>'` per file, paths shell-quoted; the outputs
 * are concatenated in order. A missing or unreadable file fails the backup (`command-failed`)
 * rather than silently backing up less. No vendor normalization.
 *
 * @example
 * ```ts
 * const router = linuxCollector({ files: ['/etc/nftables.conf', '/etc/frr/frr.conf'] });
 * const collectors = createCollectorRegistry([router]);
 * ```
 */
export function linuxCollector(options: LinuxCollectorOptions = {}): ConfigCollector {
  const files = [...(options.files ?? DEFAULT_LINUX_FILES)];
  if (files.length === 0) {
    throw new TypeError('linuxCollector: files must list at least one absolute path');
  }
  checkFiles(files, 'linuxCollector: files');
  return defineCollector({
    vendor: 'linux',
    displayName: 'Linux',
    mode: 'exec',
    options: [
      {
        name: 'files',
        type: 'strings',
        default: files,
        doc: 'Absolute paths of the files to back up, in order.',
      },
    ],
    commands: (context) => {
      const chosen = context.options?.files;
      const list = Array.isArray(chosen) ? (chosen as readonly string[]) : files;
      checkFiles(list, `linux: device ${context.device.id}: option files`);
      return list.map((file) => `cat -- ${quoteForShell(file)}`);
    },
    errorPatterns: [/^cat: .*(?:No such file or directory|Permission denied|Is a directory)/m],
    secrets: [PRIVATE_KEY_BLOCK],
  });
}

function checkFiles(files: readonly unknown[], what: string): void {
  if (files.length === 0) throw new TypeError(`${what} must list at least one absolute path`);
  files.forEach((file, index) => {
    if (typeof file !== 'string' || !file.startsWith('/') || /[\0\r\n]/.test(file)) {
      throw new TypeError(
        `${what}[${index}] must be an absolute path on one line (it starts with "/")`,
      );
    }
  });
}

/** The built-in Linux collector, backing up {@link DEFAULT_LINUX_FILES}. */
export const linux: ConfigCollector = linuxCollector();

/** Quotes `value` as one POSIX shell word: `'…'`, with each `'` written as `'\''`. */
export function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
