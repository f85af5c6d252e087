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

/** A window of epoch seconds: from `startTime` (inclusive) to `endTime` (exclusive). */
export interface GraphWindow {
  readonly startTime: number;
  readonly endTime: number;
}
