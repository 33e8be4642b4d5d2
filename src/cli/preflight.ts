import { randomUUID } from 'node:crypto';
import { chmod, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SetupError } from './publishers.js';

/** Mode of every directory the CLI creates (SPEC §9: configurations hold secrets). */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file the CLI writes itself. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes sure `--out DIR` is a directory this process may write files in, creating it (mode 0700)
 * when missing — before any device is contacted, so a wrong `--out` costs no logins.
 *
 * @throws {SetupError} (exit 2) naming the directory and what is wrong with it: a regular file, a
 * parent that is a file, no permission.
 */
export async function checkOutDir(out: string): Promise<void> {
  const existing = await statOrUndefined(out, '--out', out);
  if (existing && !existing.isDirectory()) {
    throw new SetupError(
      `--out ${out} is a file, not a directory; give a directory for the <device_id>.cfg files (it is created when missing)`,
      2,
    );
  }
  if (!existing) await makePrivateDir(out, `--out ${out}`);
  await probeWrite(`${out}/.confsnap-write-check`, (code) =>
    code === 'EROFS'
      ? `--out ${out} is on a read-only file system; give a directory that can be written`
      : `cannot write files in --out ${out} (${code}); give a directory this user may write, or fix its permissions`,
  );
}

/**
 * Makes sure the pin file can be written — it exists as a file or can be created, and a new
 * version can be renamed over it — before any device is contacted: otherwise every backup would
 * succeed while no host key is ever pinned. Creates its directory (mode 0700) when missing and
 * tightens an existing pin file to mode 0600.
 *
 * @throws {SetupError} (exit 2) naming the file and what keeps it from being written.
 */
export async function checkPinFileWritable(path: string): Promise<void> {
  const existing = await statOrUndefined(path, 'the known-hosts file', path);
  if (existing?.isDirectory()) {
    throw new SetupError(
      `the known-hosts file ${path} is a directory; give a file path with --known-hosts FILE`,
      2,
    );
  }
  const dir = dirname(path);
  const dirInfo = await statOrUndefined(dir, 'the known-hosts file', path);
  if (dirInfo && !dirInfo.isDirectory()) {
    throw new SetupError(
      `the known-hosts file ${path} cannot be created: ${dir} is a file, not a directory`,
      2,
    );
  }
  if (!dirInfo) await makePrivateDir(dir, `the known-hosts file ${path}`);
  // The store writes a temp file next to the pin file and renames it over: probe exactly that.
  await probeWrite(
    `${path}.${process.pid}`,
    (code) =>
      `the known-hosts file ${path} cannot be written (${code}), so no host key could be pinned; ` +
      `give a writable --known-hosts FILE or fix the permissions of ${dir}`,
  );
  if (existing && (existing.mode & 0o077) !== 0) {
    // An older pin file may be world-readable; it is the CLI's own file.
    await chmod(path, PRIVATE_FILE_MODE).catch(() => {});
  }
}

async function statOrUndefined(path: string, what: string, shown: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') {
      throw new SetupError(`${what} ${shown}: a parent of it is a file, not a directory`, 2);
    }
    throw new SetupError(`${what} ${shown} cannot be used (${code})`, 2);
  }
}

async function makePrivateDir(dir: string, what: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    const code = errorCode(error);
    throw new SetupError(
      code === 'ENOTDIR' || code === 'EEXIST'
        ? `${what}: the directory ${dir} cannot be created, a parent of it is a file`
        : `${what}: the directory ${dir} cannot be created (${code}); create it or choose another place`,
      2,
    );
  }
}

/** Creates and removes a temp file named `<base>.<uuid>.tmp`; throws the message for its error. */
async function probeWrite(base: string, message: (code: string) => string): Promise<void> {
  const probe = `${base}.${randomUUID()}.tmp`;
  try {
    await writeFile(probe, '', { flag: 'wx', mode: PRIVATE_FILE_MODE });
  } catch (error) {
    throw new SetupError(message(errorCode(error)), 2);
  }
  await unlink(probe).catch(() => {});
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}
