import type { Logger } from '../log/logger.ts';
import type { SegmentRecord } from '../model/trace.ts';

/** A store's write, in the same thread (returns when committed) or another (resolves when committed). */
export interface RecordWriter {
  write(records: ReadonlyArray<SegmentRecord>): void | Promise<void>;
}

/** Where a sender that answers its client (PutTraceSegments, OTLP) hands records: it waits for the commit. */
export interface CommittingSink {
  /**
   * Resolves once every record is committed. Rejects with `StoreBusyError` at once, storing none,
   * when the store is too far behind to take them; with the store's error when their write failed.
   */
  commit(records: ReadonlyArray<SegmentRecord>): Promise<void>;
}

/** Refused whole because the store is behind: nothing of it was kept, the sender should retry. */
export class StoreBusyError extends Error {
  /** What a Retry-After header says: by then a batch or two has been committed. */
  readonly retryAfterSeconds = 1;
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

export interface BatchWriterOptions {
  readonly writer: RecordWriter;
  readonly logger: Logger;
  /** A batch is written as soon as it holds this many records. */
  readonly maxBatchSize?: number;
  /** ...or this long after its first record arrived, whichever comes first. */
  readonly flushIntervalMs?: number;
  /** Asynchronous writes outstanding at once; more records wait until one completes. */
  readonly maxWritesInFlight?: number;
  /**
   * Records held while the store falls behind (default 100,000: about two seconds of a heavy load).
   * Past this, records from `add` (UDP, which has no answer) are dropped and counted, as the kernel
   * would drop datagrams; a `commit` is refused with `StoreBusyError`, for its sender to retry.
   */
  readonly maxPendingRecords?: number;
  /** Milliseconds, for the rate-limited drop log. */
  readonly nowMs?: () => number;
}

export interface BatchWriterStats {
  readonly written: number;
  /** Records from `add` lost because the store refused their batch (logged). */
  readonly failed: number;
  /** Records from `add` dropped because the store fell too far behind (logged at most once a second). */
  readonly dropped: number;
  /** Records from `commit` not stored and answered with an error (store behind, or their write failed): not lost, the sender knows. */
  readonly refused: number;
  /** Records not yet committed: waiting for a batch or in a write. */
  readonly pending: number;
}

/** A `commit` call waiting for its records. */
interface Ticket {
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

interface Entry {
  readonly record: SegmentRecord;
  readonly ticket: Ticket | undefined;
}

const DROP_LOG_INTERVAL_MS = 1000;

/**
 * Groups accepted records into store writes: one transaction per batch instead of one per datagram.
 * With an asynchronous writer (a store in another thread) a few batches are in flight while the
 * next one fills. Senders that answer a client use `commit` and answer once it resolves, so an
 * acknowledgement means committed; UDP uses `add`. Every stage of the ingest pipeline has
 * `flush()` and `shutdown()`; shutdown writes what is pending and waits for it to be committed.
 */
export class BatchWriter implements CommittingSink {
  private readonly maxBatchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxWritesInFlight: number;
  private readonly maxPendingRecords: number;
  private readonly nowMs: () => number;
  private batch: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightRecords = 0;
  private written = 0;
  private failed = 0;
  private dropped = 0;
  private refused = 0;
  private droppedUnlogged = 0;
  private dropLoggedAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly options: BatchWriterOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxWritesInFlight = options.maxWritesInFlight ?? 2;
    this.maxPendingRecords = options.maxPendingRecords ?? 100_000;
    this.nowMs = options.nowMs ?? Date.now;
    if (!(this.maxBatchSize >= 1)) throw new Error(`maxBatchSize must be at least 1, got ${this.maxBatchSize}`);
    if (!(this.flushIntervalMs >= 0)) throw new Error(`flushIntervalMs must be >= 0, got ${this.flushIntervalMs}`);
    if (!(this.maxWritesInFlight >= 1)) throw new Error(`maxWritesInFlight must be at least 1, got ${this.maxWritesInFlight}`);
  }

  /** Fire and forget (UDP): the record is written with the next batch, or dropped and counted when the store is behind. */
  add(record: SegmentRecord): void {
    if (this.closed) throw new Error('batch writer is shut down');
    if (this.pendingRecords() >= this.maxPendingRecords) {
      this.drop();
      return;
    }
    this.batch.push({ record, ticket: undefined });
    if (this.batch.length >= this.maxBatchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  commit(records: ReadonlyArray<SegmentRecord>): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const pending = this.pendingRecords();
    // All or nothing, so a retry resends exactly what was refused. A request bigger than the whole
    // allowance still goes through when nothing waits, or it could never be stored.
    if (this.closed || (pending > 0 && pending + records.length > this.maxPendingRecords)) {
      this.refused += records.length;
      const why = this.closed ? 'the service is stopping' : `the store is behind (${pending} documents waiting to be written)`;
      return Promise.reject(new StoreBusyError(`${why}; nothing of this request was stored, send it again later`));
    }
    return new Promise<void>((resolve, reject) => {
      const ticket: Ticket = { remaining: records.length, settled: false, resolve, reject };
      for (const record of records) this.batch.push({ record, ticket });
      // Someone waits for these: write now rather than after the interval. While writes are in
      // flight they wait, and go together with whatever else arrives meanwhile (group commit).
      this.flush();
    });
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

  private write(batch: Entry[]): void {
    let result: void | Promise<void>;
    try {
      result = this.options.writer.write(batch.map((entry) => entry.record));
    } catch (error) {
      this.lost(batch, error);
      return;
    }
    if (!(result instanceof Promise)) {
      this.committed(batch);
      return;
    }
    this.inFlightRecords += batch.length;
    const write: Promise<void> = result.then(
      () => this.committed(batch),
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
    return { written: this.written, failed: this.failed, dropped: this.dropped, refused: this.refused, pending: this.pendingRecords() };
  }

  /** Writes everything pending and resolves once it is committed (or logged as failed). */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.flush();
    while (this.inFlight.size > 0 || this.batch.length > 0) {
      await Promise.allSettled([...this.inFlight]);
      this.flush();
    }
    this.logDrops(true);
  }

  private pendingRecords(): number {
    return this.batch.length + this.inFlightRecords;
  }

  private committed(batch: ReadonlyArray<Entry>): void {
    this.written += batch.length;
    for (const { ticket } of batch) {
      if (ticket && --ticket.remaining === 0 && !ticket.settled) {
        ticket.settled = true;
        ticket.resolve();
      }
    }
  }

  private lost(batch: ReadonlyArray<Entry>, error: unknown): void {
    let unanswered = 0;
    for (const { ticket } of batch) {
      if (!ticket) {
        unanswered++;
        continue;
      }
      this.refused++;
      if (!ticket.settled) {
        ticket.settled = true;
        ticket.reject(error);
      }
    }
    this.failed += unanswered;
    this.options.logger.error(`xray daemon: could not store ${batch.length} documents: ${(error as Error).message}`);
  }

  private drop(): void {
    this.dropped++;
    this.droppedUnlogged++;
    this.logDrops(false);
  }

  /** At most one line a second while drops go on; the rest at shutdown (and in the stop line's count). */
  private logDrops(force: boolean): void {
    if (this.droppedUnlogged === 0) return;
    if (!force && this.nowMs() - this.dropLoggedAt < DROP_LOG_INTERVAL_MS) return;
    this.options.logger.warn(
      `xray daemon: the store is behind (${this.maxPendingRecords} documents waiting): dropped ${this.droppedUnlogged} UDP document` +
        `${this.droppedUnlogged === 1 ? '' : 's'} since the last report, ${this.dropped} in all`,
    );
    this.droppedUnlogged = 0;
    this.dropLoggedAt = this.nowMs();
  }
}
