/**
 * Segment records and traces as the store takes and gives them. Times are epoch seconds with
 * fractions, as in segment documents and the X-Ray API.
 */

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

/**
 * X-Ray's "Trace document size" quota: a trace returns at most this many bytes of documents, and
 * `LimitExceeded: true` when it held more (AWS documents 500 KB as the upper bound). It also keeps one
 * read of a trace that a sender made huge from holding up every other request of the process.
 */
export const MAX_TRACE_DOCUMENT_BYTES = 500 * 1024;

/** One trace as BatchGetTraces returns it. */
export interface StoredTrace {
  readonly id: string;
  /** Seconds from the earliest start to the latest end among its documents. */
  readonly duration: number;
  /** True when the trace held more than MAX_TRACE_DOCUMENT_BYTES of documents: the first that fit are returned. */
  readonly limitExceeded: boolean;
  /**
   * Segment documents, with standalone subsegments folded into their parent's `subsegments`
   * (as X-Ray does); a subsegment whose parent never arrived stays a document of its own.
   */
  readonly segments: ReadonlyArray<{ readonly id: string; readonly document: string }>;
}

/** What each type selects is spelled out in src/xray/traces/time-range.ts. */
export type TimeRangeType = 'TraceId' | 'Event' | 'Service';

/** A window of epoch seconds: from `startTime` (inclusive) to `endTime` (exclusive). */
export interface GraphWindow {
  readonly startTime: number;
  readonly endTime: number;
}
