/**
 * The X-Ray API's JSON shapes for the service graph and its statistics (wire names, epoch-second
 * times), and the conversion of summed cells into them.
 */
import type { Cell } from './aggregate.ts';
import { histogramJson } from './histogram.ts';

export interface HistogramEntryJson {
  Value: number;
  Count: number;
}

export interface ErrorStatisticsJson {
  ThrottleCount: number;
  OtherCount: number;
  TotalCount: number;
}

export interface FaultStatisticsJson {
  OtherCount: number;
  TotalCount: number;
}

/** `ServiceStatistics` and `EdgeStatistics` have the same members. */
export interface StatisticsJson {
  OkCount: number;
  ErrorStatistics: ErrorStatisticsJson;
  FaultStatistics: FaultStatisticsJson;
  TotalCount: number;
  TotalResponseTime: number;
}

export interface AliasJson {
  Name: string;
  Names: string[];
  Type?: string;
}

export interface EdgeJson {
  /** The ReferenceId of the service the edge leads to. */
  ReferenceId: number;
  StartTime: number;
  EndTime: number;
  SummaryStatistics: StatisticsJson;
  /** Synchronous edges only (empty on a link). */
  ResponseTimeHistogram: HistogramEntryJson[];
  Aliases: AliasJson[];
  /** Present on asynchronous edges only, with the value `link`. */
  EdgeType?: 'link';
  /** Link edges only. */
  ReceivedEventAgeHistogram?: HistogramEntryJson[];
}

export interface ServiceJson {
  ReferenceId: number;
  Name: string;
  Names: string[];
  Root: boolean;
  AccountId?: string;
  Type?: string;
  /** `active` for a service that sent segments; `unknown` for client and inferred nodes. */
  State: 'active' | 'unknown';
  StartTime: number;
  EndTime: number;
  Edges: EdgeJson[];
  SummaryStatistics: StatisticsJson;
  DurationHistogram: HistogramEntryJson[];
  ResponseTimeHistogram: HistogramEntryJson[];
}

export interface TimeSeriesServiceStatisticsJson {
  Timestamp: number;
  EdgeSummaryStatistics?: StatisticsJson;
  ServiceSummaryStatistics?: StatisticsJson;
  ResponseTimeHistogram: HistogramEntryJson[];
}

export function statisticsJson(cell: Cell): StatisticsJson {
  const errors = cell.errorOther + cell.throttle;
  return {
    OkCount: cell.ok,
    ErrorStatistics: { ThrottleCount: cell.throttle, OtherCount: cell.errorOther, TotalCount: errors },
    FaultStatistics: { OtherCount: cell.fault, TotalCount: cell.fault },
    TotalCount: cell.ok + errors + cell.fault,
    TotalResponseTime: cell.responseMicros / 1e6,
  };
}

export { histogramJson };
