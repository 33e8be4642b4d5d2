import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeFailure } from './command.js';

/**
 * Logs a Redis outage once when it starts (warn) and once when it ends (info), however many
 * commands fail in between.
 * @internal
 */
export class OutageLog {
  #downSinceMs: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly component: string,
    private readonly consequence: string,
  ) {}

  /** Whether the last command failed to reach Redis. */
  get down(): boolean {
    return this.#downSinceMs !== undefined;
  }

  /** A command could not reach Redis. */
  failed(error: unknown): void {
    if (this.#downSinceMs !== undefined) return;
    this.#downSinceMs = this.clock.now();
    this.logger.warn(
      { component: this.component, error: describeFailure(error) },
      `Redis is unreachable: ${this.consequence} until it answers again`,
    );
  }

  /** A command was answered by Redis. */
  answered(): void {
    if (this.#downSinceMs === undefined) return;
    const outageMs = this.clock.now() - this.#downSinceMs;
    this.#downSinceMs = undefined;
    this.logger.info({ component: this.component, outageMs }, 'Redis answers again');
  }
}
