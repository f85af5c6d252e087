import type { Logger } from '../log.ts';
import type { SegmentRecord } from '../store/types.ts';

/** A store's write, in the same thread (returns when committed) or another (resolves when committed). */
export interface RecordWriter {
  write(records: ReadonlyArray<SegmentRecord>): void | Promise<void>;
}

export interface BatchWriterOptions {
  readonly writer: RecordWriter;
  readonly logger: Logger;
  /** A batch is written as soon as it holds this many records. */
  readonly maxBatchSize?: number;
  /** ...or this long after its first record arrived, whichever comes first. */
  readonly flushIntervalMillis?: number;
  /** Asynchronous writes outstanding at once; more records wait until one completes. */
  readonly maxWritesInFlight?: number;
  /**
   * Records held while the store falls behind (default 100,000: about two seconds of a heavy load);
   * past this, new ones are dropped and counted, as the kernel would drop datagrams.
   */
  readonly maxPendingRecords?: number;
}

export interface BatchWriterStats {
  readonly written: number;
  /** Records lost because the store refused a batch (logged). */
  readonly failed: number;
  /** Records dropped because the store fell too far behind. */
  readonly dropped: number;
  /** Records not yet committed: waiting for a batch or in a write. */
  readonly pending: number;
}

/**
 * Groups accepted records into store writes: one transaction per batch instead of one per datagram.
 * With an asynchronous writer (a store in another thread) a few batches are in flight while the
 * next one fills. Every stage of the ingest pipeline has `flush()` and `shutdown()`; shutdown
 * writes what is pending and waits for it to be committed.
 */
export class BatchWriter {
  private readonly maxBatchSize: number;
  private readonly flushIntervalMillis: number;
  private readonly maxWritesInFlight: number;
  private readonly maxPendingRecords: number;
  private batch: SegmentRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightRecords = 0;
  private written = 0;
  private failed = 0;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: BatchWriterOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    this.flushIntervalMillis = options.flushIntervalMillis ?? 50;
    this.maxWritesInFlight = options.maxWritesInFlight ?? 2;
    this.maxPendingRecords = options.maxPendingRecords ?? 100_000;
    if (!(this.maxBatchSize >= 1)) throw new Error(`maxBatchSize must be at least 1, got ${this.maxBatchSize}`);
    if (!(this.flushIntervalMillis >= 0)) throw new Error(`flushIntervalMillis must be >= 0, got ${this.flushIntervalMillis}`);
    if (!(this.maxWritesInFlight >= 1)) throw new Error(`maxWritesInFlight must be at least 1, got ${this.maxWritesInFlight}`);
  }

  add(record: SegmentRecord): void {
    if (this.closed) throw new Error('batch writer is shut down');
    if (this.batch.length + this.inFlightRecords >= this.maxPendingRecords) {
      this.dropped++;
      return;
    }
    this.batch.push(record);
    if (this.batch.length >= this.maxBatchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMillis);
  }

  /**
   * Hands pending records to the writer now, at most `maxBatchSize` a write, as long as fewer than
   * `maxWritesInFlight` writes are outstanding; the rest go when a write completes.
   */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.batch.length > 0 && this.inFlight.size < this.maxWritesInFlight) {
      const batch = this.batch.length <= this.maxBatchSize ? this.batch : this.batch.slice(0, this.maxBatchSize);
      this.batch = batch === this.batch ? [] : this.batch.slice(this.maxBatchSize);
      this.write(batch);
    }
  }

  private write(batch: SegmentRecord[]): void {
    let result: void | Promise<void>;
    try {
      result = this.options.writer.write(batch);
    } catch (error) {
      this.lost(batch, error);
      return;
    }
    if (!(result instanceof Promise)) {
      this.written += batch.length;
      return;
    }
    this.inFlightRecords += batch.length;
    const write: Promise<void> = result.then(
      () => {
        this.written += batch.length;
      },
      (error: unknown) => this.lost(batch, error),
    );
    this.inFlight.add(write);
    void write.finally(() => {
      this.inFlight.delete(write);
      this.inFlightRecords -= batch.length;
      // What piled up meanwhile goes out at once.
      if (this.batch.length > 0) this.flush();
    });
  }

  stats(): BatchWriterStats {
    return { written: this.written, failed: this.failed, dropped: this.dropped, pending: this.batch.length + this.inFlightRecords };
  }

  /** Writes everything pending and resolves once it is committed (or logged as failed). */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.flush();
    while (this.inFlight.size > 0 || this.batch.length > 0) {
      await Promise.allSettled([...this.inFlight]);
      this.flush();
    }
  }

  private lost(batch: ReadonlyArray<SegmentRecord>, error: unknown): void {
    this.failed += batch.length;
    this.options.logger.error(`xray daemon: could not store ${batch.length} documents: ${(error as Error).message}`);
  }
}
