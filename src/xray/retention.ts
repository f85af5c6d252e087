import type { Logger } from './log/logger.ts';

/** The store's retention call, answered in this thread or another. */
export interface RetentionTarget {
  deleteTracesBefore(epochSeconds: number): number | Promise<number>;
}

export interface RetentionOptions {
  readonly store: RetentionTarget;
  /** Traces whose newest document ended longer ago than this are deleted. */
  readonly retentionDays: number;
  readonly logger: Logger;
  /** Milliseconds. */
  readonly nowMs?: () => number;
  readonly sweepIntervalMillis?: number;
}

const DAY_SECONDS = 24 * 60 * 60;
const DEFAULT_SWEEP_INTERVAL_MILLIS = 60 * 60 * 1000;

/** Deletes old traces once at start and then periodically, as AWS keeps traces for 30 days. */
export class RetentionSweeper {
  private readonly timer: NodeJS.Timeout;
  private readonly nowMs: () => number;
  private running: Promise<number> | undefined;

  constructor(private readonly options: RetentionOptions) {
    if (!(options.retentionDays > 0)) throw new Error(`retention days must be a number > 0, got ${options.retentionDays}`);
    this.nowMs = options.nowMs ?? Date.now;
    this.running = this.sweep();
    this.timer = setInterval(() => (this.running = this.sweep()), options.sweepIntervalMillis ?? DEFAULT_SWEEP_INTERVAL_MILLIS).unref();
  }

  /** Resolves with how many traces were deleted; a failure is logged, never thrown. */
  async sweep(): Promise<number> {
    const cutoff = this.nowMs() / 1000 - this.options.retentionDays * DAY_SECONDS;
    try {
      const deleted = await this.options.store.deleteTracesBefore(cutoff);
      if (deleted > 0) this.options.logger.info(`xray retention: deleted ${deleted} trace${deleted === 1 ? '' : 's'} older than ${this.options.retentionDays} days`);
      return deleted;
    } catch (error) {
      this.options.logger.error(`xray retention: sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }

  /** Stops sweeping; resolves once a sweep under way has finished. */
  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
