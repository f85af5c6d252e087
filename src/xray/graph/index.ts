export { contributionOfTrace } from './contribution.ts';
export {
  AggregateAccumulator, EMPTY_AGGREGATE, mergeAggregates, minuteOf, subtractAggregate, updateAggregate,
} from './aggregate.ts';
export type { Aggregate, EdgeType, NodeId } from './aggregate.ts';
export { aggregateFromJson, aggregateToJson } from './aggregate-json.ts';
export type { AggregateJson } from './aggregate-json.ts';
export { packAggregate, unpackAggregate } from './aggregate-packed.ts';
export { toServiceGraph, toTraceGraph } from './service-graph.ts';
export type { TimeWindow } from './service-graph.ts';
export { timeSeriesStatistics } from './time-series.ts';
export type { EntitySelector, TimeSeriesOptions } from './time-series.ts';
export { rootCausesOfTrace } from './root-causes.ts';
export type { RootCauseOptions } from './root-causes.ts';
export type { GraphDocument, GraphEntity } from '../model/graph-document.ts';
export { withForecasts } from './forecast.ts';
export type { GraphEdge, GraphService, TimeSeriesPoint } from '../model/graph.ts';
