/**
 * The JSON types api/ writes the service's typed model in (the trace summary, the graph, the root
 * causes) reach the wire whole: api/ spreads them into its answers, where TypeScript checks no
 * excess member. Each is held here to the shared shape it goes out as: every member one the X-Ray
 * API has (test/common/xray-api-contract.test.ts holds those to the AWS SDK's model), and of its type.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type * as Api from '../../../src/common/xray-api/index.ts';
import type {
  FaultRootCauseEntityJson, FaultRootCauseJson, ResponseTimeRootCauseEntityJson, ResponseTimeRootCauseJson, RootCauseExceptionJson,
  RootCauseServiceJson,
} from '../../../src/xray/api/trace-summary-json.ts';
import type {
  AliasJson, EdgeJson, ErrorStatisticsJson, FaultStatisticsJson, HistogramEntryJson, ServiceJson, StatisticsJson, TimeSeriesServiceStatisticsJson,
} from '../../../src/xray/api/graph-json.ts';
import type {
  AnnotationValueJson, HttpJson, ServiceIdJson, TraceSummaryJson, TraceUserJson, ValueWithServiceIdsJson,
} from '../../../src/xray/api/trace-summary-json.ts';

/** `'ok'` when Ours names only the members of Wire, with types Wire's can take; else what is wrong. */
type Fits<Ours, Wire> = [Exclude<keyof Ours, keyof Wire>] extends [never]
  ? [Ours] extends [Wire] ? 'ok' : { readonly notAssignable: Ours; readonly to: Wire }
  : { readonly unknownMembers: Exclude<keyof Ours, keyof Wire> };

describe("the service's JSON types are the X-Ray API's shapes", () => {
  it('trace summary', () => {
    expectTypeOf<Fits<ServiceIdJson, Api.ServiceId>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<AnnotationValueJson, Api.AnnotationValue>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<ValueWithServiceIdsJson, Api.ValueWithServiceIds>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<HttpJson, Api.Http>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<TraceUserJson, Api.TraceUser>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Exclude<keyof TraceSummaryJson, keyof Api.TraceSummary>>().toEqualTypeOf<never>();
    expectTypeOf<Fits<Omit<TraceSummaryJson, 'FaultRootCauses' | 'ErrorRootCauses' | 'ResponseTimeRootCauses'>, Api.TraceSummary>>().toEqualTypeOf<'ok'>();
    // The root causes are typed too now: the whole summary fits.
    expectTypeOf<Fits<TraceSummaryJson, Api.TraceSummary>>().toEqualTypeOf<'ok'>();
  });

  it('root causes', () => {
    expectTypeOf<Fits<RootCauseExceptionJson, Api.RootCauseException>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<FaultRootCauseEntityJson, Api.FaultRootCauseEntity>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<ResponseTimeRootCauseEntityJson, Api.ResponseTimeRootCauseEntity>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<RootCauseServiceJson<FaultRootCauseEntityJson>, Api.FaultRootCauseService>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<FaultRootCauseJson, Api.FaultRootCause>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<ResponseTimeRootCauseJson, Api.ResponseTimeRootCause>>().toEqualTypeOf<'ok'>();
  });

  it('service graph and statistics', () => {
    expectTypeOf<Fits<HistogramEntryJson, Api.HistogramEntry>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<ErrorStatisticsJson, Api.ErrorStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<FaultStatisticsJson, Api.FaultStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<StatisticsJson, Api.ServiceStatistics>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<AliasJson, Api.Alias>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<EdgeJson, Api.Edge>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<ServiceJson, Api.Service>>().toEqualTypeOf<'ok'>();
    expectTypeOf<Fits<TimeSeriesServiceStatisticsJson, Api.TimeSeriesServiceStatistics>>().toEqualTypeOf<'ok'>();
  });

  it('the check refuses a member the API does not have', () => {
    expectTypeOf<Fits<ServiceJson & { Extra: 1 }, Api.Service>>().not.toEqualTypeOf<'ok'>();
  });
});
