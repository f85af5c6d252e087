/**
 * The shared X-Ray API shapes against the AWS SDK's model: every member we name is one AWS has,
 * with a type its wire JSON can carry (the SDK's Dates are epoch seconds on the wire). A member
 * AWS does not have, or a type that differs, fails here under `tsc --noEmit` and under vitest.
 */
import type * as Sdk from '@aws-sdk/client-xray';
import { describe, expectTypeOf, it } from 'vitest';
import type * as Api from '../../src/common/xray-api/index.ts';

/**
 * The SDK's type as JSON carries it: Dates become epoch seconds, every member optional and readonly.
 * Not distributive (the keys are not `keyof T`, so the mapped type is not homomorphic), so a tagged
 * union (AnnotationValue) reads as one object with all its members.
 */
type Wire<T> = WireOf<NonNullable<T>>;
type WireOf<T> = [T] extends [Date] ? number
  : [T] extends [ReadonlyArray<infer Item>] ? readonly Wire<Item>[]
  : [T] extends [object] ? { readonly [K in Extract<keyof T, string>]?: Wire<T[K]> }
  : T;

/** The member names we give that the SDK's shape does not have: `never` when there are none. */
type Unknown<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;

/**
 * Both checks for one pair of shapes: our members are AWS's, and our values fit AWS's types.
 * `'ok'`, or what is wrong (tsc prints it where the pair is checked).
 */
type Contract<Ours, Theirs> = [Unknown<Ours, Theirs>] extends [never]
  ? [Ours] extends [Wire<Theirs>] ? 'ok' : { readonly notAssignable: Ours; readonly to: Wire<Theirs> }
  : { readonly unknownMembers: Unknown<Ours, Theirs> };

describe('the shared X-Ray API shapes match the AWS SDK model', () => {
  it('statistics', () => {
    expectTypeOf<Contract<Api.HistogramEntry, Sdk.HistogramEntry>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ErrorStatistics, Sdk.ErrorStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.FaultStatistics, Sdk.FaultStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ServiceStatistics, Sdk.ServiceStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.EdgeStatistics, Sdk.EdgeStatistics>>().toEqualTypeOf<'ok'>();
  });

  it('service graph and time series', () => {
    expectTypeOf<Contract<Api.Alias, Sdk.Alias>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.Edge, Sdk.Edge>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.Service, Sdk.Service>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetServiceGraphRequest, Sdk.GetServiceGraphRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetServiceGraphResult, Sdk.GetServiceGraphResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetTraceGraphRequest, Sdk.GetTraceGraphRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetTraceGraphResult, Sdk.GetTraceGraphResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.TimeSeriesServiceStatistics, Sdk.TimeSeriesServiceStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetTimeSeriesServiceStatisticsRequest, Sdk.GetTimeSeriesServiceStatisticsRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetTimeSeriesServiceStatisticsResult, Sdk.GetTimeSeriesServiceStatisticsResult>>().toEqualTypeOf<'ok'>();
  });

  it('trace summaries', () => {
    expectTypeOf<Contract<Api.ServiceId, Sdk.ServiceId>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.AnnotationValue, Sdk.AnnotationValue>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ValueWithServiceIds, Sdk.ValueWithServiceIds>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.Http, Sdk.Http>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.TraceUser, Sdk.TraceUser>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ResourceARNDetail, Sdk.ResourceARNDetail>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.InstanceIdDetail, Sdk.InstanceIdDetail>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.AvailabilityZoneDetail, Sdk.AvailabilityZoneDetail>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.RootCauseException, Sdk.RootCauseException>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.FaultRootCauseEntity, Sdk.FaultRootCauseEntity>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ErrorRootCauseEntity, Sdk.ErrorRootCauseEntity>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ResponseTimeRootCauseEntity, Sdk.ResponseTimeRootCauseEntity>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.FaultRootCauseService, Sdk.FaultRootCauseService>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ErrorRootCauseService, Sdk.ErrorRootCauseService>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ResponseTimeRootCauseService, Sdk.ResponseTimeRootCauseService>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.FaultRootCause, Sdk.FaultRootCause>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ErrorRootCause, Sdk.ErrorRootCause>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.ResponseTimeRootCause, Sdk.ResponseTimeRootCause>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.TraceSummary, Sdk.TraceSummary>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.SamplingStrategy, Sdk.SamplingStrategy>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetTraceSummariesRequest, Sdk.GetTraceSummariesRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetTraceSummariesResult, Sdk.GetTraceSummariesResult>>().toEqualTypeOf<'ok'>();
  });

  it('traces', () => {
    expectTypeOf<Contract<Api.Segment, Sdk.Segment>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.Trace, Sdk.Trace>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.BatchGetTracesRequest, Sdk.BatchGetTracesRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.BatchGetTracesResult, Sdk.BatchGetTracesResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.PutTraceSegmentsRequest, Sdk.PutTraceSegmentsRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.UnprocessedTraceSegment, Sdk.UnprocessedTraceSegment>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.PutTraceSegmentsResult, Sdk.PutTraceSegmentsResult>>().toEqualTypeOf<'ok'>();
  });

  it('groups', () => {
    expectTypeOf<Contract<Api.InsightsConfiguration, Sdk.InsightsConfiguration>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.Group, Sdk.Group>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GroupSummary, Sdk.GroupSummary>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetGroupsRequest, Sdk.GetGroupsRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetGroupsResult, Sdk.GetGroupsResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetGroupResult, Sdk.GetGroupResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.CreateGroupResult, Sdk.CreateGroupResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.UpdateGroupResult, Sdk.UpdateGroupResult>>().toEqualTypeOf<'ok'>();
  });

  it('sampling', () => {
    expectTypeOf<Contract<Api.SamplingRule, Sdk.SamplingRule>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.SamplingRuleRecord, Sdk.SamplingRuleRecord>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetSamplingRulesRequest, Sdk.GetSamplingRulesRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetSamplingRulesResult, Sdk.GetSamplingRulesResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.SamplingStatisticSummary, Sdk.SamplingStatisticSummary>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetSamplingStatisticSummariesRequest, Sdk.GetSamplingStatisticSummariesRequest>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetSamplingStatisticSummariesResult, Sdk.GetSamplingStatisticSummariesResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.SamplingTargetDocument, Sdk.SamplingTargetDocument>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.UnprocessedStatistics, Sdk.UnprocessedStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.GetSamplingTargetsResult, Sdk.GetSamplingTargetsResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.CreateSamplingRuleResult, Sdk.CreateSamplingRuleResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.UpdateSamplingRuleResult, Sdk.UpdateSamplingRuleResult>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Contract<Api.DeleteSamplingRuleResult, Sdk.DeleteSamplingRuleResult>>().toEqualTypeOf<'ok'>();
  });

  it('the check refuses a member AWS does not have and a mistyped one', () => {
    expectTypeOf<Unknown<Api.Segment & { Body: string }, Sdk.Segment>>().toEqualTypeOf<'Body'>();
    expectTypeOf<{ Id: number }>().not.toExtend<Wire<Sdk.Segment>>();
    expectTypeOf<{ StartTime: string }>().not.toExtend<Wire<Sdk.TraceSummary>>();
  });
});
