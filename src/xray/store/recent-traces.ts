/**
 * What the store knows of the traces it touched lately: their row number, their documents (kept
 * parsed once a refresh parsed them), the annotation rows and the graph contribution as last
 * written. A trace's documents usually arrive within a second or two; keeping them here spares
 * reading and parsing them again, and rewriting unchanged rows, at each refresh.
 *
 * It mirrors what is committed: the store updates entries only after a commit, and drops them all
 * when retention deletes rows. It assumes this store is the only writer of its file.
 */
import type { SegmentRecord } from './types.ts';

/** key, type, value as bound to the annotations table. */
export type AnnotationRow = readonly [string, string, string | number];

export interface CachedDocument {
  readonly record: SegmentRecord;
}

export interface RecentTrace {
  /** The trace's row number in the store. */
  readonly seq: number;
  /** Every committed document of the trace by id; undefined when not known here (read the file). */
  readonly documents: Map<string, CachedDocument> | undefined;
  /** The annotation rows as last written (by a row key); undefined when not known here. */
  readonly annotations: ReadonlyMap<string, AnnotationRow> | undefined;
  /** The packed graph contribution as last written; null when none was, undefined when not known here. */
  readonly contribution: string | null | undefined;
}

/** Bytes an entry is charged besides its documents' text: ids, maps, the annotation rows. */
const ENTRY_OVERHEAD_BYTES = 512;

export class RecentTraces {
  // A Map iterates in insertion order: re-inserting on use makes the first entry the least recent.
  private readonly traces = new Map<string, { trace: RecentTrace; bytes: number }>();
  private bytes = 0;

  /** `maxBytes` bounds the documents' text (and the contributions'); their parsed form takes a few times as much. */
  constructor(private readonly maxBytes: number) {}

  get(traceId: string): RecentTrace | undefined {
    return this.traces.get(traceId)?.trace;
  }

  put(traceId: string, trace: RecentTrace): void {
    this.forget(traceId);
    let bytes = ENTRY_OVERHEAD_BYTES + (trace.contribution?.length ?? 0);
    if (trace.documents !== undefined) for (const { record } of trace.documents.values()) bytes += record.document.length;
    this.traces.set(traceId, { trace, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.traces) {
      if (this.bytes <= this.maxBytes) break;
      this.traces.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  /** Adds a committed document to a trace whose documents are known here (else nothing to do). */
  addDocument(traceId: string, record: SegmentRecord): void {
    const entry = this.traces.get(traceId);
    if (entry?.trace.documents === undefined) return;
    const previous = entry.trace.documents.get(record.id);
    entry.trace.documents.set(record.id, { record });
    const delta = record.document.length - (previous?.record.document.length ?? 0);
    entry.bytes += delta;
    this.bytes += delta;
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
