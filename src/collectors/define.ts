import type {
  CollectorContext,
  CollectorMode,
  CollectorOption,
  CollectorOptionType,
  CommandPlan,
  ConfigCollector,
  ExitStatusPolicy,
  NormalizationRules,
  PrivilegeStep,
} from './types.js';
import type { SecretRule } from './secrets.js';
import type { CollectorOptionValue } from '../core/device.js';

/**
 * What a vendor declares; {@link defineCollector} fills in the rest. Only `vendor` and `commands`
 * are required.
 */
export interface CollectorDefinition {
  /** Collector id matched against `device.vendor`: lowercase letters, digits and inner hyphens. */
  readonly vendor: string;
  /** Human name for messages. Default: `vendor`. */
  readonly displayName?: string;
  /** Default `exec`. */
  readonly mode?: CollectorMode;
  /**
   * Exec mode: `required` (default) — a channel that closes without an exit status was cut short
   * and is `truncated-output`; `optional` — the device may never send one, and `isComplete` alone
   * tells a whole configuration (give one that recognises the end of the output). A non-zero
   * status still fails the command either way.
   */
  readonly exitStatus?: ExitStatusPolicy;
  /** Shell mode only: commands whose output is discarded (paging off). Default none. */
  readonly setupCommands?: readonly string[] | ((context: CollectorContext) => readonly string[]);
  /** The commands whose output is the configuration: a list, a plan, or a function of the device. */
  readonly commands:
    | readonly string[]
    | CommandPlan
    | ((context: CollectorContext) => readonly string[] | CommandPlan);
  /** Default {@link DEFAULT_PROMPT_PATTERN}. */
  readonly promptPattern?: RegExp;
  /**
   * Shell mode: how to reach privileged mode when the account lands unprivileged. Only
   * `privilegedPrompt` is required; `command` defaults to `enable`, `passwordPrompt` to
   * {@link DEFAULT_ENABLE_PASSWORD_PROMPT}, `failurePatterns` to none. Default: no privilege step.
   */
  readonly privilege?: PrivilegeDefinition;
  /**
   * Shell mode over SSH: the device asks for the username and password again inside the shell,
   * after SSH authentication (Cisco AireOS: `User:`, `Password:`); they are answered with the
   * device's credentials before the prompt is learned. Default false.
   */
  readonly shellLogin?: boolean;
  /**
   * Shell mode: the prompt counts commands (Extreme EXOS: `sw1.4 # `, then `sw1.5 # `), so a
   * prompt is the learned one with any numbers in place of its digits. Default false: the prompt
   * is the learned text exactly.
   */
  readonly numberedPrompt?: boolean;
  /** Default none. */
  readonly pagerPattern?: RegExp;
  /** Default a space. */
  readonly pagerResponse?: string;
  /** Default `exit` in shell mode, none in exec mode. */
  readonly exitCommand?: string;
  /** Default none. */
  readonly errorPatterns?: readonly RegExp[];
  /** Default none. */
  readonly syntaxErrorPatterns?: readonly RegExp[];
  /** Default: the text holds something besides white space. */
  readonly isComplete?: (normalizedText: string) => boolean;
  /** Default: only the common rules of SPEC §4. */
  readonly normalization?: NormalizationRules;
  /**
   * Where the configuration holds secrets, masked to `<secret hidden>` when a backup asks for
   * `maskSecrets` (see {@link SecretRule}; include `PRIVATE_KEY_BLOCK` for PEM keys). Default
   * none: such a collector's backups are published unmasked, and say so (`secrets_masked` absent).
   */
  readonly secrets?: readonly SecretRule[];
  /**
   * The software version the device reports in its output, from the start of the raw output
   * (its first 512 bytes, decoded as Latin-1); `undefined` when it does not say. It becomes
   * `CollectResult.deviceVersion`. Default: none.
   */
  readonly detectVersion?: (outputHead: string) => string | undefined;
  /**
   * Options a device may set (`device.options`, an inventory's `options:`), each with its type,
   * default and a one-line doc; the functions of the definition see them as `context.options`,
   * defaults filled in. Default none.
   *
   * @example
   * ```ts
   * options: [{ name: 'show_all', type: 'boolean', default: false, doc: 'Also back up defaults.' }],
   * commands: ({ options }) => [options?.show_all === true ? 'show config all' : 'show config'],
   * ```
   */
  readonly options?: readonly CollectorOption[];
}

/**
 * The prompt a collector accepts when it declares none: a last line ending in `>`, `#`, `$` or `%`,
 * optionally followed by one space.
 */
export const DEFAULT_PROMPT_PATTERN: RegExp = /[>#$%]\s?$/;

/** What {@link CollectorDefinition.privilege} declares; {@link defineCollector} fills in the rest. */
export interface PrivilegeDefinition {
  /** Default `enable`. */
  readonly command?: string;
  /** Default {@link DEFAULT_ENABLE_PASSWORD_PROMPT}. */
  readonly passwordPrompt?: RegExp;
  /** What a privileged prompt looks like, e.g. `/#$/`. Required. */
  readonly privilegedPrompt: RegExp;
  /** Default none. */
  readonly failurePatterns?: readonly RegExp[];
}

/** The enable password prompt a privilege step expects when it declares none: `Password:`. */
export const DEFAULT_ENABLE_PASSWORD_PROMPT: RegExp = /^(?:enable )?password: ?$/i;

const VENDOR_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Makes a validated, frozen {@link ConfigCollector} from a short declaration, with defaults: exec
 * mode, {@link DEFAULT_PROMPT_PATTERN}, a space for pagers, no error patterns, and "complete when
 * not empty". Throws a `TypeError` naming the field when the declaration is wrong, and, when
 * `commands` is a function, when it returns no command.
 *
 * @example
 * ```ts
 * import { createCollectorRegistry, defineCollector } from 'confsnap';
 *
 * const edgeSwitch = defineCollector({
 *   vendor: 'acme-edge',
 *   displayName: 'ACME EdgeSwitch',
 *   mode: 'shell',
 *   promptPattern: /^[\w.-]+[>#] ?$/,
 *   setupCommands: ['terminal length 0'],
 *   commands: ['show running-config'],
 *   pagerPattern: /--More--\s*$/,
 *   errorPatterns: [/^% Invalid input/m],
 *   isComplete: (text) => text.endsWith('\nend\n'),
 *   normalization: { dropLines: [/^! Generated at /] },
 * });
 * const collectors = createCollectorRegistry([edgeSwitch]);
 * ```
 */
export function defineCollector(definition: CollectorDefinition): ConfigCollector {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError('defineCollector: expected a collector definition object');
  }
  const where = describe(definition.vendor);
  const { vendor } = definition;
  if (typeof vendor !== 'string' || !VENDOR_ID.test(vendor)) {
    throw new TypeError(
      `${where}: vendor must be a non-empty id of lowercase letters, digits and inner hyphens (e.g. "cisco-ios")`,
    );
  }
  const mode = definition.mode ?? 'exec';
  if (mode !== 'exec' && mode !== 'shell') {
    throw new TypeError(`${where}: mode must be "exec" or "shell"`);
  }
  const exitStatus = definition.exitStatus ?? 'required';
  if (exitStatus !== 'required' && exitStatus !== 'optional') {
    throw new TypeError(`${where}: exitStatus must be "required" or "optional"`);
  }
  if (exitStatus === 'optional' && mode !== 'exec') {
    throw new TypeError(
      `${where}: exitStatus only applies in exec mode; a shell's commands end at the prompt`,
    );
  }
  if (exitStatus === 'optional' && definition.isComplete === undefined) {
    throw new TypeError(
      `${where}: exitStatus "optional" needs an isComplete that recognises the end of the output; without an exit status nothing else tells a whole configuration from a cut one`,
    );
  }
  const promptPattern = checkPattern(
    where,
    'promptPattern',
    definition.promptPattern ?? DEFAULT_PROMPT_PATTERN,
  );
  if (mode === 'shell' && promptPattern.test('')) {
    throw new TypeError(
      `${where}: promptPattern matches an empty line, so shell mode could never tell the prompt apart; make it require the prompt's characters`,
    );
  }
  const privilege =
    definition.privilege === undefined
      ? undefined
      : checkPrivilege(where, mode, definition.privilege);
  const pagerPattern =
    definition.pagerPattern === undefined
      ? undefined
      : checkPattern(where, 'pagerPattern', definition.pagerPattern);
  const errorPatterns = checkPatterns(where, 'errorPatterns', definition.errorPatterns);
  const syntaxErrorPatterns = checkPatterns(
    where,
    'syntaxErrorPatterns',
    definition.syntaxErrorPatterns,
  );
  const normalization = checkNormalization(where, definition.normalization ?? {});
  const secrets = checkSecrets(where, definition.secrets);

  const setupCommands = definition.setupCommands ?? [];
  const staticSetup =
    typeof setupCommands === 'function'
      ? undefined
      : checkCommandList(where, 'setupCommands', setupCommands, { allowEmpty: true });
  if (mode === 'exec' && staticSetup !== undefined && staticSetup.length > 0) {
    throw new TypeError(
      `${where}: setupCommands only run in shell mode; in exec mode every command is its own channel`,
    );
  }
  const commands = definition.commands;
  const staticPlan = typeof commands === 'function' ? undefined : checkPlan(where, commands);

  const shellLogin = definition.shellLogin ?? false;
  if (typeof shellLogin !== 'boolean' || (shellLogin && mode !== 'shell')) {
    throw new TypeError(`${where}: shellLogin must be a boolean, and true only in shell mode`);
  }
  const numberedPrompt = definition.numberedPrompt ?? false;
  if (typeof numberedPrompt !== 'boolean' || (numberedPrompt && mode !== 'shell')) {
    throw new TypeError(`${where}: numberedPrompt must be a boolean, and true only in shell mode`);
  }
  const pagerResponse = definition.pagerResponse ?? ' ';
  if (typeof pagerResponse !== 'string') {
    throw new TypeError(`${where}: pagerResponse must be a string`);
  }
  const exitCommand = definition.exitCommand ?? (mode === 'shell' ? 'exit' : undefined);
  if (exitCommand !== undefined) checkCommand(where, 'exitCommand', exitCommand);
  const isComplete = definition.isComplete ?? hasContent;
  if (typeof isComplete !== 'function') {
    throw new TypeError(`${where}: isComplete must be a function of the normalized text`);
  }

  const options = checkOptions(where, definition.options ?? []);
  const withOptions = (context: CollectorContext): CollectorContext =>
    options.length === 0
      ? context
      : { ...context, options: optionValues(options, context.device.options) };

  const detectVersion = definition.detectVersion;
  if (detectVersion !== undefined && typeof detectVersion !== 'function') {
    throw new TypeError(`${where}: detectVersion must be a function of the output's start`);
  }

  return Object.freeze({
    vendor,
    displayName: definition.displayName ?? vendor,
    mode,
    exitStatus,
    setupCommands(context: CollectorContext): readonly string[] {
      if (staticSetup !== undefined) return staticSetup;
      const list = (setupCommands as (context: CollectorContext) => readonly string[])(
        withOptions(context),
      );
      return checkCommandList(where, 'setupCommands', list, { allowEmpty: true });
    },
    commands(context: CollectorContext): CommandPlan {
      return staticPlan ?? checkPlan(where, (commands as PlanFunction)(withOptions(context)));
    },
    promptPattern,
    ...(privilege === undefined ? {} : { privilege }),
    ...(shellLogin ? { shellLogin } : {}),
    ...(numberedPrompt ? { numberedPrompt } : {}),
    pagerPattern,
    pagerResponse,
    exitCommand,
    errorPatterns,
    syntaxErrorPatterns,
    isComplete,
    normalization,
    secrets,
    ...(detectVersion ? { detectVersion } : {}),
    options,
  });
}

const OPTION_NAME = /^[a-z][a-z0-9_]*$/;
const OPTION_TYPES: readonly CollectorOptionType[] = ['string', 'boolean', 'integer', 'strings'];

/** Whether `value` is of the option type `type`. */
export function isCollectorOptionValue(type: CollectorOptionType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

function checkOptions(where: string, options: unknown): readonly CollectorOption[] {
  if (!Array.isArray(options)) {
    throw new TypeError(`${where}: options must be a list of { name, type, default?, doc }`);
  }
  const seen = new Set<string>();
  return Object.freeze(
    options.map((option: Partial<CollectorOption> | undefined) => {
      const name = option?.name;
      if (typeof name !== 'string' || !OPTION_NAME.test(name)) {
        throw new TypeError(
          `${where}: an option's name must be lowercase letters, digits and _ (e.g. "hide_sensitive")`,
        );
      }
      if (seen.has(name)) throw new TypeError(`${where}: option ${name} is declared twice`);
      seen.add(name);
      const type = option!.type;
      if (type === undefined || !OPTION_TYPES.includes(type)) {
        throw new TypeError(
          `${where}: option ${name}: type must be one of ${OPTION_TYPES.join(', ')}`,
        );
      }
      if (option!.default !== undefined && !isCollectorOptionValue(type, option!.default)) {
        throw new TypeError(`${where}: option ${name}: the default is not of type ${type}`);
      }
      if (typeof option!.doc !== 'string' || option!.doc.trim() === '') {
        throw new TypeError(`${where}: option ${name}: doc must say what the option does`);
      }
      const check = option!.check;
      if (check !== undefined && typeof check !== 'function') {
        throw new TypeError(
          `${where}: option ${name}: check must be a function of the value returning what is wrong with it, or undefined`,
        );
      }
      const declared = Object.freeze({ ...option, name, type, doc: option!.doc });
      if (declared.default !== undefined) {
        const problem = collectorOptionProblem(declared, declared.default);
        if (problem !== undefined) {
          throw new TypeError(`${where}: option ${name}: the default fails its check: ${problem}`);
        }
      }
      return declared;
    }),
  );
}

/**
 * What the option's own `check` says is wrong with a value of its type, on one line; `undefined`
 * when it has no check or the check passes. A check that throws, or returns anything but a string
 * or `undefined`, is reported as such rather than thrown.
 */
export function collectorOptionProblem(
  option: CollectorOption,
  value: CollectorOptionValue,
): string | undefined {
  if (option.check === undefined) return undefined;
  let result: unknown;
  try {
    result = option.check(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `its check failed (${oneLine(reason) || 'no reason given'})`;
  }
  if (result === undefined) return undefined;
  if (typeof result !== 'string') return 'its check returned something other than a message';
  return oneLine(result) || 'is refused by its check';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** The device's option values over the declared defaults (undeclared names are left out). */
function optionValues(
  options: readonly CollectorOption[],
  given: Readonly<Record<string, CollectorOptionValue>> | undefined,
): Readonly<Record<string, CollectorOptionValue>> {
  const values: Record<string, CollectorOptionValue> = {};
  for (const option of options) {
    const value = given?.[option.name] ?? option.default;
    if (value !== undefined) values[option.name] = value;
  }
  return Object.freeze(values);
}

type PlanFunction = (context: CollectorContext) => readonly string[] | CommandPlan;

function hasContent(normalizedText: string): boolean {
  return normalizedText.trim() !== '';
}

function describe(vendor: unknown): string {
  return typeof vendor === 'string' && vendor !== ''
    ? `defineCollector("${vendor}")`
    : 'defineCollector';
}

function checkPattern(
  where: string,
  field: string,
  pattern: unknown,
  { allowGlobal = false }: { allowGlobal?: boolean } = {},
): RegExp {
  if (!(pattern instanceof RegExp)) throw new TypeError(`${where}: ${field} must be a RegExp`);
  if (pattern.sticky || (pattern.global && !allowGlobal)) {
    throw new TypeError(
      `${where}: ${field} ${String(pattern)} has the g or y flag, which makes RegExp.test remember its last position; drop the flag`,
    );
  }
  return pattern;
}

function checkPatterns(
  where: string,
  field: string,
  patterns: readonly RegExp[] | undefined,
): readonly RegExp[] {
  if (patterns === undefined) return Object.freeze([]);
  if (!Array.isArray(patterns))
    throw new TypeError(`${where}: ${field} must be an array of RegExp`);
  return Object.freeze(
    patterns.map((pattern: unknown, index) => checkPattern(where, `${field}[${index}]`, pattern)),
  );
}

function checkPrivilege(
  where: string,
  mode: CollectorMode,
  definition: PrivilegeDefinition,
): PrivilegeStep {
  if (mode !== 'shell') {
    throw new TypeError(
      `${where}: privilege only applies in shell mode; an exec channel has no enable step`,
    );
  }
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(`${where}: privilege must be an object with at least privilegedPrompt`);
  }
  const command = checkCommand(where, 'privilege.command', definition.command ?? 'enable');
  const privilegedPrompt = checkPattern(
    where,
    'privilege.privilegedPrompt',
    definition.privilegedPrompt,
  );
  if (privilegedPrompt.test('')) {
    throw new TypeError(
      `${where}: privilege.privilegedPrompt matches an empty line; make it require the privileged prompt's character (e.g. /#$/)`,
    );
  }
  const passwordPrompt = checkPattern(
    where,
    'privilege.passwordPrompt',
    definition.passwordPrompt ?? DEFAULT_ENABLE_PASSWORD_PROMPT,
  );
  if (passwordPrompt.test('')) {
    throw new TypeError(`${where}: privilege.passwordPrompt matches an empty line`);
  }
  return Object.freeze({
    command,
    passwordPrompt,
    privilegedPrompt,
    failurePatterns: checkPatterns(where, 'privilege.failurePatterns', definition.failurePatterns),
  });
}

function checkNormalization(where: string, rules: NormalizationRules): NormalizationRules {
  if (typeof rules !== 'object' || rules === null) {
    throw new TypeError(`${where}: normalization must be an object`);
  }
  const field = (name: string): string => `normalization.${name}`;
  const replaceInLines = (rules.replaceInLines ?? []).map((entry: unknown, index) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[1] !== 'string') {
      throw new TypeError(
        `${where}: ${field('replaceInLines')}[${index}] must be [RegExp, string]`,
      );
    }
    const [pattern, replacement] = entry as [unknown, string];
    // `g` is fine here: String.replace restarts a global pattern at 0 and means "every match".
    const checked = checkPattern(where, `${field('replaceInLines')}[${index}]`, pattern, {
      allowGlobal: true,
    });
    return Object.freeze([checked, replacement] as const);
  });
  if (rules.transform !== undefined && typeof rules.transform !== 'function') {
    throw new TypeError(`${where}: ${field('transform')} must be a function`);
  }
  return Object.freeze({
    ...(rules.joinBackslashContinuations === true ? { joinBackslashContinuations: true } : {}),
    ...(rules.dropLines
      ? { dropLines: checkPatterns(where, field('dropLines'), rules.dropLines) }
      : {}),
    ...(replaceInLines.length > 0 ? { replaceInLines: Object.freeze(replaceInLines) } : {}),
    ...(rules.transform ? { transform: rules.transform } : {}),
  });
}

function checkSecrets(
  where: string,
  rules: readonly SecretRule[] | undefined,
): readonly SecretRule[] {
  if (rules === undefined) return Object.freeze([]);
  if (!Array.isArray(rules)) {
    throw new TypeError(`${where}: secrets must be an array of { line } or { between } rules`);
  }
  return Object.freeze(
    rules.map((rule: unknown, index): SecretRule => {
      const field = `secrets[${index}]`;
      if (typeof rule !== 'object' || rule === null) {
        throw new TypeError(
          `${where}: ${field} must be { line: RegExp } or { between: { begin, end } }`,
        );
      }
      if ('between' in rule) {
        const between = rule.between as {
          begin?: unknown;
          end?: unknown;
        };
        if (typeof between !== 'object' || between === null) {
          throw new TypeError(`${where}: ${field}.between must be { begin: RegExp, end: RegExp }`);
        }
        return Object.freeze({
          between: Object.freeze({
            begin: checkPattern(where, `${field}.between.begin`, between.begin),
            end: checkPattern(where, `${field}.between.end`, between.end),
          }),
        });
      }
      const { line, within } = rule as {
        line?: unknown;
        within?: { from?: unknown; until?: unknown };
      };
      const pattern = checkPattern(where, `${field}.line`, line, { allowGlobal: true });
      if (!/\((?!\?)|\(\?<[A-Za-z_]/.test(pattern.source.replace(/\\./g, ''))) {
        throw new TypeError(
          `${where}: ${field}.line ${String(pattern)} has no capturing group; put the secret value in one, e.g. /^enable secret \\d+ (\\S+)/`,
        );
      }
      if (within === undefined) return Object.freeze({ line: pattern });
      if (typeof within !== 'object' || within === null) {
        throw new TypeError(`${where}: ${field}.within must be { from: RegExp, until: RegExp }`);
      }
      return Object.freeze({
        line: pattern,
        within: Object.freeze({
          from: checkPattern(where, `${field}.within.from`, within.from),
          until: checkPattern(where, `${field}.within.until`, within.until),
        }),
      });
    }),
  );
}

function checkCommand(where: string, field: string, command: unknown): string {
  if (typeof command !== 'string' || command.trim() === '' || /[\r\n]/.test(command)) {
    throw new TypeError(`${where}: ${field} must be a non-empty, single-line command`);
  }
  return command;
}

function checkCommandList(
  where: string,
  field: string,
  list: unknown,
  { allowEmpty }: { allowEmpty: boolean },
): readonly string[] {
  if (!Array.isArray(list)) throw new TypeError(`${where}: ${field} must be an array of commands`);
  if (!allowEmpty && list.length === 0) {
    throw new TypeError(`${where}: ${field} needs at least one command`);
  }
  list.forEach((command: unknown, index) => checkCommand(where, `${field}[${index}]`, command));
  return freezeList(list as string[]);
}

function checkPlan(where: string, plan: readonly string[] | CommandPlan): CommandPlan {
  if (Array.isArray(plan)) {
    return Object.freeze({
      commands: checkCommandList(where, 'commands', plan, { allowEmpty: false }),
    });
  }
  if (typeof plan !== 'object' || plan === null) {
    throw new TypeError(`${where}: commands must be a list of commands or { commands, fallback }`);
  }
  const { commands, fallback } = plan as CommandPlan;
  return Object.freeze({
    commands: checkCommandList(where, 'commands', commands, { allowEmpty: false }),
    ...(fallback === undefined
      ? {}
      : { fallback: checkCommandList(where, 'fallback', fallback, { allowEmpty: false }) }),
  });
}

function freezeList(list: readonly string[]): readonly string[] {
  return Object.isFrozen(list) ? list : Object.freeze([...list]);
}
