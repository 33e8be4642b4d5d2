/**
 * The telnet login dialog of network CLIs: `Username:` (or `login:`) and `Password:` prompts,
 * answered with the credentials; a prompt that comes back, or the device's refusal, is
 * `auth-failed`. Once the CLI's prompt shows, the shell driver takes over (prompt learning,
 * privilege, paging, logout), exactly as over SSH.
 */
import type { Credentials } from '../core/device.js';
import { BackupError } from '../core/errors.js';
import type { ConfigCollector } from '../collectors/types.js';
import type { Attempt } from '../ssh/attempt.js';
import { maskSecret } from '../ssh/privilege.js';
import { lastLine } from '../ssh/shell.js';

/**
 * A login name prompt: IOS's `Username:`, Unix-style `login:`, Huawei's `Username:`, ArubaOS's,
 * Dell PowerConnect's and Cisco AireOS's `User:`, Cisco Small Business's `User Name:`, FastIron's
 * `Please Enter Login Name:`.
 */
export const TELNET_USERNAME_PROMPT = /(?:user(?: ?name)?|login(?: name)?)\s*:$/i;
/** A password prompt. */
export const TELNET_PASSWORD_PROMPT = /pass(?:word|code)\s*:$/i;
/** What devices print when they refuse a login. */
const LOGIN_REFUSED =
  /% ?(?:Login invalid|Authentication failed|Access denied|Bad passwords?)|Login incorrect|Authentication fail(?:ed|ure)|Error: (?:Failed to pass the authentication|Username or password error)|Error - Incorrect username or password|Username or password is invalid/i;
/** Text kept for the refusal search; prompts are searched in the last line only. */
const KEPT_CHARS = 4096;

/** What the login dialog reads and writes. @internal */
export interface LoginStream {
  /** Listens to what the device sends; returns the function that stops listening. */
  subscribe(listener: (chunk: Buffer) => void): () => void;
  /** Listens for the connection's end; returns the function that stops listening. */
  subscribeClose(listener: () => void): () => void;
  write(text: string): void;
}

/** What the login needs to know. @internal */
export interface LoginOptions {
  readonly credentials: Credentials;
  readonly collector: ConfigCollector;
  /** How long the login may take (what is left of `connectTimeoutMs`). */
  readonly remainingMs: number;
  /** The error when it takes longer. */
  readonly onTimeout: () => BackupError;
}

type Stage = 'start' | 'username-sent' | 'password-sent';

/**
 * Answers the login prompts and resolves once the CLI's prompt shows. The password is typed only
 * into a prompt that asks for a password, and never appears in an error.
 * @internal
 */
export function telnetLogin(
  attempt: Attempt,
  stream: LoginStream,
  options: LoginOptions,
): Promise<void> {
  const { credentials, collector } = options;
  const { deviceId, target } = attempt;
  const refused = (what: string, deviceWords?: string): BackupError =>
    new BackupError({
      kind: 'auth-failed',
      deviceId,
      message: `${deviceId}: ${target} ${what} over telnet${deviceWords ? ` (the device said "${deviceWords}")` : ''}; fix the username/password for this device — it is blocked until its credentials change`,
      details: { stage: 'telnet-login', ...(deviceWords ? { deviceError: deviceWords } : {}) },
    });
  return attempt.wait<void>(options.remainingMs, options.onTimeout, (resolve, reject) => {
    let stage: Stage = 'start';
    let text = '';
    const answer = (next: Stage, typed: string): void => {
      stage = next;
      text = '';
      stream.write(`${typed}\n`);
    };
    const check = (): void => {
      const masked =
        credentials.password === undefined ? text : maskSecret(text, credentials.password);
      const line = lastLine(masked);
      if (stage !== 'start') {
        const refusal = LOGIN_REFUSED.exec(masked);
        if (refusal) return reject(refused('refused the login', refusal[0].trim().slice(0, 80)));
      }
      if (TELNET_PASSWORD_PROMPT.test(line)) {
        if (stage === 'password-sent') return reject(refused('asked for the password again'));
        if (credentials.password === undefined) {
          return reject(
            new BackupError({
              kind: 'auth-failed',
              deviceId,
              message: `${deviceId}: ${target} asks for a password over telnet, and the credentials have none (a key cannot log in over telnet); give this device a password — it is blocked until its credentials change`,
              details: { stage: 'telnet-login' },
            }),
          );
        }
        return answer('password-sent', credentials.password);
      }
      if (TELNET_USERNAME_PROMPT.test(line)) {
        if (stage !== 'start') return reject(refused('asked for the username again'));
        return answer('username-sent', credentials.username);
      }
      // Past the login: the CLI's prompt. Learning it for certain is the shell driver's job.
      if (stage !== 'start' && line !== '' && collector.promptPattern.test(line)) resolve();
    };
    const stopData = stream.subscribe((chunk) => {
      if (!attempt.count(chunk.length)) return;
      text = (text + chunk.toString('latin1')).slice(-KEPT_CHARS);
      check();
    });
    const stopClose = stream.subscribeClose(() => {
      reject(
        stage === 'password-sent'
          ? refused('closed the connection after the password')
          : new BackupError({
              kind: 'unreachable',
              deviceId,
              message: `${deviceId}: ${target} closed the telnet connection before the login finished; the device may be at its session limit or refuse this address`,
            }),
      );
    });
    return () => {
      stopData();
      stopClose();
    };
  });
}
