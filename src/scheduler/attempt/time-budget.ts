import type { Clock } from '../../core/clock.js';
import { startTimer } from '../../core/timer.js';

/**
 * An attempt's time limit (SPEC §1.8): it runs from the attempt's start and is paused only while
 * the attempt waits its turn (for a concurrency slot, or between tries of a lock another instance
 * holds). When it runs out, `onExpired` is called once. The scheduler owns this limit; the
 * collection it calls is given the same `timeLimitMs` only as a backstop for direct callers.
 */
export class TimeBudget {
  #limitMs: number;
  #remainingMs: number;
  #resumedAt: number | undefined;
  #cancel: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    limitMs: number,
    private readonly onExpired: () => void,
  ) {
    this.#limitMs = limitMs;
    this.#remainingMs = limitMs;
  }

  /** The limit, in ms. */
  get limitMs(): number {
    return this.#limitMs;
  }

  /**
   * Changes the limit to `limitMs`, keeping the time already spent against it: a device read at
   * the attempt's start may bring its own time limit. A limit already spent expires at once.
   */
  setLimitMs(limitMs: number): void {
    if (limitMs === this.#limitMs) return;
    const running = this.#resumedAt !== undefined;
    this.pause();
    this.#remainingMs += limitMs - this.#limitMs;
    this.#limitMs = limitMs;
    if (running) this.resume();
  }

  /** Starts (or goes on) counting down. */
  resume(): void {
    if (this.#resumedAt !== undefined) return;
    this.#resumedAt = this.clock.now();
    this.#cancel = startTimer(this.clock, Math.max(0, this.#remainingMs), this.onExpired);
  }

  /** Stops counting down until {@link resume}. */
  pause(): void {
    if (this.#resumedAt === undefined) return;
    this.#remainingMs -= this.clock.now() - this.#resumedAt;
    this.#resumedAt = undefined;
    this.#cancel?.();
    this.#cancel = undefined;
  }
}
