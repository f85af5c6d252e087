import type { HistogramEntry, Service, ServiceStatistics } from '../api/types.ts';

/** Counts behind a health ring: every request is exactly one of these. */
export interface Health {
  readonly ok: number;
  /** 4xx other than throttling. */
  readonly error: number;
  /** 429. */
  readonly throttle: number;
  /** 5xx. */
  readonly fault: number;
  readonly total: number;
}

export interface MapNode {
  /** `type|name`: X-Ray tells nodes apart by name and type (a Lambda is two nodes of one name). */
  readonly key: string;
  readonly referenceId: number;
  readonly name: string;
  readonly type: string;
  readonly root: boolean;
  readonly health: Health;
  /** Seconds; undefined without requests. */
  readonly averageResponseTime: number | undefined;
  readonly histogram: readonly HistogramEntry[];
  readonly service: Service;
}

export interface MapEdge {
  /** `sourceKey->targetKey`. */
  readonly key: string;
  readonly source: string;
  readonly target: string;
  /** Asynchronous links (SQS to its consumer) are drawn dashed. */
  readonly link: boolean;
  readonly health: Health;
  /** Undefined for an asynchronous link: X-Ray measures no response time across a queue. */
  readonly averageResponseTime: number | undefined;
  readonly histogram: readonly HistogramEntry[];
  /** A link's received event age (time from send to receipt), seconds. */
  readonly ageHistogram: readonly HistogramEntry[];
}

export interface MapGraph {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

export function nodeKey(type: string, name: string): string {
  return `${type}|${name}`;
}

export function healthOf(statistics: ServiceStatistics | undefined): Health {
  const ok = statistics?.OkCount ?? 0;
  const throttle = statistics?.ErrorStatistics?.ThrottleCount ?? 0;
  const errorTotal = statistics?.ErrorStatistics?.TotalCount ?? 0;
  const error = statistics?.ErrorStatistics?.OtherCount ?? Math.max(0, errorTotal - throttle);
  const fault = statistics?.FaultStatistics?.TotalCount ?? 0;
  return { ok, error, throttle, fault, total: statistics?.TotalCount ?? ok + error + throttle + fault };
}

function averageOf(statistics: ServiceStatistics | undefined): number | undefined {
  const total = statistics?.TotalCount ?? 0;
  const time = statistics?.TotalResponseTime;
  return total > 0 && time !== undefined ? time / total : undefined;
}

function sum(a: Health, b: Health): Health {
  return { ok: a.ok + b.ok, error: a.error + b.error, throttle: a.throttle + b.throttle, fault: a.fault + b.fault, total: a.total + b.total };
}

const NO_REQUESTS: Health = { ok: 0, error: 0, throttle: 0, fault: 0, total: 0 };

/**
 * The API's Services list as nodes and edges, sorted by key: the layout keeps this order within a
 * layer, so the same services always come out in the same places.
 */
export function toMapGraph(services: readonly Service[]): MapGraph {
  const byReference = new Map<number, Service>();
  for (const service of services) byReference.set(service.ReferenceId, service);
  const keyOf = (service: Service): string => nodeKey(service.Type ?? 'unknown', service.Name ?? `#${service.ReferenceId}`);

  const edges: MapEdge[] = [];
  for (const service of services) {
    for (const edge of service.Edges ?? []) {
      const target = byReference.get(edge.ReferenceId);
      if (target === undefined) continue;
      edges.push({
        key: `${keyOf(service)}->${keyOf(target)}`,
        source: keyOf(service),
        target: keyOf(target),
        link: edge.EdgeType === 'link',
        health: healthOf(edge.SummaryStatistics),
        averageResponseTime: edge.EdgeType === 'link' ? undefined : averageOf(edge.SummaryStatistics),
        histogram: edge.ResponseTimeHistogram ?? [],
        ageHistogram: edge.ReceivedEventAgeHistogram ?? [],
      });
    }
  }

  const nodes = services.map((service): MapNode => {
    const key = keyOf(service);
    // A client node has no statistics of its own: what it sent is on its edges.
    const clientHealth = service.Type === 'client'
      ? edges.filter((edge) => edge.source === key).reduce((total, edge) => sum(total, edge.health), NO_REQUESTS)
      : undefined;
    return {
      key,
      referenceId: service.ReferenceId,
      name: service.Name ?? `#${service.ReferenceId}`,
      type: service.Type ?? 'unknown',
      root: service.Root === true,
      health: clientHealth ?? healthOf(service.SummaryStatistics),
      averageResponseTime: averageOf(service.SummaryStatistics),
      histogram: service.ResponseTimeHistogram ?? [],
      service,
    };
  });
  return {
    nodes: nodes.sort((a, b) => compare(a.key, b.key)),
    edges: edges.sort((a, b) => compare(a.key, b.key)),
  };
}

/** Code-point order, the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Requests a minute over a window of `seconds`. */
export function perMinute(count: number, seconds: number): number {
  return seconds > 0 ? (count * 60) / seconds : 0;
}

/**
 * A node by name and type, as filter expressions and entity selectors name it. The type is the
 * service's own: a node it sent without one (drawn as `unknown`) has the type "", which is what
 * the service matches it by.
 */
export function nodeId(node: Pick<MapNode, 'name' | 'service'>): string {
  return `id(name: ${quote(node.name)}, type: ${quote(node.service.Type ?? '')})`;
}

type Selected = Pick<MapNode, 'name' | 'type' | 'service'>;

/** The filter expression that selects the traces through a node (X-Ray's `service(id(...))`). */
export function nodeFilter(node: Selected): string {
  return node.type === 'client' ? '' : `service(${nodeId(node)})`;
}

/** The filter expression that selects the traces through an edge. */
export function edgeFilter(source: Selected, target: Selected): string {
  if (source.type === 'client') return nodeFilter(target);
  return `edge(${nodeId(source)}, ${nodeId(target)})`;
}

export type StatusFilter = 'all' | 'fault' | 'error' | 'throttle';

/** A node's or edge's filter narrowed to the traces where it (not just the trace's entry) had `status`. */
export function withStatus(filter: string, status: StatusFilter): string {
  if (status === 'all') return filter;
  return filter === '' ? status : `${filter} { ${status} }`;
}

/** A filter-language string literal (its escapes are JSON's). */
export function quote(text: string): string {
  return JSON.stringify(text);
}
