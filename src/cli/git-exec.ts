import { execFile } from 'node:child_process';
import { gitEnvironment } from '../publish/git-env.js';

/** What one git command came to. */
export interface GitResult {
  /** Exit code; -1 when git could not be started or was stopped (timeout, signal). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when git was killed because it ran longer than `timeoutMs`. */
  readonly timedOut: boolean;
}

/** Options of {@link runGit}. */
export interface RunGitOptions {
  readonly signal?: AbortSignal;
  /** Kill git after this long. Default: no limit. */
  readonly timeoutMs?: number;
  /** The git executable. Default `git`. */
  readonly gitBinary?: string;
}

/**
 * Runs `git --literal-pathspecs ARGS` in `dir` without a shell, in the C locale, never prompting
 * for a password, with the variables that would redirect it to another repository removed.
 * Resolves with the outcome whatever the exit code (the caller decides what is a failure); rejects
 * only when aborted through `signal`.
 */
export function runGit(
  dir: string,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<GitResult> {
  const env = gitEnvironment({ GIT_ASKPASS: '', SSH_ASKPASS: '' });
  return new Promise((resolve, reject) => {
    execFile(
      options.gitBinary ?? 'git',
      // Every path is a file name, never pathspec magic (`:!x`) or a glob (`*`).
      ['--literal-pathspecs', ...args],
      {
        cwd: dir,
        env,
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderr) => {
        if (error && options.signal?.aborted) {
          reject(options.signal.reason as Error);
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut: error !== null && error.killed === true && options.timeoutMs !== undefined,
        });
      },
    );
  });
}
