// Variables that would point git at some other repository or index than the one it is run in
// (e.g. when the service itself runs inside a git hook), or change how it reads the paths it is
// given.
const GIT_LOCATION_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CEILING_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_COMMON_DIR',
  'GIT_GLOB_PATHSPECS',
  'GIT_NOGLOB_PATHSPECS',
  'GIT_ICASE_PATHSPECS',
  'GIT_LITERAL_PATHSPECS',
];

/**
 * The environment confsnap runs git in: this process's, without the variables that would redirect
 * git to another repository or reinterpret paths, in the C locale (messages confsnap can read),
 * never prompting for a password; `extra` on top.
 *
 * @internal
 */
export function gitEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of GIT_LOCATION_VARIABLES) delete env[name];
  return Object.assign(env, { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, extra);
}
