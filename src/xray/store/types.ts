/**
 * The storage contract of the local X-Ray service. The API, the filter language and the graph
 * builder hold these interfaces only; `SqliteTraceStore` and `MemoryTraceStore` implement them and
 * one conformance suite runs against both.
 *
 * Times are epoch seconds with fractions, as in segment documents and the X-Ray API.
 */
import type { Expression } from '../query/index.ts';

/** A document that passed validation, with the fields the store indexes pulled out. */
export interface SegmentRecord {
  readonly traceId: string;
  readonly id: string;
  /** Set for subsegments sent on their own and for segments with an upstream caller. */
  readonly parentId: string | undefined;
  readonly type: 'segment' | 'subsegment';
  readonly name: string;
  readonly startTime: number;
  /** Absent while `inProgress`. */
  readonly endTime: number | undefined;
  readonly inProgress: boolean;
  /** The document as received, JSON text. */
  readonly document: string;
}

/** One trace as BatchGetTraces returns it. */
export interface StoredTrace {
  readonly id: string;
  /** Seconds from the earliest start to the latest end among its documents. */
  readonly duration: number;
  /** Always false: the stores cap nothing. */
  readonly limitExceeded: boolean;
  /**
   * Segment documents, with standalone subsegments folded into their parent's `subsegments`
   * (as X-Ray does); a subsegment whose parent never arrived stays a document of its own.
   */
  readonly segments: ReadonlyArray<{ readonly id: string; readonly document: string }>;
}

/** What each type selects is spelled out in src/xray/traces/time-range.ts. */
export type TimeRangeType = 'TraceId' | 'Event' | 'Service';

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
}

export interface SummaryPage {
  /** TraceSummary objects in the X-Ray API's JSON shape (wire names, epoch-second times), newest first. */
  readonly summaries: ReadonlyArray<Record<string, unknown>>;
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

export interface TraceStore extends TraceReader, TraceWriter {
  close(): void;
}
