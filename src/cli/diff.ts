import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.js';
import { EXIT } from './exit.js';
import { runGit } from './git-exec.js';
import { writeLine, type CliIO } from './io.js';
import { configFileName, parseDeviceCommandArgs, unknownDeviceMessage } from './show.js';

export const DIFF_USAGE = `Usage: confsnap diff DEVICE [REV] --out DIR

Show how DEVICE's configuration changed, as a unified diff from git: between REV and the latest
commit, or, without REV, between the two latest commits that changed it. DIR is the output
directory of confsnap backup/run --git.

Arguments:
  DEVICE       the device id
  REV          any git revision: a commit hash, HEAD~3, a tag, main@{yesterday}

Options:
  --out DIR    the output directory (a git repository made with --git)   [required]
  -h, --help   show this help

Exit codes: 0 diff printed (possibly empty), 1 unknown device or revision, or no earlier version,
2 bad usage or DIR is not a git repository.
`;

/** `confsnap diff DEVICE [REV] --out DIR`: prints `git diff REV HEAD -- <device>.cfg`. */
export async function diffCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseDeviceCommandArgs('diff', argv, io.cwd, 1);
  if (args === 'help') {
    io.stdout.write(DIFF_USAGE);
    return EXIT.ok;
  }
  const [revision] = args.rest;
  if (revision !== undefined && revision.startsWith('-')) {
    throw new UsageError(`REV must be a revision, not an option: "${revision}"`, 'diff');
  }
  const fail = (message: string, code: number = EXIT.failed): number => {
    writeLine(io.stderr, `confsnap diff: ${message}`);
    return code;
  };
  if (!existsSync(join(args.out, '.git'))) {
    return fail(
      existsSync(args.out)
        ? `${args.out} is not a git repository: only backups made with --git keep earlier versions (confsnap show prints the latest)`
        : `${args.out} does not exist; give the --out DIR of confsnap backup/run --git`,
      EXIT.usage,
    );
  }
  const file = configFileName(args.deviceId);
  const signal = io.signal;
  const git = (gitArgs: string[]) => runGit(args.out, gitArgs, signal ? { signal } : {});
  const history = await git(['log', '-n', '2', '--format=%H %cs', 'HEAD', '--', file]);
  const commits = history.code === 0 ? history.stdout.trim().split('\n').filter(Boolean) : [];
  if (commits.length === 0) {
    const latest = existsSync(join(args.out, file));
    return fail(
      latest
        ? `device "${args.deviceId}" has no committed version yet (its file is there; the next backup commits it)`
        : await unknownDeviceMessage(args.deviceId, args.out),
    );
  }
  let from: string;
  if (revision === undefined) {
    if (commits.length < 2) {
      const [hash, date] = commits[0]!.split(' ');
      return fail(
        `no earlier version of "${args.deviceId}": its config was committed once (${hash!.slice(0, 12)} on ${date}); nothing to compare yet`,
      );
    }
    from = commits[1]!.split(' ')[0]!;
  } else {
    const resolved = await git([
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      `${revision}^{commit}`,
    ]);
    if (resolved.code !== 0) {
      return fail(
        `unknown revision "${revision}" in ${args.out}; see git -C ${args.out} log -- ${file}`,
      );
    }
    from = resolved.stdout.trim();
  }
  const diff = await git([
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    from,
    'HEAD',
    '--',
    file,
  ]);
  if (diff.code !== 0) {
    return fail(
      `git diff failed: ${diff.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${diff.code}`}`,
    );
  }
  if (diff.stdout === '') {
    writeLine(io.stderr, `no change to "${args.deviceId}" between ${from.slice(0, 12)} and HEAD`);
    return EXIT.ok;
  }
  io.stdout.write(diff.stdout);
  return EXIT.ok;
}
