/** A readable view of a service graph for golden comparisons: nodes and edges by "name | type". */
import type { ServiceJson, StatisticsJson } from '../../../src/xray/api/graph-json.ts';

/** [ok, errors (throttles included), throttles, faults] */
export type Counts = [number, number, number, number];

export interface EdgeDigest {
  counts: Counts;
  responseTime: number;
  link?: { age: Array<[number, number]> };
}

export interface NodeDigest {
  root: boolean;
  state: 'active' | 'unknown';
  account?: string;
  counts: Counts;
  responseTime: number;
  edges: Record<string, EdgeDigest>;
}

export function label(service: Pick<ServiceJson, 'Name' | 'Type'>): string {
  return `${service.Name} | ${service.Type ?? '-'}`;
}

export function counts(statistics: StatisticsJson): Counts {
  return [statistics.OkCount, statistics.ErrorStatistics.TotalCount, statistics.ErrorStatistics.ThrottleCount, statistics.FaultStatistics.TotalCount];
}

/** Seconds rounded to the microsecond, to compare sums of float times. */
const micro = (seconds: number): number => Math.round(seconds * 1e6) / 1e6;

export function digest(services: readonly ServiceJson[]): Record<string, NodeDigest> {
  const byId = new Map(services.map((service) => [service.ReferenceId, service]));
  const result: Record<string, NodeDigest> = {};
  for (const service of services) {
    const edges: Record<string, EdgeDigest> = {};
    for (const edge of service.Edges) {
      const target = byId.get(edge.ReferenceId);
      if (target === undefined) throw new Error(`edge of ${label(service)} points to unknown ReferenceId ${edge.ReferenceId}`);
      const entry: EdgeDigest = { counts: counts(edge.SummaryStatistics), responseTime: micro(edge.SummaryStatistics.TotalResponseTime) };
      if (edge.EdgeType === 'link') entry.link = { age: (edge.ReceivedEventAgeHistogram ?? []).map((h) => [h.Value, h.Count]) };
      edges[label(target)] = entry;
    }
    result[label(service)] = {
      root: service.Root,
      state: service.State,
      ...(service.AccountId === undefined ? {} : { account: service.AccountId }),
      counts: counts(service.SummaryStatistics),
      responseTime: micro(service.SummaryStatistics.TotalResponseTime),
      edges,
    };
  }
  return result;
}
