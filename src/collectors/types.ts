import type { CollectorOptionValue, Device } from '../core/device.js';
import type { SecretRule } from './secrets.js';

/** How a collector talks to the device: one exec channel per command, or an interactive shell. */
export type CollectorMode = 'exec' | 'shell';

/**
 * Exec mode: whether a command's channel must report an exit status. `required`: a channel that
 * closes without one was cut short (`truncated-output`). `optional`: some devices never send
 * one; their output is whole when the collector's `isComplete` says so.
 */
export type ExitStatusPolicy = 'required' | 'optional';

/**
 * The commands that produce the configuration. `commands` run in order and their outputs are
 * concatenated. When a command's output matches one of the collector's `syntaxErrorPatterns` and a
 * `fallback` is given, the whole plan is retried once with the fallback (RouterOS: v7 form first,
 * v6 form when the device does not know `show-sensitive`).
 */
export interface CommandPlan {
  readonly commands: readonly string[];
  readonly fallback?: readonly string[];
}

/**
 * Vendor-specific normalization, applied by `normalizeConfig` between the common steps (decode,
 * strip ANSI, line endings) and the common tail (trim trailing blanks, collapse blank lines, one
 * final newline), in this order: join continuations, `dropLines`, `replaceInLines`, `transform`.
 * See SPEC §4.
 *
 * Rules must be idempotent: normalizing already normalized text must not change it (a replacement
 * must match its own output or not match it at all).
 */
export interface NormalizationRules {
  /**
   * Join a line ending in an odd number of `\` with the next (RouterOS export style), removing that
   * `\` and the next line's indentation. Before a blank line or the end, the `\` stays: the output
   * was cut there.
   */
  readonly joinBackslashContinuations?: boolean;
  /**
   * Whole lines to drop, tested with `RegExp.test` against one line at a time, without its
   * trailing spaces and tabs. No `g` or `y` flag (they make `test` stateful).
   */
  readonly dropLines?: readonly RegExp[];
  /**
   * Substitutions on each line, after `dropLines` (e.g. masking values that change on every read).
   * A pattern with the `g` flag replaces every match in the line, one without only the first.
   */
  readonly replaceInLines?: readonly (readonly [pattern: RegExp, replacement: string])[];
  /** A last vendor step over all lines, for what the declarative rules cannot say. */
  readonly transform?: (lines: string[]) => string[];
}

/**
 * How a shell collector reaches privileged mode from the prompt an account lands at (IOS, ASA,
 * EOS: `enable`). Patterns are tested against one line without its trailing blanks.
 */
export interface PrivilegeStep {
  /** What asks for privileged mode, e.g. `enable`. */
  readonly command: string;
  /** The device asking for the enable secret, e.g. `Password:`. */
  readonly passwordPrompt: RegExp;
  /**
   * What a privileged prompt looks like (e.g. ending in `#`). A learned prompt that matches is
   * privileged already, and nothing is sent.
   */
  readonly privilegedPrompt: RegExp;
  /** The device's words for a refused enable (`% Access denied`), quoted in the error. */
  readonly failurePatterns: readonly RegExp[];
}

/** Context given to a collector's functions. */
export interface CollectorContext {
  readonly device: Device;
  /**
   * True when this backup masks secrets (SPEC §9): a collector whose device can leave them out
   * itself (RouterOS `hide-sensitive`) asks it to.
   */
  readonly maskSecrets?: boolean;
  /**
   * The device's collector options (`device.options`) over the defaults the collector declares;
   * set by `defineCollector` for the functions of a definition.
   */
  readonly options?: Readonly<Record<string, CollectorOptionValue>>;
}

/** The type of a collector option: what an inventory may give for it. */
export type CollectorOptionType = 'string' | 'boolean' | 'integer' | 'strings';

/**
 * An option a collector declares (`CollectorDefinition.options`): the inventory checks the
 * values given for it, and `--help`/docs list it.
 */
export interface CollectorOption {
  /** Lowercase letters, digits and `_`, e.g. `hide_sensitive`. */
  readonly name: string;
  /** `strings`: a list of strings (one string is a list of one). */
  readonly type: CollectorOptionType;
  /** The value when the device gives none. Absent: no value (`context.options[name]` undefined). */
  readonly default?: CollectorOptionValue;
  /** One sentence for the documentation and error messages. */
  readonly doc: string;
  /**
   * A further check of a value already of the option's type (a range, a pattern, a list's length):
   * returns what is wrong with it, in words for the inventory's author (`must be from 1 to 10`), or
   * `undefined` when it is fine. The CLI's inventory reports the message with the file, the device
   * (or level) and the option; `defineCollector` checks the default with it. It must not throw
   * (a throw is reported as the check failing) and is given no secret.
   *
   * @example
   * ```ts
   * const retries: CollectorOption = {
   *   name: 'retries',
   *   type: 'integer',
   *   default: 2,
   *   doc: 'How often a refused command is retried.',
   *   check: (value) => (typeof value === 'number' && value >= 0 && value <= 5 ? undefined : 'must be from 0 to 5'),
   * };
   * ```
   */
  readonly check?: (value: CollectorOptionValue) => string | undefined;
}

/**
 * One vendor's way of getting and cleaning a configuration. Make one with `defineCollector`, which
 * fills in defaults and validates.
 *
 * The prompt, pager and error patterns are used with `RegExp.test`/`exec` and never have the `g`
 * or `y` flag. Error patterns are tested against a command's whole raw output (in exec mode also
 * its stderr), which may still hold `\r\n` line endings: anchor them with `^` and the `m` flag,
 * and do not rely on `$` before a `\r`.
 */
export interface ConfigCollector {
  /** Collector id, matched against `device.vendor`; published as `vendor`. */
  readonly vendor: string;
  /** Human name for messages, e.g. `MikroTik RouterOS`. */
  readonly displayName: string;
  /** The options it declares (see {@link CollectorOption}); empty when none. */
  readonly options?: readonly CollectorOption[];
  /** `exec`: one exec channel per command. `shell`: one interactive shell, prompt by prompt. */
  readonly mode: CollectorMode;
  /**
   * Exec mode: whether each channel must report an exit status (see {@link ExitStatusPolicy}).
   * Absent: `required`.
   */
  readonly exitStatus?: ExitStatusPolicy;
  /**
   * Shell mode: commands sent after login whose output is discarded (paging off, width).
   * Never commands that change the device's saved configuration.
   */
  setupCommands(context: CollectorContext): readonly string[];
  /** The commands whose output is the configuration. */
  commands(context: CollectorContext): CommandPlan;
  /** Shell mode: what the learned prompt must look like (tested against the last line). */
  readonly promptPattern: RegExp;
  /**
   * Shell mode: how to reach privileged mode before the setup commands, when the account lands
   * unprivileged (see {@link PrivilegeStep}). Absent: the collector never asks for it.
   */
  readonly privilege?: PrivilegeStep | undefined;
  /**
   * Shell mode over SSH: the device asks for the username and password again inside the shell
   * (Cisco AireOS). Absent: the SSH login is the only one.
   */
  readonly shellLogin?: boolean | undefined;
  /**
   * Shell mode: the prompt counts commands (EXOS `sw1.5 # `); a prompt is the learned one with
   * any numbers in place of its digits. Absent: the learned prompt exactly.
   */
  readonly numberedPrompt?: boolean | undefined;
  /** Shell mode: a pager prompt in the output (e.g. `--More--`), answered with `pagerResponse`. */
  readonly pagerPattern: RegExp | undefined;
  /** Shell mode: what to send to a pager prompt. Default a space. */
  readonly pagerResponse: string;
  /** Shell mode: the command that ends the session politely. */
  readonly exitCommand: string | undefined;
  /** Vendor error texts: output matching any of them is `command-failed`. */
  readonly errorPatterns: readonly RegExp[];
  /** Error texts that mean "the device does not know this command" — they trigger a `fallback`. */
  readonly syntaxErrorPatterns: readonly RegExp[];
  /**
   * Whether the normalized text is a whole configuration. False → `truncated-output`, never
   * published.
   */
  isComplete(normalizedText: string): boolean;
  /** The vendor's part of `normalizeConfig`. */
  readonly normalization: NormalizationRules;
  /**
   * Where the configuration holds secrets (SPEC §9), masked when the backup asks for
   * `maskSecrets`. Absent or empty: nothing is masked.
   */
  readonly secrets?: readonly SecretRule[];
  /**
   * The software version the device reports in its own output (RouterOS: the `/export` header),
   * or `undefined` when it does not say. Given the start of the raw output (its first 512 bytes,
   * decoded as Latin-1). Absent: the output carries no version.
   */
  readonly detectVersion?: ((outputHead: string) => string | undefined) | undefined;
}

/**
 * How much of the start of a raw output a collector's `detectVersion` is given, in bytes.
 * @internal
 */
export const VERSION_SEARCH_BYTES = 512;
