import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { abortReason, linkedAbortController } from '../core/abort.js';
import { BackupError } from '../core/errors.js';
import { Semaphore } from '../core/semaphore.js';
import { encodeFileName } from './device-id.js';
import { gitEnvironment } from './git-env.js';
import {
  validateSnapshot,
  type PublishOptions,
  type PublishReceipt,
  type Snapshot,
  type SnapshotPublisher,
} from './snapshot.js';
import { admitSnapshot } from './admission.js';

/** Who commits snapshots in a git-backed {@link DirectorySnapshotPublisher}. */
export interface GitAuthor {
  readonly name: string;
  readonly email: string;
}

/** Options of {@link DirectorySnapshotPublisher}. */
export interface DirectorySnapshotPublisherOptions {
  /** Where `<device_id>.cfg` files go; created (mode 0700) when missing. */
  dir: string;
  /**
   * Commit every change to a git repository in `dir` (created with `git init` when `dir` has no
   * `.git`, readable by its owner only): one commit per changed device, none when the text is
   * unchanged. Default `false`.
   */
  git?: boolean;
  /**
   * With `git`: more files in `dir` that are not snapshots and should stay out of `git status`
   * (absolute, or relative to `dir`), e.g. a host-key pin file. Hidden files (names starting with
   * `.`) are always kept out; a snapshot's file name never starts with one. Files outside `dir` are
   * ignored here.
   */
  ignore?: readonly string[];
  /** Author and committer of the commits. Default `confsnap <confsnap@localhost>`. */
  author?: GitAuthor;
  /** The git executable. Default `git` (found on `PATH`). */
  gitBinary?: string;
}

const DEFAULT_AUTHOR: GitAuthor = Object.freeze({ name: 'confsnap', email: 'confsnap@localhost' });

/** The longest file name most file systems allow, in bytes. */
const MAX_FILE_NAME_BYTES = 255;
const FILE_EXTENSION = '.cfg';
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;
const EXCLUDE_HEADER =
  '# confsnap: files in this directory that are not device snapshots stay out of git status';
/** Hidden files: the publisher's temporary files, pin files. No snapshot file name starts with `.`. */
const HIDDEN_FILES_PATTERN = '/.*';

/**
 * Keeps the latest configuration of every device as `<dir>/<device_id>.cfg` — no server needed.
 *
 * - The file name is the id encoded with {@link encodeFileName} (SPEC §7): `core-sw1.example.net`
 *   is `core-sw1.example.net.cfg`, `site-a/rtr-1` is `site-a%2Frtr-1.cfg`; {@link DirectorySnapshotPublisher.fileNameOf}
 *   gives it. An id whose encoded name would be longer than 255 bytes fails with `publish-failed`.
 * - Each file is written atomically: a temp file in `dir`, fsync, then rename over the old one, so
 *   a reader (or a crash) never sees half a config. Files are mode 0600 and a directory the
 *   publisher creates is mode 0700: configurations hold secrets.
 * - The receipt says `duplicate: false` only when the text differs from what the file held — and,
 *   with git, from what was last committed for it.
 * - With `git: true`, every change becomes one commit that touches only that device's file; its
 *   message names the device, vendor and hash, its author date is the collection time, so
 *   `git log -p <device>.cfg` shows every change. An unchanged text makes no commit. A file that
 *   is not committed yet (left by a crash, or written before git was turned on) is committed with
 *   the next publish of that device; it is a change only when the last commit held another text.
 *   Paths are given to git literally (an id like `:!x` is no pathspec magic), and hidden files
 *   plus `ignore` are written to the repository's `info/exclude`, so `git status` shows only
 *   snapshots.
 * - Publishes run one at a time (git's index allows no more), in the order they were called; a
 *   waiting publish whose signal aborts leaves the queue. One publisher should own a directory.
 *
 * git is driven through the `git` binary with `execFile` (no shell): it is the reference
 * implementation, already where operators look at the history, and adds no dependency; an
 * in-process library such as isomorphic-git would be ~1 MB more to ship, for a feature most
 * installations leave off.
 *
 * The receipt: `stream` is the directory, `seq` counts this publisher's successful publishes.
 *
 * @example
 * ```ts
 * const publisher = new DirectorySnapshotPublisher({
 *   dir: '/var/lib/confsnap/configs',
 *   git: true,
 *   author: { name: 'Backup bot', email: 'netops@example.com' },
 * });
 * await publisher.publish(snapshot, { signal });
 * // $ git -C /var/lib/confsnap/configs log -p rtr-1.cfg
 * ```
 */
export class DirectorySnapshotPublisher implements SnapshotPublisher {
  /** The directory, as an absolute path. */
  readonly dir: string;
  /** Whether changes are committed to git. */
  readonly git: boolean;
  readonly #author: GitAuthor;
  readonly #gitBinary: string;
  readonly #ignore: readonly string[];
  readonly #turn = new Semaphore(1);
  readonly #closeController = new AbortController();
  readonly #running = new Set<Promise<unknown>>();
  #ready: Promise<void> | undefined;
  #seq = 0;

  constructor(options: DirectorySnapshotPublisherOptions) {
    if (typeof options.dir !== 'string' || options.dir.length === 0) {
      throw new RangeError('DirectorySnapshotPublisher needs a dir');
    }
    this.dir = resolve(options.dir);
    this.git = options.git ?? false;
    this.#author = options.author ?? DEFAULT_AUTHOR;
    this.#gitBinary = options.gitBinary ?? 'git';
    this.#ignore = [...(options.ignore ?? [])];
    for (const path of this.#ignore) {
      if (typeof path !== 'string' || path === '') {
        throw new RangeError('DirectorySnapshotPublisher ignore must list non-empty paths');
      }
    }
    // Every publish waiting for its turn listens on this signal; a fleet has more than 10.
    setMaxListeners(0, this.#closeController.signal);
  }

  /**
   * The file name of device `deviceId` in the directory: its id encoded with
   * {@link encodeFileName}, then `.cfg`.
   *
   * @example
   * ```ts
   * DirectorySnapshotPublisher.fileNameOf('core-sw1.example.net'); // 'core-sw1.example.net.cfg'
   * DirectorySnapshotPublisher.fileNameOf('site-a/rtr-1'); // 'site-a%2Frtr-1.cfg'
   * ```
   */
  static fileNameOf(deviceId: string): string {
    return `${encodeFileName(deviceId)}${FILE_EXTENSION}`;
  }

  /**
   * Writes the snapshot's text to `<dir>/<device_id>.cfg` (and commits it, with `git`). Resolves
   * once the file is renamed into place (and committed). Rejects with a `publish-failed`
   * BackupError when the snapshot is invalid or writing or committing failed, with `cancelled`
   * when the publisher is closed while the publish waits for its turn, and with `signal.reason`
   * when `signal` aborts.
   */
  publish(snapshot: Snapshot, options: PublishOptions = {}): Promise<PublishReceipt> {
    const run = this.#publish(snapshot, options.signal);
    const tracked = run.catch(() => {});
    this.#running.add(tracked);
    void tracked.finally(() => this.#running.delete(tracked));
    return run;
  }

  /**
   * Rejects publishes still waiting for their turn with a `cancelled` BackupError, lets the one
   * being written finish, and resolves when nothing runs any more.
   */
  async close(): Promise<void> {
    if (!this.#closeController.signal.aborted) {
      this.#closeController.abort(
        new BackupError({
          kind: 'cancelled',
          message: `DirectorySnapshotPublisher for ${this.dir} was closed before the snapshot was written`,
        }),
      );
    }
    await Promise.allSettled([...this.#running]);
  }

  /** Same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #publish(snapshot: Snapshot, signal: AbortSignal | undefined): Promise<PublishReceipt> {
    const { deviceId } = admitSnapshot(snapshot, {
      publisher: 'DirectorySnapshotPublisher',
      closed: this.#closeController.signal.aborted,
      signal,
      notDone: 'written',
      check: (admitted) => {
        validateSnapshot(admitted);
        const nameBytes = Buffer.byteLength(
          DirectorySnapshotPublisher.fileNameOf(admitted.deviceId),
        );
        if (nameBytes > MAX_FILE_NAME_BYTES) {
          throw new TypeError(
            `device id ${JSON.stringify(admitted.deviceId.slice(0, 80))} makes a file name of ${nameBytes} bytes, longer than the ${MAX_FILE_NAME_BYTES} file systems allow; give the device a shorter id`,
          );
        }
      },
    });
    const { controller, dispose } = linkedAbortController(signal, this.#closeController.signal);
    let release;
    try {
      release = await this.#turn.acquire(controller.signal);
    } finally {
      dispose();
    }
    try {
      return await this.#write(snapshot, signal);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw new BackupError({
        kind: 'publish-failed',
        deviceId,
        message: `could not store the snapshot of device ${deviceId} in ${this.dir}: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    } finally {
      release();
    }
  }

  async #write(snapshot: Snapshot, signal: AbortSignal | undefined): Promise<PublishReceipt> {
    await this.#prepare(signal);
    const file = DirectorySnapshotPublisher.fileNameOf(snapshot.deviceId);
    const path = join(this.dir, file);
    const current = await readFile(path, { encoding: 'utf8', signal }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    const fileChanged = current !== snapshot.configText;
    if (fileChanged) await writeAtomically(path, snapshot.configText, signal);
    const changedSinceCommit = this.git ? await this.#commit(file, snapshot, signal) : false;
    return { stream: this.dir, seq: ++this.#seq, duplicate: !fileChanged && !changedSinceCommit };
  }

  /**
   * Creates the directory and, with git, the repository and its exclusions — once; a failure is
   * retried next time.
   */
  #prepare(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#ready) {
      const ready = (async () => {
        await mkdir(this.dir, { recursive: true, mode: DIRECTORY_MODE });
        if (!this.git) return;
        if (!existsSync(join(this.dir, '.git'))) {
          // `--shared=0600`: objects 0400, directories 0700, whatever the umask; it stays set
          // for every later object.
          await this.#runGit(
            ['-c', 'init.defaultBranch=main', 'init', '--quiet', '--shared=0600'],
            signal,
          );
          await chmod(join(this.dir, '.git'), DIRECTORY_MODE);
        }
        await this.#excludeOtherFiles(signal);
      })();
      this.#ready = ready;
      ready.catch(() => {
        if (this.#ready === ready) this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  /**
   * Adds hidden files and `ignore` to the repository's `info/exclude`, once: the publisher's own
   * temp files and the pin file of the CLI would otherwise show as untracked forever.
   */
  async #excludeOtherFiles(signal: AbortSignal | undefined): Promise<void> {
    const excludePath = resolve(
      this.dir,
      (await this.#gitOutput(['rev-parse', '--git-path', 'info/exclude'], signal)).trim(),
    );
    const patterns = [HIDDEN_FILES_PATTERN];
    for (const path of this.#ignore) {
      const inside = relative(this.dir, resolve(this.dir, path));
      // Nothing to exclude outside the work tree; a line break cannot be in a pattern.
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || /[\r\n]/.test(inside)) {
        continue;
      }
      patterns.push(`/${excludePattern(inside.split(sep).join('/'))}`);
    }
    const existing = await readFile(excludePath, 'utf8').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    });
    const present = new Set(existing.split('\n'));
    const missing = patterns.filter((pattern) => !present.has(pattern));
    if (missing.length === 0) return;
    const lines = [...(present.has(EXCLUDE_HEADER) ? [] : [EXCLUDE_HEADER]), ...missing];
    await mkdir(dirname(excludePath), { recursive: true, mode: DIRECTORY_MODE });
    const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
    await appendFile(excludePath, `${separator}${lines.join('\n')}\n`, { mode: FILE_MODE });
  }

  /**
   * Stages the file and commits it when it differs from HEAD. Returns whether the last commit held
   * another text — not merely no text at all, as for a file written before git was turned on.
   */
  async #commit(
    file: string,
    snapshot: Snapshot,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    await this.#runGit(['add', '--', file], signal);
    // `diff --quiet` exits 1 when there are differences; it also works before the first commit.
    const staged = await this.#runGit(['diff', '--cached', '--quiet', '--', file], signal, [0, 1]);
    if (staged === 0) return false;
    // A modified (or type-changed) file, not an added one: HEAD held this device with another text.
    const modified =
      (await this.#runGit(
        ['diff', '--cached', '--quiet', '--diff-filter=MT', '--', file],
        signal,
        [0, 1],
      )) === 1;
    const subject = `${snapshot.deviceId}: ${snapshot.vendor} config ${snapshot.sha256.slice(0, 12)}`;
    const body = [
      `device: ${snapshot.deviceId}`,
      `tenant: ${snapshot.tenantId}`,
      `vendor: ${snapshot.vendor}`,
      ...(snapshot.routerosVersion === undefined
        ? []
        : [`routeros_version: ${snapshot.routerosVersion}`]),
      `sha256: ${snapshot.sha256}`,
      `collected_at: ${snapshot.collectedAt.toISOString()}`,
      `normalization_version: ${snapshot.normalizationVersion}`,
      ...(snapshot.encoding === undefined ? [] : [`encoding: ${snapshot.encoding}`]),
      ...(snapshot.secretsMasked === true ? ['secrets_masked: true'] : []),
    ].join('\n');
    await this.#runGit(['commit', '--quiet', '-m', subject, '-m', body, '--', file], signal, [0], {
      GIT_AUTHOR_DATE: snapshot.collectedAt.toISOString(),
    });
    return modified;
  }

  /** Runs git in `dir`; resolves with its exit code when that is one of `okCodes`. */
  async #runGit(
    args: string[],
    signal: AbortSignal | undefined,
    okCodes: readonly number[] = [0],
    extraEnv: Record<string, string> = {},
  ): Promise<number> {
    return (await this.#execGit(args, signal, okCodes, extraEnv)).code;
  }

  /** Runs git in `dir` and resolves with what it printed on stdout. */
  async #gitOutput(args: string[], signal: AbortSignal | undefined): Promise<string> {
    return (await this.#execGit(args, signal, [0], {})).stdout;
  }

  #execGit(
    args: string[],
    signal: AbortSignal | undefined,
    okCodes: readonly number[],
    extraEnv: Record<string, string>,
  ): Promise<{ code: number; stdout: string }> {
    const command = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '-c') ?? '';
    const env = gitEnvironment({
      GIT_AUTHOR_NAME: this.#author.name,
      GIT_AUTHOR_EMAIL: this.#author.email,
      GIT_COMMITTER_NAME: this.#author.name,
      GIT_COMMITTER_EMAIL: this.#author.email,
      ...extraEnv,
    });
    return new Promise((resolvePromise, reject) => {
      execFile(
        this.#gitBinary,
        // Every path is a file name, never pathspec magic (`:!x`) or a glob (`*`).
        ['--literal-pathspecs', ...args],
        { cwd: this.dir, env, signal, maxBuffer: 1024 * 1024, windowsHide: true },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          if (okCodes.includes(code)) {
            resolvePromise({ code, stdout: String(stdout) });
            return;
          }
          const detail = String(stderr).trim().split('\n').slice(-3).join(' / ');
          reject(
            new Error(`git ${command} failed (exit ${code})${detail ? `: ${detail}` : ''}`, {
              cause: error,
            }),
          );
        },
      );
    });
  }
}

/** Writes `text` to a temp file next to `path`, syncs it, and renames it over `path`. */
async function writeAtomically(
  path: string,
  text: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  // A hidden file in the same directory: same file system (so rename is atomic), never a snapshot
  // (their names never start with `.`), short enough whatever the snapshot's name.
  const temp = join(dirname(path), `.confsnap-${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(text, { encoding: 'utf8', signal });
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename durable. Not every platform can open a directory; the write stands anyway. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/** `path` as a gitignore pattern that matches exactly that path: glob characters escaped. */
function excludePattern(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, (character) => `\\${character}`).replace(/ $/, '\\ ');
}
