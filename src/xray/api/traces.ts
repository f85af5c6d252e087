import { createHash } from 'node:crypto';
import type {
  BatchGetTracesResult, GetTraceSummariesResult, PutTraceSegmentsResult, UnprocessedTraceSegment,
} from '../../common/xray-api/index.ts';
import { ApiError, invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import {
  describe,
  optionalBoolean,
  optionalEnum,
  optionalString,
  requiredEpochSeconds,
  requiredStringArray,
} from '../http/json-fields.ts';
import type { Groups } from '../groups/index.ts';
import type { ValidationResult } from '../segments/validate.ts';
import { InvalidQueryError } from '../store/index.ts';
import { StoreBusyError } from '../ingest/batch-writer.ts';
import type { CommittingSink } from '../ingest/batch-writer.ts';
import type { SegmentRecord, TimeRangeType, TraceReader } from '../store/index.ts';
import type { GraphDocument } from '../model/graph-document.ts';
import type { TraceSummary as StoredTraceSummary } from '../model/trace-summary.ts';
import { inferredSegments } from '../traces/inferred.ts';
import { summaryFilter } from './trace-filter.ts';
import { traceSummaryJson } from './trace-summary-json.ts';

/** AWS answers at most this many trace ids per BatchGetTraces call. */
export const MAX_TRACE_IDS_PER_CALL = 5;
const MAX_TRACE_ID_LENGTH = 35;
const TIME_RANGE_TYPES: ReadonlyArray<TimeRangeType> = ['TraceId', 'Event', 'Service'];
const SAMPLING_STRATEGIES = ['PartialScan', 'FixedRate'] as const;

export interface TraceOperationsOptions {
  readonly store: TraceReader;
  /** Resolves once the records are committed; refuses them when the store is behind. */
  readonly writer: CommittingSink;
  readonly validate: (document: string) => ValidationResult;
  /** GetTraceSummaries page size. */
  readonly summariesPageSize: number;
  /** What `group.name` in filters and GetTraceSummaries' GroupName/GroupARN refer to. Default: no groups. */
  readonly groups?: Groups | undefined;
  /**
   * Resolves once `store` shows the summaries of every write acknowledged before the call: the
   * store defers them (TraceWriter.refreshSummaries), and may be read through another connection.
   */
  readonly beforeRead?: () => Promise<void>;
  /**
   * Which traces X-Ray's index holds now: all of them unless Transaction Search indexes a share
   * (transaction-search/indexing.ts). GetTraceSummaries and BatchGetTraces answer only those.
   */
  readonly indexed?: () => (traceId: string) => boolean;
}

/**
 * PutTraceSegments (`POST /TraceSegments`): every document validated; rejects come back in
 * UnprocessedTraceSegments; the accepted ones are committed before the answer goes out. When the
 * store is too far behind to take them, the call is refused whole with AWS's ThrottledException
 * (429), which the SDKs and the daemon retry; nothing is answered 200 that was not stored.
 */
export function putTraceSegments(options: TraceOperationsOptions) {
  return async (body: JsonObject): Promise<PutTraceSegmentsResult> => {
    const documents = requiredStringArray(body, 'TraceSegmentDocuments', { min: 1 });
    const records: SegmentRecord[] = [];
    const unprocessed: UnprocessedTraceSegment[] = [];
    for (const document of documents) {
      const result = options.validate(document);
      if (result.ok) records.push(result.record);
      else unprocessed.push({ ...(result.id === undefined ? {} : { Id: result.id }), ErrorCode: result.errorCode, Message: result.message });
    }
    try {
      await options.writer.commit(records);
    } catch (error) {
      if (error instanceof StoreBusyError) throw throttled(error);
      throw error;
    }
    return { UnprocessedTraceSegments: unprocessed };
  };
}

function throttled(error: StoreBusyError): ApiError {
  return new ApiError(429, 'ThrottledException', error.message, { 'retry-after': String(error.retryAfterSeconds) });
}

/**
 * BatchGetTraces (`POST /Traces`): up to five ids, as AWS allows; ids not stored come back in
 * UnprocessedTraceIds. Every trace fits one page, so no NextToken is ever issued. Each trace has the
 * segments that were sent and, after them, the inferred segments X-Ray adds for downstream calls
 * (traces/inferred.ts).
 */
export function batchGetTraces(options: TraceOperationsOptions) {
  return (body: JsonObject): BatchGetTracesResult => {
    const ids = requiredStringArray(body, 'TraceIds', { min: 1, max: MAX_TRACE_IDS_PER_CALL });
    ids.forEach((id, index) => {
      if (id.length < 1 || id.length > MAX_TRACE_ID_LENGTH) {
        throw invalidRequest(`TraceIds[${index}] must be 1 to ${MAX_TRACE_ID_LENGTH} characters long, got ${id.length}`);
      }
    });
    const nextToken = optionalString(body, 'NextToken');
    if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
    const unique = [...new Set(ids)];
    const indexed = options.indexed?.() ?? (() => true);
    const traces = options.store.getTraces(unique.filter((id) => indexed(id)));
    const found = new Set(traces.map((trace) => trace.id));
    return {
      Traces: traces.map((trace) => ({
        Id: trace.id,
        Duration: trace.duration,
        LimitExceeded: trace.limitExceeded,
        Segments: [...trace.segments, ...inferredSegments(trace.id, trace.segments.map((segment) => JSON.parse(segment.document) as GraphDocument))]
          .map((segment) => ({ Id: segment.id, Document: segment.document })),
      })),
      UnprocessedTraceIds: unique.filter((id) => !found.has(id)),
    };
  };
}

/**
 * GetTraceSummaries (`POST /TraceSummaries`): newest first, paginated with NextToken. TimeRangeType
 * defaults to TraceId. Sampling with a FixedRate strategy keeps a stable subset of traces (chosen by
 * a hash of the id); without one, or with PartialScan, every trace is scanned, which a local store can
 * afford. FilterExpression selects traces (a parse error is an InvalidRequestException with its
 * column); GroupName or GroupARN, a local extension, adds the group's filter (see trace-filter.ts).
 */
export function getTraceSummaries(options: TraceOperationsOptions) {
  return async (body: JsonObject): Promise<GetTraceSummariesResult> => {
    const startTime = requiredEpochSeconds(body, 'StartTime');
    const endTime = requiredEpochSeconds(body, 'EndTime');
    if (endTime < startTime) throw invalidRequest(`EndTime (${endTime}) must not be before StartTime (${startTime})`);
    const timeRangeType = optionalEnum(body, 'TimeRangeType', TIME_RANGE_TYPES) ?? 'TraceId';
    const sampling = optionalBoolean(body, 'Sampling') ?? false;
    const fixedRate = samplingRate(body);
    const filter = summaryFilter(body, options.groups);
    const cursor = optionalString(body, 'NextToken');
    await options.beforeRead?.();
    const page = readPage(options, { startTime, endTime, timeRangeType, limit: options.summariesPageSize, cursor, ...filter });
    const indexed = options.indexed?.() ?? (() => true);
    const sampled = sampling && fixedRate !== undefined ? (summary: StoredTraceSummary) => inSample(summary.id, fixedRate) : () => true;
    const keep = (summary: StoredTraceSummary): boolean => indexed(summary.id) && sampled(summary);
    return {
      TraceSummaries: page.summaries.filter(keep).map(traceSummaryJson),
      ApproximateTime: page.approximateTime,
      TracesProcessedCount: page.tracesProcessedCount,
      ...(page.nextCursor === undefined ? {} : { NextToken: page.nextCursor }),
    };
  };
}

function readPage(options: TraceOperationsOptions, query: Parameters<TraceReader['getTraceSummaries']>[0]) {
  try {
    return options.store.getTraceSummaries(query);
  } catch (error) {
    // A query the store cannot run (a pagination token it did not issue, ...) is the caller's mistake.
    if (error instanceof InvalidQueryError) throw invalidRequest(query.cursor === undefined ? error.message : `NextToken: ${error.message}`);
    throw error;
  }
}

function samplingRate(body: JsonObject): number | undefined {
  const strategy = body.SamplingStrategy;
  if (strategy === undefined || strategy === null) return undefined;
  if (typeof strategy !== 'object' || Array.isArray(strategy)) {
    throw invalidRequest(`SamplingStrategy must be an object, got ${describe(strategy)}`);
  }
  const name = optionalEnum(strategy as JsonObject, 'Name', SAMPLING_STRATEGIES);
  const value = (strategy as JsonObject).Value;
  if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1))) {
    throw invalidRequest(`SamplingStrategy.Value must be a number from 0 to 1, got ${describe(value)}`);
  }
  return name === 'FixedRate' && typeof value === 'number' ? value : undefined;
}

/** Deterministic: the same trace is in or out of a sample on every call and every page. */
function inSample(id: unknown, rate: number): boolean {
  const digest = createHash('sha256').update(String(id)).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < rate;
}
