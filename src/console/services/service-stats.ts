/**
 * The Services page's numbers: per service-graph node (a service) its requests, faults, errors and
 * latency percentiles from its response-time histogram; per operation of an entry service (its
 * API: method and path, from the trace summaries) the same from the traces' response times.
 */
import type { Service, TraceSummary } from '../api/types.ts';

export interface ServiceRow {
  readonly name: string;
  readonly type: string;
  readonly requests: number;
  readonly faults: number;
  readonly errors: number;
  /** Seconds; undefined without requests. */
  readonly p50: number | undefined;
  readonly p90: number | undefined;
  readonly p99: number | undefined;
}

export interface OperationRow extends ServiceRow {
  readonly operation: string;
}

/** Nearest-rank percentile of (value, count) pairs. */
export function histogramPercentile(entries: ReadonlyArray<{ readonly Value?: number; readonly Count?: number }>, p: number): number | undefined {
  const sorted = entries.filter((e) => (e.Count ?? 0) > 0).map((e) => [e.Value ?? 0, e.Count ?? 0] as const).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}

export function serviceRows(services: readonly Service[]): ServiceRow[] {
  return services
    .filter((s) => s.SummaryStatistics !== undefined && s.Type !== 'client')
    .map((s) => {
      const stats = s.SummaryStatistics;
      const histogram = s.ResponseTimeHistogram ?? [];
      return {
        name: s.Name ?? '',
        type: s.Type ?? '',
        requests: stats?.TotalCount ?? 0,
        faults: stats?.FaultStatistics?.TotalCount ?? 0,
        errors: stats?.ErrorStatistics?.TotalCount ?? 0,
        p50: histogramPercentile(histogram, 50),
        p90: histogramPercentile(histogram, 90),
        p99: histogramPercentile(histogram, 99),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export function operationRows(summaries: readonly TraceSummary[]): OperationRow[] {
  const groups = new Map<string, { name: string; type: string; operation: string; times: number[]; faults: number; errors: number }>();
  for (const summary of summaries) {
    const entry = summary.EntryPoint;
    if (entry?.Name === undefined) continue;
    const operation = `${summary.Http?.HttpMethod ?? '-'} ${pathOf(summary.Http?.HttpURL)}`.trim();
    const key = `${entry.Name}\u0000${entry.Type ?? ''}\u0000${operation}`;
    const group = groups.get(key) ?? { name: entry.Name, type: entry.Type ?? '', operation, times: [], faults: 0, errors: 0 };
    if (summary.ResponseTime !== undefined) group.times.push(summary.ResponseTime);
    if (summary.HasFault === true) group.faults += 1;
    if (summary.HasError === true) group.errors += 1;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => {
    const entries = g.times.map((t) => ({ Value: t, Count: 1 }));
    return {
      name: g.name, type: g.type, operation: g.operation, requests: g.times.length, faults: g.faults, errors: g.errors,
      p50: histogramPercentile(entries, 50), p90: histogramPercentile(entries, 90), p99: histogramPercentile(entries, 99),
    };
  }).sort((a, b) => b.requests - a.requests || a.operation.localeCompare(b.operation));
}
