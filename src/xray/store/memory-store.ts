/**
 * The trace store in memory: the same contract as `SqliteTraceStore` (one conformance suite runs
 * against both), for tests and for running without a file. Nothing survives the process.
 *
 * Like the SQLite store it defers summaries: `write()` stores documents and marks the trace;
 * `refreshSummaries()` recomputes each marked trace once and updates the graph aggregate by
 * difference (its previous contribution out, the new one in).
 */
import { AggregateAccumulator, sumMinutes, type Aggregate } from '../graph/aggregate.ts';
import { contributionOfTrace } from '../graph/contribution.ts';
import { checkWindow } from '../graph/service-graph.ts';
import { assembleTrace, takeWithinTraceLimit } from '../traces/assemble.ts';
import { computeTrace, finishSummary, type ComputedTrace } from '../traces/summary.ts';
import { matchTimeRange } from '../traces/time-range.ts';
import { parseRecords } from '../traces/tree.ts';
import { resolveFilter } from './filter-plan.ts';
import { filteredPage } from './memory-filtered.ts';
import { checkQuery, decodeCursor, encodeCursor, replaces, TOP, type PageCursor } from './query.ts';
import { DirtyTraces, type RefreshPolicy } from './dirty-traces.ts';
import type { GraphWindow, SegmentRecord, StoredTrace, SummaryPage, SummaryQuery, TraceStore } from './types.ts';

interface TraceState {
  readonly seq: number;
  readonly documents: Map<string, SegmentRecord>;
  /** Raised by each refresh that found the trace changed; 0 until the first. */
  readonly revision: number;
  /** Undefined until the first refresh. */
  readonly computed: ComputedTrace | undefined;
  /** What the trace adds to the graph aggregate, as of the last refresh. */
  readonly contribution: Aggregate | undefined;
}

export class MemoryTraceStore implements TraceStore {
  private readonly traces = new Map<string, TraceState>();
  private readonly nowSeconds: () => number;
  private lastSeq = 0;
  private readonly dirty: DirtyTraces<true>;
  private readonly graph = new AggregateAccumulator();

  constructor(options: { nowSeconds?: () => number } & RefreshPolicy = {}) {
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
    this.dirty = new DirtyTraces(() => this.refreshSummaries(), options);
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
    for (const [traceId, documents] of staged) {
      const previous = this.traces.get(traceId);
      if (previous !== undefined && sameDocuments(previous.documents, documents)) continue;
      this.traces.set(traceId, previous === undefined
        ? { seq: ++this.lastSeq, documents, revision: 0, computed: undefined, contribution: undefined }
        : { ...previous, documents });
      this.dirty.mark(traceId, true);
    }
    this.dirty.check();
  }

  refreshSummaries(): void {
    for (const traceId of this.dirty.take().keys()) {
      const state = this.traces.get(traceId);
      if (state === undefined) continue;
      const parsed = parseRecords(state.documents.values());
      const contribution = contributionOfTrace(parsed.map((p) => p.doc));
      this.graph.update(state.contribution, contribution);
      this.traces.set(traceId, { ...state, revision: state.revision + 1, computed: computeTrace(traceId, parsed), contribution });
    }
  }

  deleteTracesBefore(epochSeconds: number): number {
    this.refreshSummaries();
    let deleted = 0;
    for (const [traceId, state] of this.traces) {
      if (state.computed !== undefined && state.computed.index.endTime < epochSeconds) {
        if (state.contribution !== undefined) this.graph.subtract(state.contribution);
        this.traces.delete(traceId);
        deleted++;
      }
    }
    return deleted;
  }

  getGraphMinutes(window: GraphWindow): Aggregate {
    checkWindow(window);
    this.refreshSummaries();
    const minutes = new Map<number, ReturnType<typeof sumMinutes>>();
    for (const minute of this.graph.aggregate.minutes.keys()) {
      if (minute + 60 > window.startTime && minute < window.endTime) minutes.set(minute, sumMinutes(this.graph.aggregate, minute, minute + 60));
    }
    return { minutes };
  }

  getTraceContributions(traceIds: ReadonlyArray<string>): Array<{ traceId: string; contribution: Aggregate }> {
    this.refreshSummaries();
    const result: Array<{ traceId: string; contribution: Aggregate }> = [];
    for (const traceId of new Set(traceIds)) {
      const contribution = this.traces.get(traceId)?.contribution;
      if (contribution !== undefined) result.push({ traceId, contribution });
    }
    return result;
  }

  getTraces(traceIds: ReadonlyArray<string>): StoredTrace[] {
    const result: StoredTrace[] = [];
    for (const traceId of new Set(traceIds)) {
      const state = this.traces.get(traceId);
      if (state === undefined) continue;
      const { records, limitExceeded } = takeWithinTraceLimit(state.documents.values());
      result.push(assembleTrace(traceId, parseRecords(records), limitExceeded));
    }
    return result;
  }

  getTraceSummaries(query: SummaryQuery): SummaryPage {
    checkQuery(query);
    this.refreshSummaries();
    const cursor: PageCursor = query.cursor === undefined
      ? { idEpoch: TOP, seq: TOP, asOf: this.lastSeq, approximateTime: this.nowSeconds() }
      : decodeCursor(query, query.cursor);
    const matches: Array<{ state: TraceState; computed: ComputedTrace; matched: number }> = [];
    for (const state of this.traces.values()) {
      const computed = state.computed;
      if (computed === undefined) continue;
      const { idEpoch, startTime } = computed.index;
      if (state.seq > cursor.asOf) continue;
      if (!(idEpoch < cursor.idEpoch || (idEpoch === cursor.idEpoch && state.seq < cursor.seq))) continue;
      const matched = matchTimeRange(query.timeRangeType, { idEpoch, startTime, documents: state.documents.values() }, query);
      if (matched !== undefined) matches.push({ state, computed, matched });
    }
    matches.sort((a, b) => b.computed.index.idEpoch - a.computed.index.idEpoch || b.state.seq - a.state.seq);
    const filter = resolveFilter(query);
    if (filter !== undefined) {
      const candidates = matches.map(({ state, computed, matched }) => ({
        idEpoch: computed.index.idEpoch, seq: state.seq, summary: computed.summary, revision: state.revision, matched,
        documents: () => parseRecords(state.documents.values()).map((parsed) => parsed.doc),
      }));
      return filteredPage(candidates, query, cursor, filter);
    }
    const page = matches.slice(0, query.limit);
    const last = page.at(-1);
    return {
      summaries: page.map(({ state, computed, matched }) => finishSummary(computed.summary, state.revision, matched)),
      nextCursor: matches.length > query.limit && last !== undefined
        ? encodeCursor(query, { ...cursor, idEpoch: last.computed.index.idEpoch, seq: last.state.seq })
        : undefined,
      approximateTime: cursor.approximateTime,
      tracesProcessedCount: page.length,
    };
  }

  close(): void {
    this.dirty.clear();
    this.traces.clear();
  }
}

function sameDocuments(a: ReadonlyMap<string, SegmentRecord>, b: ReadonlyMap<string, SegmentRecord>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, record] of a) if (b.get(id) !== record) return false;
  return true;
}
