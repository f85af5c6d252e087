/**
 * GetServiceGraph, GetTraceGraph and GetTimeSeriesServiceStatistics in the X-Ray API's JSON shape
 * (AWS's names; times in epoch seconds).
 */
import type { EdgeStatistics, HistogramEntry, ServiceStatistics } from './statistics.ts';

export interface Alias {
  readonly Name?: string;
  readonly Names?: readonly string[];
  readonly Type?: string;
}

export interface Edge {
  /** The ReferenceId of the service the edge leads to. */
  readonly ReferenceId: number;
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly SummaryStatistics?: EdgeStatistics;
  readonly ResponseTimeHistogram?: readonly HistogramEntry[];
  readonly Aliases?: readonly Alias[];
  /** `link` on an asynchronous edge. */
  readonly EdgeType?: string;
  readonly ReceivedEventAgeHistogram?: readonly HistogramEntry[];
}

export interface Service {
  readonly ReferenceId: number;
  readonly Name?: string;
  readonly Names?: readonly string[];
  readonly Root?: boolean;
  readonly AccountId?: string;
  readonly Type?: string;
  readonly State?: string;
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly Edges?: readonly Edge[];
  readonly SummaryStatistics?: ServiceStatistics;
  readonly DurationHistogram?: readonly HistogramEntry[];
  readonly ResponseTimeHistogram?: readonly HistogramEntry[];
}

export interface GetServiceGraphRequest {
  readonly StartTime: number;
  readonly EndTime: number;
  readonly GroupName?: string;
  readonly GroupARN?: string;
  readonly NextToken?: string;
}

export interface GetServiceGraphResult {
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly Services?: readonly Service[];
  readonly ContainsOldGroupVersions?: boolean;
  readonly NextToken?: string;
}

export interface GetTraceGraphRequest {
  readonly TraceIds: readonly string[];
  readonly NextToken?: string;
}

export interface GetTraceGraphResult {
  readonly Services?: readonly Service[];
  readonly NextToken?: string;
}

/** One period: edge or service statistics, as the request's selector picked. */
/** The fault band a period was expected to stay in (ForecastStatistics). */
export interface ForecastStatistics {
  readonly FaultCountHigh?: number;
  readonly FaultCountLow?: number;
}

export interface TimeSeriesServiceStatistics {
  /** The period's start. */
  readonly Timestamp?: number;
  readonly EdgeSummaryStatistics?: EdgeStatistics;
  readonly ServiceSummaryStatistics?: ServiceStatistics;
  readonly ServiceForecastStatistics?: ForecastStatistics;
  readonly ResponseTimeHistogram?: readonly HistogramEntry[];
}

export interface GetTimeSeriesServiceStatisticsRequest {
  readonly StartTime: number;
  readonly EndTime: number;
  readonly GroupName?: string;
  readonly GroupARN?: string;
  readonly EntitySelectorExpression?: string;
  /** Seconds: a multiple of 60. */
  readonly Period?: number;
  readonly ForecastStatistics?: boolean;
  readonly NextToken?: string;
}

export interface GetTimeSeriesServiceStatisticsResult {
  readonly TimeSeriesServiceStatistics?: readonly TimeSeriesServiceStatistics[];
  readonly ContainsOldGroupVersions?: boolean;
  readonly NextToken?: string;
}
