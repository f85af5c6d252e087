import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { optionalNumber, requiredNumber, requiredObjectArray, requiredString } from '../http/json-fields.ts';
import type { SamplingRuleRecord } from './types.ts';

/**
 * The Default rule every account has, as AWS serves it: the lowest priority, every match field a
 * wildcard. It always exists; only its FixedRate and ReservoirSize can change.
 *
 * Every rule we serve stays within what the X-Ray SDKs accept: the SDKs skip a rule unless it has
 * Version 1, ResourceARN "*", empty Attributes, a non-zero Priority and a numeric FixedRate (so a
 * rule with a ResourceARN or Attributes is kept and listed, but no SDK applies it); the SDK for
 * Node also requires a numeric LastRuleModification in the targets answer.
 */
export interface SamplingSettings {
  /** Fraction of requests sampled beyond the reservoir, 0..1. Locally 1: sample everything. */
  readonly fixedRate: number;
  /** Requests a second sampled before the fixed rate applies. */
  readonly reservoirSize: number;
}

export const DEFAULT_RULE_NAME = 'Default';
/** Priority of AWS's own default rule: the lowest, out of reach of the 1..9999 other rules take. */
export const DEFAULT_PRIORITY = 10000;
/** The only rule format there is. */
export const RULE_VERSION = 1;
/** Matches everything, in every match field. */
export const WILDCARD = '*';

export function validateSamplingSettings(settings: SamplingSettings): SamplingSettings {
  if (!(settings.fixedRate >= 0 && settings.fixedRate <= 1)) {
    throw new Error(`sampling rate must be a number from 0 to 1, got ${settings.fixedRate}`);
  }
  if (!Number.isInteger(settings.reservoirSize) || settings.reservoirSize < 0) {
    throw new Error(`sampling reservoir size must be a whole number >= 0, got ${settings.reservoirSize}`);
  }
  return settings;
}

/** The Default rule with `settings`, created and last changed at `at` (epoch seconds). */
export function defaultRule(arn: string, settings: SamplingSettings, at: number): SamplingRuleRecord {
  return {
    name: DEFAULT_RULE_NAME,
    arn,
    resourceArn: WILDCARD,
    priority: DEFAULT_PRIORITY,
    fixedRate: settings.fixedRate,
    reservoirSize: settings.reservoirSize,
    serviceName: WILDCARD,
    serviceType: WILDCARD,
    host: WILDCARD,
    httpMethod: WILDCARD,
    urlPath: WILDCARD,
    version: RULE_VERSION,
    attributes: {},
    createdAt: at,
    modifiedAt: at,
  };
}

const DEFAULT_RULE_ARN = `arn:aws:xray:us-east-1:000000000000:sampling-rule/${DEFAULT_RULE_NAME}`;
const OLD_REPORT_INTERVAL_SECONDS = 10;
const OLD_MAX_STATISTICS_DOCUMENTS = 25;

/** The GetSamplingRules result. `modifiedAt` is epoch seconds, when the rule took its settings. */
export function samplingRulesResult(settings: SamplingSettings, modifiedAt: number): Record<string, unknown> {
  return {
    SamplingRuleRecords: [
      {
        SamplingRule: {
          RuleName: DEFAULT_RULE_NAME,
          RuleARN: DEFAULT_RULE_ARN,
          ResourceARN: '*',
          Priority: DEFAULT_PRIORITY,
          FixedRate: settings.fixedRate,
          ReservoirSize: settings.reservoirSize,
          ServiceName: '*',
          ServiceType: '*',
          Host: '*',
          HTTPMethod: '*',
          URLPath: '*',
          Version: 1,
          Attributes: {},
        },
        CreatedAt: modifiedAt,
        ModifiedAt: modifiedAt,
      },
    ],
  };
}

/**
 * The GetSamplingTargets result for the statistics an SDK reports: a quota for the rule we serve,
 * and each statistics document naming another rule back in UnprocessedStatistics.
 */
export function samplingTargetsResult(
  settings: SamplingSettings,
  request: JsonObject,
  now: number,
  modifiedAt: number,
): Record<string, unknown> {
  const documents = requiredObjectArray(request, 'SamplingStatisticsDocuments', { max: OLD_MAX_STATISTICS_DOCUMENTS });
  const targets: Record<string, unknown>[] = [];
  const unprocessed: Record<string, unknown>[] = [];
  documents.forEach((document, index) => {
    const prefix = `SamplingStatisticsDocuments[${index}].`;
    const ruleName = requiredString(document, 'RuleName', prefix);
    requiredString(document, 'ClientID', prefix);
    requiredNumber(document, 'Timestamp', prefix);
    for (const counter of ['RequestCount', 'SampledCount'] as const) {
      if (!Number.isInteger(requiredNumber(document, counter, prefix))) {
        throw invalidRequest(`${prefix}${counter} must be a whole number`);
      }
    }
    optionalNumber(document, 'BorrowCount', prefix);
    if (ruleName !== DEFAULT_RULE_NAME) {
      unprocessed.push({ RuleName: ruleName, ErrorCode: '404', Message: `no sampling rule named ${ruleName}` });
      return;
    }
    targets.push({
      RuleName: ruleName,
      FixedRate: settings.fixedRate,
      ReservoirQuota: settings.reservoirSize,
      ReservoirQuotaTTL: Math.floor(now) + OLD_REPORT_INTERVAL_SECONDS,
      Interval: OLD_REPORT_INTERVAL_SECONDS,
    });
  });
  return { SamplingTargetDocuments: targets, LastRuleModification: modifiedAt, UnprocessedStatistics: unprocessed };
}
