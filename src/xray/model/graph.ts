/**
 * The service graph's summable statistics (graph/aggregate.ts sums them; docs/service-graph.md):
 * per minute, one cell per node and one per edge.
 */
/** Bucket value (seconds) -> count; graph/histogram.ts buckets and merges them. */
export type Histogram = ReadonlyMap<number, number>;

export interface NodeId {
  readonly name: string;
  /** e.g. `AWS::Lambda::Function`, `remote`, `client`; undefined for a segment without `origin`. */
  readonly type: string | undefined;
  readonly accountId: string | undefined;
}

/** `link` for an asynchronous hop (a message a consumer received), `standard` otherwise. */
export type EdgeType = 'standard' | 'link';

export type Status = 'ok' | 'error' | 'throttle' | 'fault';

/** One segment or call seen on a node or an edge. */
export interface Observation {
  readonly start: number;
  /** Undefined while in progress: the entity then counts for presence and times only. */
  readonly end: number | undefined;
  readonly status: Status | undefined;
  /** Nodes: from the start to the end of everything downstream of this segment or call. */
  readonly duration?: number | undefined;
  /** Link edges: how old the message was when the consumer started. */
  readonly age?: number | undefined;
  /** Nodes: the observation is the node's own segment (not a caller's subsegment). */
  readonly real?: boolean;
  /** Nodes: the observation is a root segment of its trace. */
  readonly root?: boolean;
}

export interface Cell {
  /** Entities seen, complete or not; a cell whose presence drops to 0 is removed. */
  readonly presence: number;
  readonly real: number;
  readonly roots: number;
  readonly ok: number;
  /** 4xx other than throttles. */
  readonly errorOther: number;
  readonly throttle: number;
  readonly fault: number;
  readonly responseMicros: number;
  /** Earliest start. */
  readonly startTime: number;
  /** Latest end (the start of an entity still in progress counts as its end). */
  readonly endTime: number;
  readonly responseTime: Histogram;
  readonly duration: Histogram;
  readonly age: Histogram;
}

export interface NodeCell extends Cell {
  readonly node: NodeId;
}

export interface EdgeCell extends Cell {
  readonly source: NodeId;
  readonly target: NodeId;
  readonly edgeType: EdgeType;
}

export interface MinuteAggregate {
  readonly nodes: ReadonlyMap<string, NodeCell>;
  readonly edges: ReadonlyMap<string, EdgeCell>;
}

/** Minute (epoch seconds, a multiple of 60) -> that minute's cells. */
export interface Aggregate {
  readonly minutes: ReadonlyMap<number, MinuteAggregate>;
}

/** One service of a service or trace graph (GetServiceGraph's `Service`), numbered by its place. */
export interface GraphService {
  /** The service's place in the graph's (name, type, account id) order; edges name their target by it. */
  readonly referenceId: number;
  /** The service and its summed statistics. */
  readonly cell: NodeCell;
  /** Some trace starts at this service. */
  readonly root: boolean;
  /** The service sent segments of its own; false for client and inferred nodes. */
  readonly active: boolean;
  /** Ordered by target, synchronous before link. */
  readonly edges: readonly GraphEdge[];
}

export interface GraphEdge {
  /** The referenceId of the service the edge leads to. */
  readonly referenceId: number;
  readonly cell: EdgeCell;
}

/** One period of GetTimeSeriesServiceStatistics: the summed cells of the selected services or edges. */
export interface TimeSeriesPoint {
  /** Epoch seconds: the period's start. */
  readonly timestamp: number;
  /** Whether `statistics` sums services (nodes) or edges. */
  readonly kind: 'service' | 'edge';
  readonly statistics: Cell;
}

/** The fault count band expected for a period from the periods before it (graph/forecast.ts). */
export interface FaultForecast {
  readonly faultCountHigh: number;
  readonly faultCountLow: number;
}

export interface ForecastPoint extends TimeSeriesPoint {
  readonly forecast: FaultForecast;
}
