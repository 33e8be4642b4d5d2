/**
 * What passed between confsnap and a device during one collection, in order: for recording a
 * session as a test case (see `recordSession` in `confsnap/testing`).
 *
 * - `received`: bytes from the device (shell output, or an exec channel's stdout and stderr), as a
 *   binary string: one character per byte (`latin1`).
 * - `sent`: what was typed into an interactive shell. `secret: true` marks the enable secret:
 *   whoever keeps a transcript must not store that text.
 * - `exec`: a command run on its own exec channel; its output follows as `received` events.
 */
export type TranscriptEvent =
  | { readonly type: 'received'; readonly text: string }
  | { readonly type: 'sent'; readonly text: string; readonly secret?: true }
  | { readonly type: 'exec'; readonly command: string };

/**
 * Called synchronously for each {@link TranscriptEvent} of a collection. It must not throw and
 * should be quick: it runs inside the SSH session's data handlers.
 */
export type TranscriptListener = (event: TranscriptEvent) => void;
