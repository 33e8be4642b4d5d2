import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SetupError } from './publishers.js';

/** Mode of every directory the CLI creates (SPEC §9: configurations hold secrets). */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file the CLI writes itself. */
export const PRIVATE_FILE_MODE = 0o600;

/** What {@link checkOutDir} created, so that a setup failing after it can take it back. */
export interface CreatedOutDir {
  /**
   * Removes the directories the check created (`--out` and any missing parents), if they are
   * still empty: a setup that fails later leaves nothing behind. Never removes what was there.
   */
  removeIfUnused(): Promise<void>;
}

/**
 * Makes sure `--out DIR` is a directory this process may write files in, creating it (mode 0700)
 * when missing — before any device is contacted, so a wrong `--out` costs no logins.
 *
 * @throws {SetupError} (exit 2) naming the directory and what is wrong with it: a regular file, a
 * parent that is a file, no permission.
 */
export async function checkOutDir(out: string): Promise<CreatedOutDir> {
  const existing = await statOrUndefined(out, '--out', out);
  if (existing && !existing.isDirectory()) {
    throw new SetupError(
      `--out ${out} is a file, not a directory; give a directory for the <device_id>.cfg files (it is created when missing)`,
      2,
    );
  }
  const firstCreated = existing ? undefined : await makePrivateDir(out, `--out ${out}`);
  const created: CreatedOutDir = {
    removeIfUnused: () => removeEmptyDirs(out, firstCreated),
  };
  try {
    await probeWrite(`${out}/.confsnap-write-check`, (code) =>
      code === 'EROFS'
        ? `--out ${out} is on a read-only file system; give a directory that can be written`
        : `cannot write files in --out ${out} (${code}); give a directory this user may write, or fix its permissions`,
    );
  } catch (error) {
    await created.removeIfUnused();
    throw error;
  }
  return created;
}

/**
 * Runs the rest of a command's setup after {@link checkOutDir}; when it throws, the directories the
 * check created are removed again (if still empty) and the error is passed on.
 */
export async function withCreatedOutDir<T>(
  created: CreatedOutDir,
  setup: () => Promise<T>,
): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    await created.removeIfUnused();
    throw error;
  }
}

/** Removes `dir` and its parents up to `top` (the first created), each only while it is empty. */
async function removeEmptyDirs(dir: string, top: string | undefined): Promise<void> {
  if (top === undefined) return;
  for (let current = dir; ; current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): what is in it is not ours to remove
    }
    if (current === top || dirname(current) === current) return;
  }
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

/** Creates `dir` and missing parents; resolves with the first directory created. */
async function makePrivateDir(dir: string, what: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
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
