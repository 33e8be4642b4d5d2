import { runGit } from './git-exec.js';
import { redactUrl } from './redact.js';

/** How long one `git push` may take unless told otherwise. */
export const DEFAULT_GIT_PUSH_TIMEOUT_MS = 120_000;

/** How one push went: `ok`, or why not in one line (credentials in URLs redacted). */
export type GitPushOutcome =
  { readonly ok: true; readonly line: string } | { readonly ok: false; readonly line: string };

/** Options of {@link GitPusher}. */
export interface GitPusherOptions {
  /** The git repository (the output directory). */
  readonly dir: string;
  /** A remote name (`origin`) or URL (`git@host:configs.git`, `https://…`, a path). */
  readonly remote: string;
  /** Kill a push after this long. Default {@link DEFAULT_GIT_PUSH_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Told how each push went. */
  readonly report: (outcome: GitPushOutcome) => void;
  readonly gitBinary?: string;
}

/**
 * Pushes the output repository's current branch to a remote after backups committed — Oxidized's
 * githubrepo hook. A push never throws and never holds up a backup: its outcome goes to `report`
 * (a failure names git's last stderr line, with any password in a URL replaced by `***`), and the
 * next push sends whatever an earlier failed one did not. Requests made while a push runs are
 * folded into one more push after it.
 *
 * @example
 * ```ts
 * const pusher = new GitPusher({ dir: '/var/lib/confsnap', remote: 'origin', report: console.log });
 * pusher.request(); // after a changed backup was committed
 * await pusher.idle(); // before exiting
 * ```
 */
export class GitPusher {
  readonly #options: GitPusherOptions;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: GitPusherOptions) {
    this.#options = options;
  }

  /** Starts a push, or asks for one more after the push in progress. Returns at once. */
  request(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves when no push is running or asked for (each one bounded by the timeout). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Pushes once and resolves with the outcome (also given to `report`). */
  async pushNow(): Promise<GitPushOutcome> {
    const { dir, remote, timeoutMs = DEFAULT_GIT_PUSH_TIMEOUT_MS } = this.#options;
    const shown = redactUrl(remote);
    const branch = await runGit(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], this.#git());
    const target = branch.code === 0 ? branch.stdout.trim() : '';
    if (target === '') {
      const outcome: GitPushOutcome = {
        ok: false,
        line: `git push to ${shown} skipped: ${dir} is not on a branch (a detached HEAD); check one out`,
      };
      this.#options.report(outcome);
      return outcome;
    }
    const result = await runGit(
      dir,
      ['push', '--quiet', '--porcelain', '--end-of-options', remote, `HEAD:refs/heads/${target}`],
      { ...this.#git(), timeoutMs },
    );
    let outcome: GitPushOutcome;
    if (result.code === 0) {
      outcome = { ok: true, line: `git push to ${shown}: pushed ${target}` };
    } else {
      const why = result.timedOut
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : (lastLine(result.stderr) ?? `git exited with ${result.code}`);
      outcome = {
        ok: false,
        line: `git push to ${shown} failed: ${redactUrls(why, remote)}; the commits stay in ${dir} and go with the next push`,
      };
    }
    this.#options.report(outcome);
    return outcome;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      await this.pushNow().catch((error: unknown) =>
        this.#options.report({
          ok: false,
          line: `git push to ${redactUrl(this.#options.remote)} failed: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    } while (this.#again);
  }

  #git(): { gitBinary?: string } {
    return this.#options.gitBinary === undefined ? {} : { gitBinary: this.#options.gitBinary };
  }
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^hint:/.test(line));
  return lines.at(-1);
}

/** `text` with the remote URL, and any `user:password@` in a URL, shown without credentials. */
function redactUrls(text: string, remote: string): string {
  const replaced = remote.includes('://') ? text.split(remote).join(redactUrl(remote)) : text;
  return replaced.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
