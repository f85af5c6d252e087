/**
 * The Transaction Search operations in AWS's shapes and paths (all POST):
 * GetTraceSegmentDestination, UpdateTraceSegmentDestination, GetIndexingRules, UpdateIndexingRule,
 * StartTraceRetrieval, ListRetrievedTraces, GetRetrievedTracesGraph and CancelTraceRetrieval.
 * Refusals: InvalidRequestException naming the field; ResourceNotFoundException (404) for an
 * unknown indexing rule or retrieval token, and for a retrieval while Transaction Search is off.
 */
import { invalidRequest, resourceNotFound } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import {
  describe, optionalEnum, optionalString, requiredEpochSeconds, requiredField, requiredNumber, requiredString, requiredStringArray,
} from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import { DestinationRequestError, type TraceSegmentDestination } from '../transaction-search/destination.ts';
import { UnknownIndexingRuleError, type IndexingRule, type IndexingRules } from '../transaction-search/indexing.ts';
import { otelSpans } from '../transaction-search/otel-spans.ts';
import { UnknownRetrievalError, type RetrievalResult, type TraceRetrievals } from '../transaction-search/retrievals.ts';
import { isRecord } from '../model/json.ts';
import { serviceJson } from './graph-json.ts';

const MAX_RETRIEVAL_TRACE_IDS = 100;
const MAX_TRACE_ID_LENGTH = 35;
const MAX_TOKEN_LENGTH = 1020;
/** Traces a ListRetrievedTraces page. */
export const RETRIEVED_TRACES_PAGE_SIZE = 10;

export interface TransactionSearch {
  readonly destination: TraceSegmentDestination;
  readonly indexing: IndexingRules;
  readonly retrievals: TraceRetrievals;
}

function indexingRuleJson(rule: IndexingRule): Record<string, unknown> {
  return {
    Name: rule.name,
    ModifiedAt: rule.modifiedAt,
    Rule: { Probabilistic: { DesiredSamplingPercentage: rule.desiredSamplingPercentage, ActualSamplingPercentage: rule.actualSamplingPercentage } },
  };
}

function object(body: JsonObject, field: string, prefix = ''): JsonObject {
  const value = requiredField(body, field, prefix);
  if (!isRecord(value)) throw invalidRequest(`${prefix}${field} must be an object, got ${describe(value)}`);
  return value as JsonObject;
}

function retrievalToken(body: JsonObject): string {
  const token = requiredString(body, 'RetrievalToken');
  if (token.length > MAX_TOKEN_LENGTH) throw invalidRequest(`RetrievalToken must be 1 to ${MAX_TOKEN_LENGTH} characters long, got ${token.length}`);
  return token;
}

function withSearch<T>(what: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof DestinationRequestError) throw invalidRequest(error.message);
    if (error instanceof UnknownIndexingRuleError || error instanceof UnknownRetrievalError) throw resourceNotFound(error.message, what);
    throw error;
  }
}

/** A page of a retrieval's traces: the token carries the retrieval and the offset. */
function pageOffset(token: string, nextToken: string | undefined): number {
  if (nextToken === undefined) return 0;
  const match = /^(\d+):(.+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
  if (match === null || match[2] !== token) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued for this RetrievalToken`);
  return Number(match[1]);
}

function tracesJson(result: RetrievalResult, format: 'XRAY' | 'OTEL'): Record<string, unknown>[] {
  return result.traces.map((trace) => ({
    Id: trace.id,
    ...(trace.duration === undefined ? {} : { Duration: trace.duration }),
    Spans: format === 'XRAY'
      ? trace.segments.map((segment) => ({ Id: segment.id, Document: segment.document }))
      : trace.segments.flatMap((segment) => otelSpans(segment.document)).map((span) => ({ Id: span.id, Document: span.document })),
  }));
}

export function addTransactionSearchRoutes(router: Router, search: TransactionSearch): Router {
  const { destination, indexing, retrievals } = search;
  const destinationJson = (state: ReturnType<TraceSegmentDestination['get']>): Record<string, unknown> => ({ Destination: state.destination, Status: state.status });
  return router
    .postJson('/GetTraceSegmentDestination', () => destinationJson(destination.get()))
    .postJson('/UpdateTraceSegmentDestination', (body) => {
      const target = optionalEnum(body, 'Destination', ['XRay', 'CloudWatchLogs'] as const);
      const logs = body.CloudWatchLogsConfiguration === undefined || body.CloudWatchLogsConfiguration === null ? undefined : object(body, 'CloudWatchLogsConfiguration');
      const keyId = logs === undefined ? undefined : optionalString(logs, 'SpansLogGroupKmsKeyId');
      return destinationJson(withSearch('Destination', () => destination.update(target, keyId)));
    })
    .postJson('/GetIndexingRules', (body) => {
      const nextToken = optionalString(body, 'NextToken');
      // One rule, one page: no token is ever issued.
      if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
      return { IndexingRules: indexing.list().map(indexingRuleJson) };
    })
    .postJson('/UpdateIndexingRule', (body) => {
      const name = requiredString(body, 'Name');
      const probabilistic = object(object(body, 'Rule'), 'Probabilistic', 'Rule.');
      const percentage = requiredNumber(probabilistic, 'DesiredSamplingPercentage', 'Rule.Probabilistic.');
      if (percentage < 0 || percentage > 100) throw invalidRequest(`Rule.Probabilistic.DesiredSamplingPercentage must be from 0 to 100, got ${percentage}`);
      return { IndexingRule: indexingRuleJson(withSearch(name, () => indexing.update(name, percentage))) };
    })
    .postJson('/StartTraceRetrieval', (body) => {
      const traceIds = requiredStringArray(body, 'TraceIds', { max: MAX_RETRIEVAL_TRACE_IDS });
      traceIds.forEach((id, index) => {
        if (id.length < 1 || id.length > MAX_TRACE_ID_LENGTH) throw invalidRequest(`TraceIds[${index}] must be 1 to ${MAX_TRACE_ID_LENGTH} characters long, got ${id.length}`);
      });
      const startTime = requiredEpochSeconds(body, 'StartTime');
      const endTime = requiredEpochSeconds(body, 'EndTime');
      if (endTime < startTime) throw invalidRequest(`EndTime (${endTime}) must not be before StartTime (${startTime})`);
      if (destination.current() !== 'CloudWatchLogs') {
        throw resourceNotFound('Transaction Search is not enabled, so there is no aws/spans log group to retrieve traces from: call UpdateTraceSegmentDestination with Destination CloudWatchLogs first, or use BatchGetTraces', 'aws/spans');
      }
      return { RetrievalToken: retrievals.start({ traceIds: [...new Set(traceIds)], startTime, endTime }) };
    })
    .postJson('/ListRetrievedTraces', (body) => {
      const token = retrievalToken(body);
      const format = optionalEnum(body, 'TraceFormat', ['XRAY', 'OTEL'] as const) ?? 'XRAY';
      const offset = pageOffset(token, optionalString(body, 'NextToken'));
      const retrieval = withSearch(token, () => retrievals.get(token));
      // Until COMPLETE the answer holds the status only, as AWS's.
      if (retrieval.result === undefined) return { RetrievalStatus: retrieval.status, TraceFormat: format, Traces: [] };
      const traces = tracesJson(retrieval.result, format);
      const end = offset + RETRIEVED_TRACES_PAGE_SIZE;
      return {
        RetrievalStatus: retrieval.status,
        TraceFormat: format,
        Traces: traces.slice(offset, end),
        ...(end < traces.length ? { NextToken: Buffer.from(`${end}:${token}`).toString('base64url') } : {}),
      };
    })
    .postJson('/GetRetrievedTracesGraph', (body) => {
      const token = retrievalToken(body);
      const nextToken = optionalString(body, 'NextToken');
      if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
      const retrieval = withSearch(token, () => retrievals.get(token));
      if (retrieval.result === undefined) return { RetrievalStatus: retrieval.status, Services: [] };
      // Links join traces by span links, which X-Ray documents do not carry: none locally.
      return { RetrievalStatus: retrieval.status, Services: retrieval.result.services.map((service) => ({ Service: serviceJson(service), Links: [] })) };
    })
    .postJson('/CancelTraceRetrieval', (body) => {
      const token = retrievalToken(body);
      withSearch(token, () => retrievals.cancel(token));
      return {};
    });
}
