import type { LoadResult } from './run-load.ts';

export interface LoadSummary {
  readonly requests: number;
  /** HTTP status -> count, ascending by status. */
  readonly statuses: ReadonlyArray<readonly [number, number]>;
  /** Failure reason (no HTTP answer) -> count. */
  readonly failures: ReadonlyArray<readonly [string, number]>;
  /** Of the requests that got an answer; undefined when none did. */
  readonly latency: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number } | undefined;
  readonly requestsPerSecond: number;
  readonly elapsedMillis: number;
}

/** Nearest-rank percentile of ascending values: the smallest value with at least p% at or below it. */
export function percentile(ascending: ReadonlyArray<number>, p: number): number | undefined {
  if (ascending.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[Math.min(rank, ascending.length) - 1];
}

export function summarize(result: LoadResult): LoadSummary {
  const statuses = new Map<number, number>();
  const failures = new Map<string, number>();
  const latencies: number[] = [];
  for (const request of result.results) {
    if (request.status !== undefined) {
      statuses.set(request.status, (statuses.get(request.status) ?? 0) + 1);
      latencies.push(request.latencyMillis);
    } else {
      const reason = request.failure ?? 'unknown';
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    }
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number): number => percentile(latencies, p) ?? 0;
  return {
    requests: result.results.length,
    statuses: [...statuses].sort(([a], [b]) => a - b),
    failures: [...failures].sort(([, a], [, b]) => b - a),
    latency: latencies.length === 0 ? undefined : { p50: at(50), p90: at(90), p99: at(99), max: latencies[latencies.length - 1] ?? 0 },
    requestsPerSecond: result.elapsedMillis > 0 ? (result.results.length * 1000) / result.elapsedMillis : 0,
    elapsedMillis: result.elapsedMillis,
  };
}

export function formatSummary(summary: LoadSummary, plan: { url: string; concurrency: number }): string[] {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const lines = [
    `${summary.requests} requests to ${plan.url} in ${(summary.elapsedMillis / 1000).toFixed(2)} s ` +
      `(${summary.requestsPerSecond.toFixed(1)} requests/s, concurrency ${plan.concurrency})`,
    `status: ${summary.statuses.length === 0 ? 'none' : summary.statuses.map(([status, count]) => `${status} x${count}`).join(', ')}`,
  ];
  if (summary.failures.length > 0) {
    lines.push(`failed without an answer: ${summary.failures.map(([reason, count]) => `${reason} x${count}`).join(', ')}`);
  }
  if (summary.latency) {
    const { p50, p90, p99, max } = summary.latency;
    lines.push(`latency: p50 ${ms(p50)}, p90 ${ms(p90)}, p99 ${ms(p99)}, max ${ms(max)}`);
  }
  return lines;
}
