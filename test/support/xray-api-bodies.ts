/**
 * A valid body for every POST route of the X-Ray API, for the API's fuzz suite and the
 * hostile-input harness. Case `i` names its own group and rule, so creates do not collide.
 */
import type { FuzzValue } from './fuzz.ts';

export const FUZZ_CLIENT_ID = '0123456789abcdef01234567';

export const FUZZ_SAMPLING_RULE = {
  ResourceARN: '*', Priority: 100, FixedRate: 0.05, ReservoirSize: 1, ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: 'GET',
  URLPath: '/orders/*', Version: 1, Attributes: { team: 'orders' },
} as const;

export interface ApiBodySource {
  readonly nowSeconds: number;
  /** A fresh trace id of a trace that started at the given epoch second. */
  readonly traceId: (epochSeconds: number) => string;
  /** A valid segment document of that trace, as text. */
  readonly document: (traceId: string, startSeconds: number) => string;
}

export function xrayApiBodies({ nowSeconds: now, traceId, document }: ApiBodySource): Readonly<Record<string, (i: number) => FuzzValue>> {
  return {
    '/TraceSegments': () => {
      const id = traceId(now - 60);
      return { TraceSegmentDocuments: [document(id, now - 60)] };
    },
    '/Traces': () => ({ TraceIds: [traceId(now - 60)] }),
    '/TraceSummaries': () => ({
      StartTime: now - 3600, EndTime: now, TimeRangeType: 'Event', Sampling: true, SamplingStrategy: { Name: 'FixedRate', Value: 0.5 },
      FilterExpression: 'service("orders-api") AND annotation.customer = "alice"', GroupName: 'fuzz',
    }),
    '/ServiceGraph': () => ({ StartTime: now - 3600, EndTime: now, GroupName: 'fuzz' }),
    '/TraceGraph': () => ({ TraceIds: [traceId(now - 60), traceId(now - 60)] }),
    '/TimeSeriesServiceStatistics': () => ({ StartTime: now - 3600, EndTime: now, Period: 60, EntitySelectorExpression: 'service("orders-api")', ForecastStatistics: false }),
    '/CreateGroup': (i) => ({
      GroupName: `fuzz-${i}`, FilterExpression: 'responsetime > 1', InsightsConfiguration: { InsightsEnabled: true, NotificationsEnabled: false },
      Tags: [{ Key: 'team', Value: 'orders' }],
    }),
    '/GetGroup': () => ({ GroupName: 'fuzz' }),
    // Nothing issues a NextToken for this one, so no request with one is valid.
    '/Groups': () => ({}),
    '/UpdateGroup': () => ({ GroupName: 'fuzz', FilterExpression: 'fault', InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false } }),
    '/DeleteGroup': (i) => ({ GroupName: `doomed-${i}` }),
    '/GetSamplingRules': () => ({}),
    '/SamplingTargets': () => ({
      SamplingStatisticsDocuments: [{ RuleName: 'fuzz', ClientID: FUZZ_CLIENT_ID, Timestamp: now, RequestCount: 10, SampledCount: 5, BorrowCount: 1 }],
      SamplingBoostStatisticsDocuments: [],
    }),
    '/CreateSamplingRule': (i) => ({ SamplingRule: { ...FUZZ_SAMPLING_RULE, RuleName: `fuzz-${i}` }, Tags: [{ Key: 'team', Value: 'orders' }] }),
    '/UpdateSamplingRule': () => ({ SamplingRuleUpdate: { RuleName: 'fuzz', FixedRate: 0.2, ReservoirSize: 2, Attributes: { team: 'orders' } } }),
    '/DeleteSamplingRule': (i) => ({ RuleName: `doomed-${i}` }),
    '/SamplingStatisticSummaries': () => ({}),
  };
}
