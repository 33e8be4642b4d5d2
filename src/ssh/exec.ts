import type { Client, ClientChannel } from 'ssh2';
import { BackupError } from '../core/errors.js';
import type { ExitStatusPolicy } from '../collectors/types.js';
import type { Attempt } from './attempt.js';

/** What one exec channel returned. @internal */
export interface ExecOutput {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | undefined;
  exitSignal: string | undefined;
}

/**
 * Runs one command on its own exec channel and reads stdout and stderr to the end (a channel that
 * is not read never closes), bounded by the command deadline and the attempt's output budget.
 * A channel that closes because the connection dropped is `truncated-output`; so is one that closes
 * without an exit status, unless `exitStatus` is `optional` (the device never sends one: the
 * collector's completeness check decides instead).
 * @internal
 */
export function runExec(
  attempt: Attempt,
  client: Client,
  command: string,
  exitStatus: ExitStatusPolicy = 'required',
): Promise<ExecOutput> {
  return attempt.wait<ExecOutput>(
    attempt.commandTimeoutMs,
    () => attempt.commandTimeout(`the command "${command}"`),
    (resolve, reject) => {
      let channel: ClientChannel | undefined;
      let done = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let exitCode: number | undefined;
      let exitSignal: string | undefined;
      const take = (into: Buffer[]) => (chunk: Buffer) => {
        if (!attempt.count(chunk.length)) return;
        into.push(chunk);
        attempt.transcript?.({ type: 'received', text: chunk.toString('latin1') });
      };
      attempt.transcript?.({ type: 'exec', command });
      client.exec(command, (error, stream) => {
        if (done) {
          stream?.destroy();
          return;
        }
        if (error) {
          reject(
            attempt.connectionLost
              ? truncated(attempt, command)
              : new BackupError({
                  kind: 'command-failed',
                  deviceId: attempt.deviceId,
                  cause: error,
                  message: `${attempt.deviceId}: the device refused to run "${command}" (${error.message}); check that the account may execute commands over SSH`,
                }),
          );
          return;
        }
        channel = stream;
        stream.on('data', take(stdout));
        stream.stderr.on('data', take(stderr));
        stream.on('exit', (code: number | null, signal?: string) => {
          if (typeof code === 'number') exitCode = code;
          if (typeof signal === 'string') exitSignal = signal;
        });
        stream.on('close', () => {
          // The transport's 'end'/'close' may follow this channel's close in the same tick: decide
          // once they were seen. A channel that closes before the device reported how the command
          // ended was cut short (every built-in exec vendor reports an exit status), unless the
          // collector says its device never reports one.
          setImmediate(() => {
            const reported = exitCode !== undefined || exitSignal !== undefined;
            if (!reported && (attempt.connectionLost || exitStatus === 'required')) {
              reject(truncated(attempt, command, attempt.connectionLost));
              return;
            }
            resolve({
              stdout: Buffer.concat(stdout),
              stderr: Buffer.concat(stderr),
              exitCode,
              exitSignal,
            });
          });
        });
      });
      return () => {
        done = true;
        channel?.removeAllListeners('data');
        channel?.stderr.removeAllListeners('data');
      };
    },
  );
}

function truncated(attempt: Attempt, command: string, connectionLost = true): BackupError {
  const what = connectionLost
    ? 'the connection dropped'
    : 'the device closed the channel without an exit status';
  return new BackupError({
    kind: 'truncated-output',
    deviceId: attempt.deviceId,
    message: `${attempt.deviceId}: ${what} while "${command}" was still sending; nothing was published`,
  });
}
