import { Document, Scalar } from 'yaml';
import { isBackupError, type BackupError } from '../core/errors.js';
import { createCollectorRegistry } from '../collectors/registry.js';
import { maskSecretsInText, SECRET_PLACEHOLDER, type SecretRule } from '../collectors/secrets.js';
import { collectConfig, type CollectOptions, type CollectResult } from '../ssh/collect.js';
import type { TranscriptEvent } from '../ssh/transcript.js';
import type { RecordedSession } from './simulated/recorded.js';

/** How {@link recordSession} hides the device's name. */
export interface AnonymizeOptions {
  /** The name to hide. Default: read off the device's prompt (see {@link hostnameOfPrompt}). */
  readonly hostname?: string;
  /** What it becomes. Default `device`. */
  readonly replacement?: string;
}

/** Options of {@link recordSession}: those of `collectConfig`, and how to anonymize. */
export interface RecordSessionOptions extends Omit<CollectOptions, 'transcript'> {
  /**
   * Replace the device's hostname (as a whole word) everywhere in the recording: prompt, banner,
   * configuration. `true` reads it off the prompt. Default false.
   */
  readonly anonymize?: boolean | AnonymizeOptions;
}

/** What {@link recordSession} returns. */
export interface SessionRecording {
  /** The session, secrets masked (and anonymized when asked). */
  readonly session: RecordedSession;
  /** The session as an Oxidized simulation YAML file, ready for `startRecordedDevice`. */
  readonly yaml: string;
  /** The backup, when it succeeded. */
  readonly result?: CollectResult;
  /** Why the backup failed, when it did: a failing device is a test case worth keeping too. */
  readonly error?: BackupError;
  /** The name that was replaced, when anonymized. */
  readonly anonymizedHostname?: string;
}

/**
 * Backs up one device with `collectConfig` and records the session in Oxidized's simulation
 * format, to replay it later with `startRecordedDevice` (e.g. as a test case of a device that
 * fails). Every secret the vendor's rules know is masked in the device's replies, and so are the
 * login password, passphrase and enable secret wherever the device echoed them; the enable secret
 * is recorded as the line `<secret hidden>`. With `anonymize`, the device's hostname is replaced
 * too. Read the YAML before you share it: a secret the rules do not know (a banner, a
 * description) stays as the device sent it.
 *
 * A backup that fails is recorded up to the failure and returned with its `error`; errors that
 * are not a `BackupError` (bad options) are thrown.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { recordSession } from 'confsnap/testing';
 *
 * const recording = await recordSession({
 *   device: { id: 'sw1', host: '192.0.2.7', vendor: 'cisco-ios' },
 *   credentials: { username: 'backup', password: process.env.SW_PASSWORD },
 *   anonymize: true,
 * });
 * await writeFile('test/fixtures/sw1#simulation.yaml', recording.yaml);
 * ```
 */
export async function recordSession(options: RecordSessionOptions): Promise<SessionRecording> {
  const { anonymize, ...collect } = options;
  const collector = (collect.collectors ?? createCollectorRegistry()).get(collect.device.vendor);
  const events: TranscriptEvent[] = [];
  let result: CollectResult | undefined;
  let error: BackupError | undefined;
  try {
    result = await collectConfig({ ...collect, transcript: (event) => events.push(event) });
  } catch (caught) {
    if (!isBackupError(caught)) throw caught;
    error = caught;
  }
  const { credentials } = collect;
  const literals = [credentials.password, credentials.passphrase, credentials.enableSecret];
  const raw = sessionOfTranscript(events);
  const hide = (text: string): string =>
    maskLiterals(
      text,
      literals.filter((value): value is string => value !== undefined && value !== ''),
    );
  let session: RecordedSession = {
    initPrompt: maskReply(hide(raw.initPrompt), collector?.secrets ?? []),
    commands: new Map(
      [...raw.commands].map(([input, reply]) => [
        hide(input),
        maskReply(hide(reply), collector?.secrets ?? []),
      ]),
    ),
  };
  let anonymizedHostname: string | undefined;
  if (anonymize !== undefined && anonymize !== false) {
    const settings = anonymize === true ? {} : anonymize;
    const hostname = settings.hostname ?? hostnameOfPrompt(promptOf(session.initPrompt));
    if (hostname !== undefined && hostname !== '') {
      session = replaceWord(session, hostname, settings.replacement ?? 'device');
      anonymizedHostname = hostname;
    }
  }
  return {
    session,
    yaml: toOxidizedSimulation(session),
    ...(result ? { result } : {}),
    ...(error ? { error } : {}),
    ...(anonymizedHostname === undefined ? {} : { anonymizedHostname }),
  };
}

/**
 * A transcript as a recorded session: what came before the first line typed is the login text;
 * each line typed (or exec command) is a key, and what came back until the next one its reply. A
 * pager's answer, which is no line, stays inside the reply of its command. The first reply to a
 * repeated line is kept. The enable secret's line becomes `<secret hidden>\n`.
 */
function sessionOfTranscript(events: readonly TranscriptEvent[]): RecordedSession {
  let initPrompt = '';
  const commands = new Map<string, string>();
  let current: string[] | undefined;
  let currentKey = '';
  let shell = false;
  const finish = (): void => {
    if (current && !commands.has(currentKey)) commands.set(currentKey, current.join(''));
  };
  for (const event of events) {
    if (event.type === 'received') {
      if (current) current.push(event.text);
      else initPrompt += event.text;
      continue;
    }
    const line = event.type === 'exec' ? `${event.command}\n` : event.text;
    if (event.type === 'sent' && !line.endsWith('\n')) continue;
    if (!current) shell = event.type === 'sent';
    finish();
    currentKey = event.type === 'sent' && event.secret ? `${SECRET_PLACEHOLDER}\n` : line;
    current = [];
  }
  finish();
  // A shell that printed nothing before the first newline: its first answer is the login text.
  if (shell && initPrompt === '' && commands.size > 0) {
    const first = [...commands.values()][0]!;
    initPrompt = first.replace(/^\r?\n/, '');
  }
  return { initPrompt, commands };
}

/** The reply with the vendor's secret rules applied line by line, its line ends kept. */
function maskReply(reply: string, rules: readonly SecretRule[]): string {
  if (rules.length === 0) return reply;
  const lf = reply.replace(/\r\n/g, '\n');
  const masked = maskSecretsInText(lf, rules);
  if (masked === lf) return reply;
  return reply.includes('\r\n') ? masked.replace(/\n/g, '\r\n') : masked;
}

/** `text` (binary: one char per byte) without any of `values` (as typed, or as UTF-8 bytes). */
function maskLiterals(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) {
    const bytes = Buffer.from(value, 'utf8').toString('latin1');
    out = out.split(value).join(SECRET_PLACEHOLDER).split(bytes).join(SECRET_PLACEHOLDER);
  }
  return out;
}

function promptOf(initPrompt: string): string {
  const line = initPrompt.slice(initPrompt.lastIndexOf('\n') + 1);
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * The device name in a prompt: `router1` of `router1#`, `<router1>`, `[admin@router1] >`,
 * `admin@router1:~$` or `router1(config)#`. Undefined when the prompt names none.
 *
 * @example
 * ```ts
 * hostnameOfPrompt('[admin@MikroTik] > '); // 'MikroTik'
 * ```
 */
export function hostnameOfPrompt(prompt: string): string | undefined {
  const match = /^\s*[[<(]?(?:[^\s@[\]<>]+@)?([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(prompt);
  const name = match?.[1]?.replace(/[.-]+$/, '');
  return name === undefined || name.length < 2 ? undefined : name;
}

function replaceWord(session: RecordedSession, word: string, replacement: string): RecordedSession {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_])`, 'g');
  const swap = (text: string): string => text.replace(pattern, replacement);
  return {
    initPrompt: swap(session.initPrompt),
    commands: new Map([...session.commands].map(([input, reply]) => [swap(input), swap(reply)])),
  };
}

/**
 * The body of a Ruby double-quoted string reading `text` (binary: one char per byte), as
 * Oxidized's simulation files hold it: the inverse of `unescapeRubyString`. Line ends stay real
 * line ends; `\r`, tabs, escapes, other control bytes and bytes past ASCII are escaped, and so is a
 * blank that ends a line (an editor would drop it).
 *
 * @example
 * ```ts
 * escapeRubyString('a\tb \n'); // 'a\\tb\\x20\n'
 * ```
 */
export function escapeRubyString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    const next = text[i + 1];
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '#' && (next === '{' || next === '$' || next === '@')) out += '\\#';
    else if (ch === '\n') out += '\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x1b') out += '\\e';
    else if (ch === ' ' && (next === undefined || next === '\n')) out += '\\x20';
    else if (code < 0x20 || code >= 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/**
 * A recorded session as the text of an Oxidized simulation YAML file (`init_prompt` and
 * `commands`, values as Ruby-escaped block scalars), which `parseOxidizedSimulation` reads back.
 */
export function toOxidizedSimulation(session: RecordedSession): string {
  const block = (text: string): Scalar => {
    const scalar = new Scalar(escapeRubyString(text));
    scalar.type = Scalar.BLOCK_LITERAL;
    return scalar;
  };
  const doc = new Document({});
  doc.set('init_prompt', block(session.initPrompt));
  const commands = doc.createNode({}) as ReturnType<Document['createNode']> & {
    set(key: unknown, value: unknown): void;
  };
  for (const [input, reply] of session.commands) {
    const key = new Scalar(input);
    key.type = Scalar.QUOTE_DOUBLE;
    commands.set(key, block(reply));
  }
  doc.set('commands', commands);
  return `---\n${doc.toString({ lineWidth: 0, indent: 2 })}`;
}
