export type {
  Aggregate, Cell, EdgeCell, EdgeType, FaultForecast, ForecastPoint, GraphEdge, GraphService, Histogram, MinuteAggregate, NodeCell, NodeId,
  Observation, Status, TimeSeriesPoint,
} from './graph.ts';
export type { GraphDocument, GraphEntity } from './graph-document.ts';
export type * from './segment-document.ts';
export type { GraphWindow, SegmentRecord, StoredTrace, TimeRangeType } from './trace.ts';
export type {
  AnnotationValueJson, HttpJson, ServiceIdJson, StoredSummaryJson, TraceSummaryJson, TraceUserJson, ValueWithServiceIdsJson,
} from './trace-summary.ts';
