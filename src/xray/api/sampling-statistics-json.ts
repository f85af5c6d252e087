/**
 * GetSamplingTargets and GetSamplingStatisticSummaries on the wire. Statistics documents are checked
 * against the X-Ray API model (a ClientID is 24 characters, the SDKs' 12 random bytes in hex).
 */
import type { SamplingStatisticSummary, SamplingTargetDocument, UnprocessedStatistics } from '../../common/xray-api/index.ts';
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe } from '../http/json-fields.ts';
import { boundedString, epochSeconds, MAX_INT, optionalWholeNumber, wholeNumber } from '../sampling/fields.ts';
import { RULE_NAME_LIMITS } from './sampling-rule-json.ts';
import type { SamplingTarget, StatisticsReport, StatisticSummary } from '../sampling/statistics.ts';
import { isRecord } from '../model/json.ts';

/** AWS caps a GetSamplingTargets call at this many documents of each kind. */
const MAX_DOCUMENTS = 25;
const CLIENT_ID_LENGTH = 24;
const COUNT = { min: 0, max: MAX_INT } as const;

export interface StatisticsDocument extends StatisticsReport {
  readonly ruleName: string;
  /** The client's clock when it reported, epoch seconds. */
  readonly timestamp: number;
}

export function statisticsDocumentsFrom(body: JsonObject): StatisticsDocument[] {
  const documents = objectArray(body, 'SamplingStatisticsDocuments', true);
  // Boost statistics (adaptive sampling) are checked for shape and otherwise not used: no rule here boosts.
  objectArray(body, 'SamplingBoostStatisticsDocuments', false);
  return documents.map((document, index) => {
    const prefix = `SamplingStatisticsDocuments[${index}].`;
    return {
      ruleName: boundedString(document, 'RuleName', prefix, RULE_NAME_LIMITS),
      clientId: boundedString(document, 'ClientID', prefix, { min: CLIENT_ID_LENGTH, max: CLIENT_ID_LENGTH }),
      timestamp: epochSeconds(document, 'Timestamp', prefix),
      requestCount: wholeNumber(document, 'RequestCount', prefix, COUNT),
      sampledCount: wholeNumber(document, 'SampledCount', prefix, COUNT),
      borrowCount: optionalWholeNumber(document, 'BorrowCount', prefix, COUNT) ?? 0,
    };
  });
}

function objectArray(body: JsonObject, field: string, required: boolean): JsonObject[] {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw invalidRequest(`${field} is required`);
    return [];
  }
  if (!Array.isArray(value)) throw invalidRequest(`${field} must be an array, got ${describe(value)}`);
  if (value.length > MAX_DOCUMENTS) throw invalidRequest(`${field} must have at most ${MAX_DOCUMENTS} items, got ${value.length}`);
  value.forEach((item: unknown, index) => {
    if (!isRecord(item)) {
      throw invalidRequest(`${field}[${index}] must be an object, got ${describe(item)}`);
    }
  });
  return value as JsonObject[];
}

export function targetJson(target: SamplingTarget): SamplingTargetDocument {
  return {
    RuleName: target.ruleName,
    FixedRate: target.fixedRate,
    ReservoirQuota: target.reservoirQuota,
    ReservoirQuotaTTL: target.reservoirQuotaTtlSeconds,
    Interval: target.intervalSeconds,
  };
}

/** A document naming no rule of ours: the SDK keeps its last target for it. */
export function unprocessedJson(ruleName: string): UnprocessedStatistics {
  return { RuleName: ruleName, ErrorCode: '404', Message: `no sampling rule named ${ruleName}` };
}

export function summaryJson(summary: StatisticSummary): SamplingStatisticSummary {
  return {
    RuleName: summary.ruleName,
    Timestamp: summary.timestamp,
    RequestCount: summary.requestCount,
    BorrowCount: summary.borrowCount,
    SampledCount: summary.sampledCount,
  };
}
