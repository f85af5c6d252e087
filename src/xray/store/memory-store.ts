/**
 * The trace store in memory: the same contract as `SqliteTraceStore` (one conformance suite runs
 * against both), for tests and for running without a file. Nothing survives the process.
 */
import { assembleTrace } from '../traces/assemble.ts';
import { computeTrace, finishSummary, type ComputedTrace } from '../traces/summary.ts';
import { matchTimeRange } from '../traces/time-range.ts';
import { parseRecords } from '../traces/tree.ts';
import { checkQuery, decodeCursor, encodeCursor, replaces, TOP, type PageCursor } from './query.ts';
import type { SegmentRecord, StoredTrace, SummaryPage, SummaryQuery, TraceStore } from './types.ts';

interface TraceState {
  readonly seq: number;
  readonly documents: Map<string, SegmentRecord>;
  readonly revision: number;
  readonly computed: ComputedTrace;
}

export class MemoryTraceStore implements TraceStore {
  private readonly traces = new Map<string, TraceState>();
  private readonly now: () => number;
  private lastSeq = 0;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  write(records: ReadonlyArray<SegmentRecord>): void {
    // Stage every change first and swap it in at the end, so a failure leaves nothing half-written.
    const staged = new Map<string, Map<string, SegmentRecord>>();
    for (const record of records) {
      let documents = staged.get(record.traceId);
      if (documents === undefined) {
        documents = new Map(this.traces.get(record.traceId)?.documents);
        staged.set(record.traceId, documents);
      }
      const existing = documents.get(record.id);
      if (existing === undefined || replaces(existing, record)) documents.set(record.id, record);
    }
    const next: Array<[string, Omit<TraceState, 'seq'>]> = [];
    for (const [traceId, documents] of staged) {
      const previous = this.traces.get(traceId);
      if (previous !== undefined && sameDocuments(previous.documents, documents)) continue;
      const computed = computeTrace(traceId, parseRecords(documents.values()));
      next.push([traceId, { documents, revision: (previous?.revision ?? 0) + 1, computed }]);
    }
    for (const [traceId, state] of next) {
      const seq = this.traces.get(traceId)?.seq ?? ++this.lastSeq;
      this.traces.set(traceId, { seq, ...state });
    }
  }

  deleteTracesBefore(epochSeconds: number): number {
    let deleted = 0;
    for (const [traceId, state] of this.traces) {
      if (state.computed.index.endTime < epochSeconds) {
        this.traces.delete(traceId);
        deleted++;
      }
    }
    return deleted;
  }

  getTraces(traceIds: ReadonlyArray<string>): StoredTrace[] {
    const result: StoredTrace[] = [];
    for (const traceId of new Set(traceIds)) {
      const state = this.traces.get(traceId);
      if (state !== undefined) result.push(assembleTrace(traceId, parseRecords(state.documents.values())));
    }
    return result;
  }

  getTraceSummaries(query: SummaryQuery): SummaryPage {
    checkQuery(query);
    const cursor: PageCursor = query.cursor === undefined
      ? { idEpoch: TOP, seq: TOP, asOf: this.lastSeq, approximateTime: this.now() }
      : decodeCursor(query, query.cursor);
    const matches: Array<{ state: TraceState; matched: number }> = [];
    for (const state of this.traces.values()) {
      const { idEpoch, startTime } = state.computed.index;
      if (state.seq > cursor.asOf) continue;
      if (!(idEpoch < cursor.idEpoch || (idEpoch === cursor.idEpoch && state.seq < cursor.seq))) continue;
      const matched = matchTimeRange(query.timeRangeType, { idEpoch, startTime, documents: state.documents.values() }, query);
      if (matched !== undefined) matches.push({ state, matched });
    }
    matches.sort((a, b) => b.state.computed.index.idEpoch - a.state.computed.index.idEpoch || b.state.seq - a.state.seq);
    const page = matches.slice(0, query.limit);
    const last = page.at(-1);
    return {
      summaries: page.map(({ state, matched }) => finishSummary(state.computed.summary, state.revision, matched)),
      nextCursor: matches.length > query.limit && last !== undefined
        ? encodeCursor(query, { ...cursor, idEpoch: last.state.computed.index.idEpoch, seq: last.state.seq })
        : undefined,
      approximateTime: cursor.approximateTime,
      tracesProcessedCount: page.length,
    };
  }

  close(): void {
    this.traces.clear();
  }
}

function sameDocuments(a: ReadonlyMap<string, SegmentRecord>, b: ReadonlyMap<string, SegmentRecord>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, record] of a) if (b.get(id) !== record) return false;
  return true;
}
