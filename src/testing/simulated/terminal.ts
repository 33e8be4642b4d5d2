import { StringDecoder } from 'node:string_decoder';
import { abortReason, onAbort } from '../../core/abort.js';

/** Keystrokes kept unread at most; a client typing more than this ahead loses the rest. */
const MAX_PENDING_CHARS = 64 * 1024;

/** Thrown by {@link TerminalInput.take} once the client sent EOF and everything was read. */
export class EndOfInput extends Error {
  override readonly name = 'EndOfInput';
}

/**
 * What a shell's client typed and the shell has not read yet. Enter arrives as `\r` however the
 * client sends it (CR, LF or CRLF), as a terminal in raw mode sees it. Internal.
 * @internal
 */
export class TerminalInput {
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';
  #lastWasCr = false;
  #ended = false;
  #wake: (() => void) | undefined;

  /** Adds bytes the client sent. */
  push(data: Buffer): void {
    let text = '';
    for (const ch of this.#decoder.write(data)) {
      if (ch === '\n' && this.#lastWasCr) {
        this.#lastWasCr = false;
        continue;
      }
      this.#lastWasCr = ch === '\r';
      text += ch === '\n' ? '\r' : ch;
    }
    this.#pending += text.slice(0, Math.max(0, MAX_PENDING_CHARS - this.#pending.length));
    this.#notify();
  }

  /** The client sent EOF: reads fail with {@link EndOfInput} once the buffer is empty. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** Puts text back in front of what is buffered. */
  unread(text: string): void {
    this.#pending = text + this.#pending;
  }

  /** Everything buffered, once there is at least one character. Rejects when `signal` aborts. */
  async take(signal: AbortSignal): Promise<string> {
    while (this.#pending === '') {
      if (this.#ended) throw new EndOfInput('the client closed its input');
      await new Promise<void>((resolve, reject) => {
        const detach = onAbort(signal, () => {
          this.#wake = undefined;
          reject(abortReason(signal));
        });
        this.#wake = () => {
          detach();
          resolve();
        };
      });
    }
    const text = this.#pending;
    this.#pending = '';
    return text;
  }

  /** One keystroke (the rest stays buffered). */
  async key(signal: AbortSignal): Promise<string> {
    const text = await this.take(signal);
    this.unread(text.slice(1));
    return text[0]!;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
