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
  private readonly traces = new Map<string, { trace: RecentTrace; bytes: number }>();
  private bytes = 0;

  /** `maxBytes` bounds the documents' text; their parsed form takes a few times as much. */
  constructor(private readonly maxBytes: number) {}

  get(traceId: string): RecentTrace | undefined {
    return this.traces.get(traceId)?.trace;
  }

  put(traceId: string, trace: RecentTrace): void {
    this.forget(traceId);
    let bytes = 0;
    for (const { record } of trace.documents.values()) bytes += record.document.length;
    this.traces.set(traceId, { trace, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.traces) {
      if (this.bytes <= this.maxBytes) break;
      this.traces.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  clear(): void {
    this.traces.clear();
    this.bytes = 0;
  }

  private forget(traceId: string): void {
    const entry = this.traces.get(traceId);
    if (entry === undefined) return;
    this.traces.delete(traceId);
    this.bytes -= entry.bytes;
  }
}
