/** How `xray-tracer map` prints a service graph: node and edge tables in a fixed order, or the API's shape. */
import type { EdgeStatistics, GetServiceGraphCommandOutput, Service, ServiceStatistics } from '@aws-sdk/client-xray';
import { alignedTable, printable } from '../xray-api/index.ts';

export type ServiceGraph = Pick<GetServiceGraphCommandOutput, 'Services' | 'StartTime' | 'EndTime' | 'ContainsOldGroupVersions' | 'NextToken'>;

/** Case-insensitive first (Hits among the flows, not before them), then exact: a total order. */
function compare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function label(service: Service | undefined): string {
  if (service === undefined) return '?';
  return service.Type === undefined ? service.Name ?? '?' : `${service.Name ?? '?'} (${service.Type})`;
}

function average(statistics: ServiceStatistics | EdgeStatistics | undefined): string {
  const count = statistics?.TotalCount ?? 0;
  return count === 0 || statistics?.TotalResponseTime === undefined ? '-' : `${((statistics.TotalResponseTime / count) * 1000).toFixed(1)} ms`;
}

/** Enough digits that a quiet service over a long range does not read as 0. */
export function rate(perMinute: number): string {
  return perMinute === 0 ? '0' : perMinute >= 10 ? perMinute.toFixed(0) : perMinute >= 1 ? perMinute.toFixed(1) : perMinute >= 0.01 ? perMinute.toFixed(2) : '<0.01';
}

function count(value: number | undefined): string {
  return String(value ?? 0);
}

function time(date: Date | undefined): string {
  return date === undefined ? '?' : date.toISOString().replace('T', ' ').replace('.000Z', '').replace('Z', '');
}

export function formatMap(graph: ServiceGraph): string[] {
  const services = [...(graph.Services ?? [])].sort((a, b) => compare(a.Name ?? '', b.Name ?? '') || compare(a.Type ?? '', b.Type ?? '') || (a.ReferenceId ?? 0) - (b.ReferenceId ?? 0));
  const seconds = graph.StartTime !== undefined && graph.EndTime !== undefined ? (graph.EndTime.getTime() - graph.StartTime.getTime()) / 1000 : 0;
  const minutes = seconds / 60;
  const heading = `service map ${time(graph.StartTime)} to ${time(graph.EndTime)} UTC (${minutes.toFixed(minutes % 1 === 0 ? 0 : 1)} min)`;
  if (services.length === 0) return [heading, 'no services sent traces in this time range'];

  const nodes = alignedTable(
    [{ title: 'node' }, { title: 'type' }, ...['requests', '/min', 'average', 'ok', 'error', 'throttle', 'fault'].map((title) => ({ title, align: 'right' as const }))],
    services.map((s) => {
      const stats = s.SummaryStatistics;
      return [
        s.Name ?? '?',
        s.Type ?? '-',
        count(stats?.TotalCount),
        minutes > 0 ? rate((stats?.TotalCount ?? 0) / minutes) : '-',
        average(stats),
        count(stats?.OkCount),
        count(stats?.ErrorStatistics?.OtherCount),
        count(stats?.ErrorStatistics?.ThrottleCount),
        count(stats?.FaultStatistics?.TotalCount),
      ];
    }),
  );

  const byReference = new Map(services.map((s) => [s.ReferenceId, s]));
  const edges = services
    .flatMap((from) => (from.Edges ?? []).map((edge) => ({ from: label(from), to: label(byReference.get(edge.ReferenceId)), edge })))
    .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  const edgeTable = alignedTable(
    [{ title: 'from' }, { title: '' }, { title: 'to' }, ...['requests', 'average', 'faults'].map((title) => ({ title, align: 'right' as const })), { title: '' }],
    edges.map(({ from, to, edge }) => [
      from,
      '->',
      to,
      count(edge.SummaryStatistics?.TotalCount),
      // A link's caller does not wait for the consumer (SQS to Lambda): it has no response time.
      edge.EdgeType === 'link' ? '-' : average(edge.SummaryStatistics),
      count(edge.SummaryStatistics?.FaultStatistics?.TotalCount),
      edge.EdgeType === 'link' ? 'async link' : '',
    ]),
  );
  return [
    printable(heading),
    '',
    ...nodes,
    '',
    ...edgeTable,
    '',
    `${services.length} node${services.length === 1 ? '' : 's'}, ${edges.length} edge${edges.length === 1 ? '' : 's'}`,
  ];
}

/** The GetServiceGraph response shape, times in epoch seconds as on the wire. */
export function formatJson(graph: ServiceGraph): string {
  const body = {
    Services: graph.Services ?? [],
    StartTime: graph.StartTime,
    EndTime: graph.EndTime,
    ContainsOldGroupVersions: graph.ContainsOldGroupVersions,
    ...(graph.NextToken === undefined ? {} : { NextToken: graph.NextToken }),
  };
  return JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  }, 2);
}
