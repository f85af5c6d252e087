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
  /** The token of a trace retrieval that was started, for the routes that read one. */
  readonly retrievalToken?: () => string;
}

/** A sampling rule's ARN the tag routes name (the rule `fuzz`). */
export const FUZZ_RULE_ARN = 'arn:aws:xray:us-east-1:000000000000:sampling-rule/fuzz';

/** A resource policy X-Ray accepts. */
export const FUZZ_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'xray:PutTraceSegments', Resource: '*' }] });

export function xrayApiBodies({ nowSeconds: now, traceId, document, retrievalToken = () => '' }: ApiBodySource): Readonly<Record<string, (i: number) => FuzzValue>> {
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
    '/EncryptionConfig': () => ({}),
    '/PutEncryptionConfig': () => ({ Type: 'KMS', KeyId: 'alias/orders' }),
    '/TagResource': () => ({ ResourceARN: FUZZ_RULE_ARN, Tags: [{ Key: 'team', Value: 'orders' }] }),
    '/UntagResource': () => ({ ResourceARN: FUZZ_RULE_ARN, TagKeys: ['team'] }),
    '/ListTagsForResource': () => ({ ResourceARN: FUZZ_RULE_ARN }),
    '/PutResourcePolicy': (i) => ({ PolicyName: `fuzz-${i}`, PolicyDocument: FUZZ_POLICY, BypassPolicyLockoutCheck: false }),
    '/ListResourcePolicies': () => ({}),
    '/DeleteResourcePolicy': (i) => ({ PolicyName: `doomed-${i}` }),
    '/TelemetryRecords': () => ({
      TelemetryRecords: [{ Timestamp: now, SegmentsReceivedCount: 3, BackendConnectionErrors: { TimeoutCount: 1 } }], Hostname: 'fuzz-host', EC2InstanceId: 'i-0123', ResourceARN: 'arn:aws:ec2:x',
    }),
    '/local/TelemetrySummaries': () => ({}),
    '/local/TraceSummaryCount': () => ({ StartTime: now - 3600, EndTime: now, TimeRangeType: 'Event', FilterExpression: 'service("orders-api")', GroupName: 'fuzz' }),
    '/GetTraceSegmentDestination': () => ({}),
    '/UpdateTraceSegmentDestination': () => ({ Destination: 'CloudWatchLogs' }),
    '/GetIndexingRules': () => ({}),
    '/UpdateIndexingRule': () => ({ Name: 'Default', Rule: { Probabilistic: { DesiredSamplingPercentage: 100 } } }),
    '/StartTraceRetrieval': () => ({ TraceIds: [traceId(now - 60)], StartTime: now - 3600, EndTime: now }),
    '/ListRetrievedTraces': () => ({ RetrievalToken: retrievalToken(), TraceFormat: 'OTEL' }),
    '/GetRetrievedTracesGraph': () => ({ RetrievalToken: retrievalToken() }),
    '/CancelTraceRetrieval': () => ({ RetrievalToken: retrievalToken() }),
    '/InsightSummaries': () => ({ GroupName: 'fuzz', States: ['ACTIVE'], StartTime: now - 3600, EndTime: now, MaxResults: 10 }),
  };
}
