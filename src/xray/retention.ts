import type { Logger } from './log.ts';
import type { TraceWriter } from './store/types.ts';

export interface RetentionOptions {
  readonly store: TraceWriter;
  /** Traces whose newest document ended longer ago than this are deleted. */
  readonly retentionDays: number;
  readonly logger: Logger;
  /** Milliseconds. */
  readonly now?: () => number;
  readonly sweepIntervalMillis?: number;
}

const DAY_SECONDS = 24 * 60 * 60;
const DEFAULT_SWEEP_INTERVAL_MILLIS = 60 * 60 * 1000;

/** Deletes old traces once at start and then periodically, as AWS keeps traces for 30 days. */
export class RetentionSweeper {
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly options: RetentionOptions) {
    if (!(options.retentionDays > 0)) throw new Error(`retention days must be a number > 0, got ${options.retentionDays}`);
    this.now = options.now ?? Date.now;
    this.sweep();
    this.timer = setInterval(() => this.sweep(), options.sweepIntervalMillis ?? DEFAULT_SWEEP_INTERVAL_MILLIS).unref();
  }

  /** Returns how many traces were deleted. */
  sweep(): number {
    const cutoff = this.now() / 1000 - this.options.retentionDays * DAY_SECONDS;
    try {
      const deleted = this.options.store.deleteTracesBefore(cutoff);
      if (deleted > 0) this.options.logger.info(`xray retention: deleted ${deleted} trace${deleted === 1 ? '' : 's'} older than ${this.options.retentionDays} days`);
      return deleted;
    } catch (error) {
      this.options.logger.error(`xray retention: sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
  }
}
