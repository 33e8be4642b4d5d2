/**
 * What a terminal makes of the control characters devices mix into their output: escape
 * sequences, which show nothing, and backspaces, which erase. Shared by the shell reader (prompt
 * detection, command output) and normalization (SPEC §4 steps 2 and 4), so that both read a line
 * the same way. Internal: not part of the public surface.
 * @internal
 */

// CSI (ESC [ parameters intermediates final), OSC (ESC ] … BEL or ESC \, never past the line),
// and the other two- and three-character escapes (ESC ( B, ESC =, ESC 7, ESC M, …) — all of them
// whole. An ESC [ or ESC ] is the start of a longer sequence, never a whole escape of its own.
const WHOLE_ESCAPE =
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)|[ -/]*[0-Z\\^-~])/g;

// The same sequences, plus what is left of one cut short: an OSC without its terminator (up to
// the line's end), an ESC [ without its final byte, and finally a lone ESC. Every ESC goes.
const ANY_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[ -/]*[0-~])?/g;

/**
 * `text` without any terminal escape, whole or cut short: every ESC goes, with the sequence it
 * starts, so stripping twice changes nothing. What normalization does (SPEC §4 step 2): an escape
 * left in a configuration would only be noise.
 *
 * @example
 * ```ts
 * stripTerminalEscapes('\x1b[7m--More--\x1b[27m\x1b'); // '--More--'
 * ```
 */
export function stripTerminalEscapes(text: string): string {
  return text.includes('\x1b') ? text.replace(ANY_ESCAPE, '') : text;
}

/**
 * `text` without its whole terminal escapes; an escape cut short (an ESC, ESC [ or ESC ] at the
 * end, say) stays. For reading output as it arrives: a sequence split between two packets must
 * not look finished — a prompt followed by half of a colour change is not a prompt yet.
 *
 * @example
 * ```ts
 * stripWholeTerminalEscapes('router1#\x1b(B'); // 'router1#'
 * stripWholeTerminalEscapes('router1#\x1b['); // 'router1#\x1b[' (more is coming)
 * ```
 */
export function stripWholeTerminalEscapes(text: string): string {
  return text.includes('\x1b') ? text.replace(WHOLE_ESCAPE, '') : text;
}

/** Options of {@link applyBackspaces}. */
export interface ApplyBackspacesOptions {
  /**
   * The text is bytes read as Latin-1 (one character per byte, as the shell reader keeps output
   * until it is decoded), most likely holding UTF-8: a backspace after a UTF-8 sequence erases the
   * whole sequence — the one character a terminal showed — not its last byte only.
   */
  readonly latin1Bytes?: boolean;
}

/**
 * Replays backspaces the way a terminal shows them: each erases the character (code point)
 * before it on the same line. A backspace at the start of a line erases nothing — a terminal's
 * cursor stops at the left margin, it never moves back over a line break — and every backspace
 * itself is gone from the result. An erased pager prompt and overstrikes (`X\bX`) leave only
 * what a terminal shows.
 *
 * @example
 * ```ts
 * applyBackspaces('abc\b\bd'); // 'ad'
 * applyBackspaces('ab\n\bc'); // 'ab\nc': the line break stays
 * applyBackspaces(Buffer.from('é\b', 'utf8').toString('latin1'), { latin1Bytes: true }); // ''
 * ```
 */
export function applyBackspaces(text: string, options: ApplyBackspacesOptions = {}): string {
  if (!text.includes('\b')) return text;
  const kept: string[] = [];
  for (const character of text) {
    if (character !== '\b') kept.push(character);
    else if (kept.length > 0 && kept[kept.length - 1] !== '\n') {
      const erased = kept.pop()!.charCodeAt(0);
      if (options.latin1Bytes && isContinuationByte(erased)) eraseUtf8Start(kept);
    }
  }
  return kept.join('');
}

const isContinuationByte = (code: number): boolean => code >= 0x80 && code <= 0xbf;

/**
 * After a UTF-8 continuation byte was erased: erases the rest of its sequence — up to two more
 * continuation bytes and the lead byte before them — when they are there; otherwise nothing more
 * (the byte was a Latin-1 character of its own).
 */
function eraseUtf8Start(kept: string[]): void {
  let at = kept.length - 1;
  let continuations = 1;
  while (at >= 0 && continuations < 3 && isContinuationByte(kept[at]!.charCodeAt(0))) {
    at--;
    continuations++;
  }
  const lead = at >= 0 ? kept[at]!.charCodeAt(0) : 0;
  const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (lead <= 0xf4 && length === continuations + 1) kept.length = at;
}
