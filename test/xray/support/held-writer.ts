import type { RecordWriter } from '../../../src/xray/ingest/batch-writer.ts';
import type { SegmentRecord } from '../../../src/xray/model/trace.ts';

/** One write the store has started and not finished: the test decides when and how it ends. */
export interface HeldWrite {
  readonly ids: string[];
  commit(): void;
  fail(error: Error): void;
}

/**
 * A store writer whose commits complete only when the test says so: a stalled store, to see what
 * is answered while the writer's queue fills, with no sleeps.
 */
export class HeldWriter implements RecordWriter {
  readonly committed: string[] = [];
  private readonly held: HeldWrite[] = [];
  private readonly waiting: Array<(write: HeldWrite) => void> = [];

  write(records: ReadonlyArray<SegmentRecord>): Promise<void> {
    return new Promise((resolve, reject) => {
      const ids = records.map((record) => record.id);
      const write: HeldWrite = {
        ids,
        commit: () => {
          this.committed.push(...ids);
          resolve();
        },
        fail: reject,
      };
      const waiter = this.waiting.shift();
      if (waiter) waiter(write);
      else this.held.push(write);
    });
  }

  /** The next write the batch writer starts, in order; resolves as soon as it starts. */
  nextWrite(): Promise<HeldWrite> {
    const write = this.held.shift();
    if (write) return Promise.resolve(write);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
