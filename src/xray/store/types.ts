/**
 * The storage contract of the local X-Ray service. The API, the filter language and the graph
 * builder hold these interfaces only; `SqliteTraceStore` and `MemoryTraceStore` implement them and
 * one conformance suite runs against both.
 *
 * Times are epoch seconds with fractions, as in segment documents and the X-Ray API.
 */
import type { Expression } from '../query/index.ts';

import type { Aggregate } from '../model/graph.ts';
import type { GraphWindow, SegmentRecord, StoredTrace, TimeRangeType } from '../model/trace.ts';
import type { TraceSummary } from '../model/trace-summary.ts';

export type { GraphWindow, SegmentRecord, StoredTrace, TimeRangeType } from '../model/trace.ts';


export interface SummaryQuery {
  readonly startTime: number;
  readonly endTime: number;
  readonly timeRangeType: TimeRangeType;
  /** Page size. */
  readonly limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string | undefined;
  /**
   * Only the traces this filter matches (a tree from the query module's `parse`). A page may then
   * hold fewer than `limit` summaries, even none, with a cursor to read on.
   */
  readonly filter?: Expression | undefined;
  /** What `group.name` and `group.arn` in `filter` refer to. Default: no groups (such tests match no trace). */
  readonly groups?: ReadonlyArray<GroupDefinition> | undefined;
}

/** A group as filters see it: a trace is in the group when the group's filter matches it. */
export interface GroupDefinition {
  readonly name: string;
  readonly arn: string;
  /** Undefined for a group of every trace (Default). Never itself holds a `group.*` test. */
  readonly filter: Expression | undefined;
  /** Why the group's stored filter cannot be used; a filter testing membership of it is refused with this. */
  readonly problem?: string | undefined;
}

export interface SummaryPage {
  /** Newest first. */
  readonly summaries: readonly TraceSummary[];
  readonly nextCursor: string | undefined;
  readonly approximateTime: number;
  /**
   * Traces in the time range that this page looked at, matching the filter or not: over all the
   * pages of a query, every trace in the range is counted once.
   */
  readonly tracesProcessedCount: number;
}

export interface TraceWriter {
  /**
   * Upserts on (traceId, id): a complete document replaces an in-progress one, never the other
   * way round, whatever the arrival order; writing the same record twice is harmless. Durable
   * when it returns: a crash right after loses nothing written. All or nothing: a write that
   * throws leaves the store as it was. Records come from `validateDocument`.
   */
  write(records: ReadonlyArray<SegmentRecord>): void;
  /**
   * Brings what is derived from the documents (summaries, annotation rows, graph aggregates) up to
   * date with every write so far. `write()` stores documents only and defers this, so that a trace
   * whose documents arrive over a second is summarized once or twice rather than once a document;
   * the store runs it by itself when the oldest change has waited long enough, when many traces
   * wait, before its own reads that depend on it, and on close. Call it before reading through
   * another instance (another connection to the same file). Cheap when nothing waits.
   */
  refreshSummaries(): void;
  /** Drops traces whose newest document ended before `epochSeconds`; returns how many. */
  deleteTracesBefore(epochSeconds: number): number;
}

export interface TraceReader {
  /** Unknown ids are left out of the result, never an error. */
  getTraces(traceIds: ReadonlyArray<string>): StoredTrace[];
  /**
   * Newest first (by the trace id's second, then arrival); a cursor pages through the traces that
   * existed at the first page, never repeating one. Throws `InvalidQueryError` (store/query.ts)
   * for a bad query or a cursor issued for another one.
   */
  getTraceSummaries(query: SummaryQuery): SummaryPage;
}

/**
 * The service graph as the store keeps it: per-minute aggregates of every stored trace's
 * contribution (graph/contribution.ts), updated by difference as traces change and as retention
 * drops them, so a graph request sums minutes instead of re-reading segments. Counts, response
 * times and histograms equal a full recompute over the same traces; a cell's start and end times
 * are bounds (docs/service-graph.md, "Incremental").
 */
export interface GraphReader {
  /** The minutes that overlap the window, summed over every stored trace. Throws RangeError for a bad window. */
  getGraphMinutes(window: GraphWindow): Aggregate;
  /** Each stored trace's own contribution, in the order asked, each id once; unknown ids are left out. */
  getTraceContributions(traceIds: ReadonlyArray<string>): Array<{ readonly traceId: string; readonly contribution: Aggregate }>;
}

export interface TraceStore extends TraceReader, GraphReader, TraceWriter {
  close(): void;
}
