/**
 * A function's metrics over time, as the console's map shows them beside a function node: its
 * AWS/Lambda metrics (Invocations, Errors, Throttles summed; Duration averaged) and every metric its
 * own output gave through EMF (Count units summed, the rest averaged), one value a period.
 * Structurally the X-Ray service's `FunctionMetricsSource`: the CLI hands one to the other.
 */
import type { MetricStore } from './metric-store.ts';
import type { MetricId } from './model.ts';
import { aggregate, statistic } from './statistics.ts';

export interface FunctionMetricSeries {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly unit: string;
  readonly stat: 'Sum' | 'Average';
  /** Period starts in epoch seconds with their value, oldest first; periods without data are absent. */
  readonly points: ReadonlyArray<{ readonly timestamp: number; readonly value: number }>;
}

const LAMBDA_SUMS = ['Invocations', 'Errors', 'Throttles'];

export class FunctionSeries {
  constructor(private readonly store: MetricStore) {}

  functionMetrics(functionName: string, window: { readonly startTime: number; readonly endTime: number }, periodSeconds: number): FunctionMetricSeries[] {
    const lambda: Array<{ id: MetricId; stat: 'Sum' | 'Average' }> = [...LAMBDA_SUMS, 'Duration'].map((metricName) => ({
      id: { namespace: 'AWS/Lambda', metricName, dimensions: [{ name: 'FunctionName', value: functionName }] },
      stat: metricName === 'Duration' ? 'Average' : 'Sum',
    }));
    const own = this.store.metricsEmittedBy(functionName).map((metric) => ({ id: metric as MetricId, stat: undefined }));
    const startMs = window.startTime * 1000;
    const endMs = window.endTime * 1000;
    const periodMs = periodSeconds * 1000;
    return [...lambda, ...own].flatMap(({ id, stat }) => {
      const periods = aggregate(this.store.datapoints(id, startMs, endMs), periodMs);
      if (periods.length === 0 && id.namespace !== 'AWS/Lambda') return [];
      const unit = periods[0]?.unit ?? (id.metricName === 'Duration' ? 'Milliseconds' : 'Count');
      const chosen = stat ?? (unit === 'Count' ? 'Sum' : 'Average');
      return [{
        namespace: id.namespace,
        metricName: id.metricName,
        dimensions: Object.fromEntries(id.dimensions.map((d) => [d.name, d.value])),
        unit,
        stat: chosen,
        points: periods.filter((p) => p.unit === unit).map((p) => ({ timestamp: p.timestampMs / 1000, value: statistic(p, chosen) })),
      }];
    });
  }
}
