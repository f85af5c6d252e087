/** BatchGetTraces and PutTraceSegments in the X-Ray API's JSON shape (AWS's names). */

export interface Segment {
  readonly Id: string;
  /** The segment document, as JSON text. */
  readonly Document: string;
}

export interface Trace {
  readonly Id: string;
  /** Seconds. */
  readonly Duration?: number;
  readonly LimitExceeded?: boolean;
  readonly Segments?: readonly Segment[];
}

export interface BatchGetTracesRequest {
  readonly TraceIds: readonly string[];
  readonly NextToken?: string;
}

export interface BatchGetTracesResult {
  readonly Traces?: readonly Trace[];
  readonly UnprocessedTraceIds?: readonly string[];
  readonly NextToken?: string;
}

export interface PutTraceSegmentsRequest {
  readonly TraceSegmentDocuments: readonly string[];
}

export interface UnprocessedTraceSegment {
  readonly Id?: string;
  readonly ErrorCode?: string;
  readonly Message?: string;
}

export interface PutTraceSegmentsResult {
  readonly UnprocessedTraceSegments?: readonly UnprocessedTraceSegment[];
}
