/**
 * The X-Ray API's JSON shapes for the service graph and its statistics (wire names, epoch-second
 * times), and the mapping of the graph's typed model (model/graph.ts) into them.
 */
import type { Cell, EdgeCell, ForecastPoint, GraphEdge, GraphService, Histogram, TimeSeriesPoint } from '../model/graph.ts';

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

export interface ForecastJson {
  FaultCountHigh: number;
  FaultCountLow: number;
}

export function serviceJson(service: GraphService): ServiceJson {
  const { cell } = service;
  const { node } = cell;
  return {
    ReferenceId: service.referenceId,
    Name: node.name,
    Names: [node.name],
    Root: service.root,
    ...(node.accountId === undefined ? {} : { AccountId: node.accountId }),
    ...(node.type === undefined ? {} : { Type: node.type }),
    State: service.active ? 'active' : 'unknown',
    StartTime: cell.startTime,
    EndTime: cell.endTime,
    Edges: service.edges.map(edgeJson),
    SummaryStatistics: statisticsJson(cell),
    DurationHistogram: histogramJson(cell.duration),
    ResponseTimeHistogram: histogramJson(cell.responseTime),
  };
}

export function servicesJson(services: readonly GraphService[]): ServiceJson[] {
  return services.map(serviceJson);
}

function edgeJson(edge: GraphEdge): EdgeJson {
  const cell: EdgeCell = edge.cell;
  const json: EdgeJson = {
    ReferenceId: edge.referenceId,
    StartTime: cell.startTime,
    EndTime: cell.endTime,
    SummaryStatistics: statisticsJson(cell),
    ResponseTimeHistogram: histogramJson(cell.responseTime),
    Aliases: [],
  };
  if (cell.edgeType === 'link') {
    json.EdgeType = 'link';
    json.ReceivedEventAgeHistogram = histogramJson(cell.age);
  }
  return json;
}

export function timeSeriesJson(point: TimeSeriesPoint): TimeSeriesServiceStatisticsJson {
  const statistics = statisticsJson(point.statistics);
  return {
    Timestamp: point.timestamp,
    ...(point.kind === 'service' ? { ServiceSummaryStatistics: statistics } : { EdgeSummaryStatistics: statistics }),
    ResponseTimeHistogram: histogramJson(point.statistics.responseTime),
  };
}

export function forecastPointJson(point: ForecastPoint): TimeSeriesServiceStatisticsJson & { ServiceForecastStatistics: ForecastJson } {
  return {
    ...timeSeriesJson(point),
    ServiceForecastStatistics: { FaultCountHigh: point.forecast.faultCountHigh, FaultCountLow: point.forecast.faultCountLow },
  };
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

/** The X-Ray API's `HistogramEntry` list, ascending by value. */
export function histogramJson(histogram: Histogram): HistogramEntryJson[] {
  return [...histogram]
    .filter(([, count]) => count !== 0)
    .sort(([a], [b]) => a - b)
    .map(([Value, Count]) => ({ Value, Count }));
}
