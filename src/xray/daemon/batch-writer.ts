import type { Logger } from '../log.ts';
import type { SegmentRecord, TraceWriter } from '../store/types.ts';

export interface BatchWriterOptions {
  readonly writer: TraceWriter;
  readonly logger: Logger;
  /** A batch is written as soon as it holds this many records. */
  readonly maxBatchSize?: number;
  /** ...or this long after its first record arrived, whichever comes first. */
  readonly flushIntervalMillis?: number;
}

export interface BatchWriterStats {
  readonly written: number;
  /** Records lost because the store refused a batch (logged). */
  readonly failed: number;
  readonly pending: number;
}

/**
 * Groups accepted records into store writes: one transaction per batch instead of one per datagram.
 * Every stage of the ingest pipeline has `flush()` and `shutdown()`; shutdown writes what is pending.
 */
export class BatchWriter {
  private readonly maxBatchSize: number;
  private readonly flushIntervalMillis: number;
  private batch: SegmentRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private written = 0;
  private failed = 0;
  private closed = false;

  constructor(private readonly options: BatchWriterOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    this.flushIntervalMillis = options.flushIntervalMillis ?? 50;
    if (!(this.maxBatchSize >= 1)) throw new Error(`maxBatchSize must be at least 1, got ${this.maxBatchSize}`);
    if (!(this.flushIntervalMillis >= 0)) throw new Error(`flushIntervalMillis must be >= 0, got ${this.flushIntervalMillis}`);
  }

  add(record: SegmentRecord): void {
    if (this.closed) throw new Error('batch writer is shut down');
    this.batch.push(record);
    if (this.batch.length >= this.maxBatchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMillis);
  }

  /** Writes the pending batch now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    try {
      this.options.writer.write(batch);
      this.written += batch.length;
    } catch (error) {
      this.failed += batch.length;
      this.options.logger.error(`xray daemon: could not store ${batch.length} documents: ${(error as Error).message}`);
    }
  }

  stats(): BatchWriterStats {
    return { written: this.written, failed: this.failed, pending: this.batch.length };
  }

  async shutdown(): Promise<void> {
    this.flush();
    this.closed = true;
  }
}
