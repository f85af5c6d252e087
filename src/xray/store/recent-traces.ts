/**
 * The parsed documents of the traces the latest batches touched. A trace's documents usually
 * arrive within a second or two, spread over a few consecutive batches; keeping them here spares
 * reading and parsing them again, and rewriting unchanged annotation rows, on every batch.
 *
 * It mirrors what is committed: the store puts entries back only after a commit, and drops them
 * all when retention deletes rows. It assumes this store is the only writer of its file.
 */
import type { ParsedRecord } from '../traces/tree.ts';

export interface RecentTrace {
  /** The trace's row number in the store. */
  readonly seq: number;
  readonly documents: ReadonlyMap<string, ParsedRecord>;
  /** The annotation rows as last written (key, type, value by a row key), to write only changes. */
  readonly annotations: ReadonlyMap<string, readonly [string, string, string | number]>;
}

export class RecentTraces {
  // A Map iterates in insertion order: re-inserting on use makes the first entry the least recent.
  private readonly traces = new Map<string, RecentTrace>();
  private documents = 0;

  constructor(private readonly maxDocuments: number) {}

  get(traceId: string): RecentTrace | undefined {
    return this.traces.get(traceId);
  }

  put(traceId: string, trace: RecentTrace): void {
    this.forget(traceId);
    this.traces.set(traceId, trace);
    this.documents += trace.documents.size;
    for (const [oldest, entry] of this.traces) {
      if (this.documents <= this.maxDocuments) break;
      this.traces.delete(oldest);
      this.documents -= entry.documents.size;
    }
  }

  clear(): void {
    this.traces.clear();
    this.documents = 0;
  }

  private forget(traceId: string): void {
    const entry = this.traces.get(traceId);
    if (entry === undefined) return;
    this.traces.delete(traceId);
    this.documents -= entry.documents.size;
  }
}
