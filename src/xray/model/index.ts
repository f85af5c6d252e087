export type {
  Aggregate, Cell, EdgeCell, EdgeType, FaultForecast, ForecastPoint, GraphEdge, GraphService, Histogram, MinuteAggregate, NodeCell, NodeId,
  Observation, Status, TimeSeriesPoint,
} from './graph.ts';
export type { GraphDocument, GraphEntity } from './graph-document.ts';
export type * from './segment-document.ts';
export type { GraphWindow, SegmentRecord, StoredTrace, TimeRangeType } from './trace.ts';
export type {
  AnnotatedValue, FaultRootCause, FaultRootCauseEntity, ResponseTimeRootCause, ResponseTimeRootCauseEntity, RootCause,
  RootCauseException, RootCauseService, ServiceId, StoredSummary, TraceHttp, TraceRootCauses, TraceSummary, TraceUser,
} from './trace-summary.ts';
