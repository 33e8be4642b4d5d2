import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../git-exec.js';
import { configFileName } from '../show.js';

/** One committed version of a device's config, newest first in {@link ConfigHistory.versions}. */
export interface ConfigVersion {
  /** The full commit hash. */
  readonly rev: string;
  /** When the version was committed (ISO 8601). */
  readonly committedAt: string;
  /** When the config was collected (the commit's author date, ISO 8601). */
  readonly collectedAt: string;
  /** The config's sha256, from the commit message (absent in commits not made by confsnap). */
  readonly sha256: string | undefined;
  /** The commit's subject line. */
  readonly subject: string;
}

/** Why a version or a diff could not be given: the HTTP status says which. */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(
    message: string,
    /** 404: no such config or revision; 409: the output directory keeps no history. */
    readonly status: 404 | 409,
  ) {
    super(message);
  }
}

/** A revision as the API accepts it: an abbreviated or full commit hash, nothing else. */
export const REVISION_PATTERN = /^[0-9a-f]{4,64}$/i;

const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * The configs in the output directory of `confsnap run` (`DIR/<device_id>.cfg`) and, with `--git`,
 * their committed versions, read with the `git` binary as `confsnap show` and `diff` do. Every
 * path is the device's file, given to git literally; revisions are commit hashes only.
 */
export class ConfigHistory {
  constructor(
    readonly dir: string,
    /** Kill a git command after this long. */
    readonly gitTimeoutMs = 15_000,
  ) {}

  /** Whether the directory is a git repository (made by `--git`). */
  get tracked(): boolean {
    return existsSync(join(this.dir, '.git'));
  }

  /** The latest config written for the device, or `undefined` when there is none yet. */
  async latest(deviceId: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, configFileName(deviceId)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The committed versions of the device's config, newest first, at most `limit`. */
  async versions(deviceId: string, limit: number, signal?: AbortSignal): Promise<ConfigVersion[]> {
    this.#requireGit();
    const result = await this.#git(
      [
        'log',
        `-n${limit}`,
        `--format=%H${FIELD}%cI${FIELD}%aI${FIELD}%s${FIELD}%b${RECORD}`,
        'HEAD',
        '--',
        configFileName(deviceId),
      ],
      signal,
    );
    // A repository without commits yet has no HEAD: no versions.
    if (result.code !== 0) return [];
    return result.stdout
      .split(RECORD)
      .map((record) => record.replace(/^\n/, ''))
      .filter((record) => record !== '')
      .map((record) => {
        const [rev = '', committedAt = '', collectedAt = '', subject = '', body = ''] =
          record.split(FIELD);
        return {
          rev,
          committedAt,
          collectedAt,
          sha256: /^sha256: ([0-9a-f]{64})$/m.exec(body)?.[1],
          subject,
        };
      });
  }

  /**
   * The device's config as committed in `rev`.
   *
   * @throws {HistoryError} 404 for an unknown revision or one without the device's file.
   */
  async at(deviceId: string, rev: string, signal?: AbortSignal): Promise<string> {
    const commit = await this.resolve(rev, signal);
    const shown = await this.#git(['show', `${commit}:${configFileName(deviceId)}`], signal);
    if (shown.code !== 0) {
      throw new HistoryError(`revision ${rev} holds no config of device "${deviceId}"`, 404);
    }
    return shown.stdout;
  }

  /**
   * The unified diff of the device's config from `from` to `to` (empty when they are the same).
   *
   * @throws {HistoryError} 404 for an unknown revision.
   */
  async diff(deviceId: string, from: string, to: string, signal?: AbortSignal): Promise<string> {
    const [fromCommit, toCommit] = [
      await this.resolve(from, signal),
      await this.resolve(to, signal),
    ];
    const diff = await this.#git(
      [
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        fromCommit,
        toCommit,
        '--',
        configFileName(deviceId),
      ],
      signal,
    );
    if (diff.code !== 0) throw new Error(`git diff failed (exit ${diff.code})`);
    return diff.stdout;
  }

  /**
   * The full hash of a commit given by (an abbreviation of) its hash.
   *
   * @throws {HistoryError} 404 when no single commit has that hash.
   */
  async resolve(rev: string, signal?: AbortSignal): Promise<string> {
    this.#requireGit();
    if (!REVISION_PATTERN.test(rev)) throw new HistoryError(`"${rev}" is not a commit hash`, 404);
    const resolved = await this.#git(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
      signal,
    );
    if (resolved.code !== 0) throw new HistoryError(`no commit ${rev} in ${this.dir}`, 404);
    return resolved.stdout.trim();
  }

  #requireGit(): void {
    if (!this.tracked) {
      throw new HistoryError(
        `${this.dir} is not a git repository: only confsnap run --git keeps earlier versions`,
        409,
      );
    }
  }

  #git(args: string[], signal: AbortSignal | undefined) {
    return runGit(this.dir, args, {
      timeoutMs: this.gitTimeoutMs,
      ...(signal === undefined ? {} : { signal }),
    });
  }
}
