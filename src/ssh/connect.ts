import type { Readable } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client, ConnectConfig, KeyboardInteractiveCallback, Prompt } from 'ssh2';
import { BackupError } from '../core/errors.js';
import type { Credentials } from '../core/device.js';
import type { Attempt } from './attempt.js';
import { classifyConnectError } from './classify.js';
import type { HostKeyVerifier } from './host-key-verifier.js';
import type { Algorithms } from 'ssh2';

/** @internal */
export interface ConnectOptions {
  host: string;
  port: number;
  credentials: Credentials;
  verifier: HostKeyVerifier;
  algorithms: Algorithms | undefined;
  connectTimeoutMs: number;
  /** The stream to speak SSH over (a channel through a jump host) instead of a TCP connection. */
  sock?: Readable | undefined;
  /** SSH keepalive interval once connected (0: none). Default 0. */
  keepaliveIntervalMs?: number | undefined;
  /** What is left of `connectTimeoutMs` when hops took part of it. Default all of it. */
  remainingMs?: number | undefined;
}

/**
 * Opens an authenticated SSH connection. One deadline, `connectTimeoutMs`, covers TCP connect, key
 * exchange and authentication, so a device that accepts TCP and then stalls cannot hold the caller.
 * @internal
 */
export async function connect(attempt: Attempt, options: ConnectOptions): Promise<Client> {
  const { host, port, credentials, verifier, connectTimeoutMs } = options;
  const client = new ssh2.Client();
  // Errors after the handshake (e.g. a reset mid-output) fail the attempt; before it, the promise
  // below rejects with them. Either way the client must never emit an unhandled 'error'.
  let ready = false;
  client.on('error', (error: Error) => {
    attempt.connectionLost = true;
    if (ready) attempt.fail(classifyConnectError(error, { ...attempt, verifier }));
  });
  client.on('end', () => (attempt.connectionLost = true));
  client.on('close', () => (attempt.connectionLost = true));

  const config: ConnectConfig = {
    host,
    port,
    username: credentials.username,
    hostVerifier: verifier.verify,
    algorithms: options.algorithms,
    // confsnap enforces its own deadline (driven by the injected clock); ssh2's must not fire first.
    readyTimeout: 2_147_483_647,
    keepaliveInterval: options.keepaliveIntervalMs ?? 0,
  };
  if (options.sock !== undefined) config.sock = options.sock;
  if (credentials.password !== undefined) config.password = credentials.password;
  if (credentials.privateKey !== undefined) config.privateKey = credentials.privateKey;
  if (credentials.passphrase !== undefined) config.passphrase = credentials.passphrase;
  if (credentials.agent !== undefined) config.agent = credentials.agent;
  if (credentials.keyboardInteractive !== undefined || credentials.password !== undefined) {
    config.tryKeyboard = true;
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      const unanswerable =
        credentials.keyboardInteractive === undefined
          ? prompts.find((prompt) => prompt.echo === true)
          : undefined;
      if (unanswerable !== undefined) {
        // A password answers only what asks for a password (echo off, SPEC §8): typed into a
        // "Username" or "token code" prompt it could be shown, logged or sent on elsewhere.
        attempt.fail(unanswerablePrompt(attempt, unanswerable.prompt));
        client.destroy();
        return;
      }
      answerKeyboardInteractive(credentials, prompts, finish, (error) => {
        // The answers could not be had (e.g. an OTP service timed out): that is no rejected
        // login, and must never block the device.
        attempt.fail(
          new BackupError({
            kind: 'credentials-unavailable',
            deviceId: attempt.deviceId,
            cause: error,
            message: `${attempt.deviceId}: the keyboard-interactive answers could not be produced; check the credential provider`,
          }),
        );
        client.destroy();
      });
    });
  }

  try {
    await attempt.wait<void>(
      options.remainingMs ?? connectTimeoutMs,
      () =>
        new BackupError({
          kind: 'connect-timeout',
          deviceId: attempt.deviceId,
          message: `${attempt.deviceId}: no SSH session with ${attempt.target} within connectTimeoutMs (${connectTimeoutMs} ms: TCP connect, key exchange and login); check that the device is up and not overloaded`,
          details: { connectTimeoutMs },
        }),
      (resolve, reject) => {
        const onReady = (): void => {
          ready = true;
          resolve();
        };
        const onError = (error: Error & { level?: string }): void => {
          // ssh2 goes on to the next authentication method after these: not the end yet.
          const nonFatal =
            error.level === 'agent' ||
            (error.level === 'client-authentication' &&
              !/All configured authentication methods failed/.test(error.message));
          if (nonFatal) {
            attempt.logger.debug(
              { deviceId: attempt.deviceId, level: error.level },
              'an authentication method failed; trying the next',
            );
            return;
          }
          reject(classifyConnectError(error, { ...attempt, verifier }));
        };
        const onClose = (): void => {
          reject(
            verifier.rejected !== undefined
              ? classifyConnectError(undefined, { ...attempt, verifier })
              : new BackupError({
                  kind: 'unreachable',
                  deviceId: attempt.deviceId,
                  message: `${attempt.deviceId}: ${attempt.target} closed the connection during the SSH handshake`,
                }),
          );
        };
        client.once('ready', onReady);
        client.on('error', onError);
        client.once('close', onClose);
        try {
          client.connect(config);
        } catch (error) {
          // ssh2 throws synchronously on bad configuration, e.g. an unparsable private key.
          reject(
            new BackupError({
              kind: 'credentials-unavailable',
              deviceId: attempt.deviceId,
              cause: sanitize(error),
              message: `${attempt.deviceId}: the SSH client rejected its configuration (${describeConfigError(error)}); check the device's credentials and algorithms`,
            }),
          );
        }
        return () => {
          client.off('ready', onReady);
          client.off('error', onError);
          client.off('close', onClose);
        };
      },
    );
  } catch (error) {
    client.destroy();
    throw error;
  }
  return client;
}

function answerKeyboardInteractive(
  credentials: Credentials,
  prompts: Prompt[],
  finish: KeyboardInteractiveCallback,
  unavailable: (error: unknown) => void,
): void {
  const answers = credentials.keyboardInteractive;
  if (typeof answers === 'function') {
    Promise.resolve()
      .then(() => answers(prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false }))))
      .then((list) => finish([...list]), unavailable);
    return;
  }
  if (answers !== undefined) {
    finish(prompts.map((_, i) => answers[i] ?? ''));
    return;
  }
  // Password-only credentials: only echo-off prompts are left (see the caller), the usual
  // single "Password:" prompt of keyboard-interactive.
  finish(prompts.map(() => credentials.password ?? ''));
}

/** The `auth-failed` error for a prompt that only the provider's responder could answer. */
function unanswerablePrompt(attempt: Attempt, prompt: string): BackupError {
  // The device's words, never an answer: cut to one short line without control characters.
  const shown =
    prompt
      .replace(/[\x00-\x1f\x7f]+/g, ' ')
      .trim()
      .slice(0, 80) || '(empty)';
  return new BackupError({
    kind: 'auth-failed',
    deviceId: attempt.deviceId,
    message: `${attempt.deviceId}: ${attempt.target} asks "${shown}" during keyboard-interactive login, which a password does not answer (it answers only prompts that hide what is typed); give the credentials a keyboardInteractive responder that answers it — the device is blocked until its credentials change`,
    details: { stage: 'keyboard-interactive', prompt: shown },
  });
}

/** A configuration error without the secret values it may quote. */
function describeConfigError(error: unknown): string {
  const message = error instanceof Error ? error.message : 'invalid configuration';
  if (/key|passphrase|encrypted/i.test(message))
    return 'the private key cannot be parsed or decrypted';
  return message.slice(0, 200);
}

function sanitize(error: unknown): Error {
  return new Error(describeConfigError(error));
}
