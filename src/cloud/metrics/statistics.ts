/**
 * Datapoints aggregated into periods, as GetMetricStatistics and GetMetricData compute them: a
 * period starts at a multiple of its length from the epoch; datapoints of different units are
 * aggregated apart (one result each, as CloudWatch does when no Unit is asked for). Percentiles
 * are nearest-rank over the values recorded; a period with only statistic sets has none.
 */
import type { Datapoint, MetricUnit } from './model.ts';

export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
export const STATISTICS: readonly Statistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

export interface PeriodAggregate {
  readonly timestampMs: number;
  readonly unit: MetricUnit;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  /** Sorted ascending with counts; empty when only statistic sets were recorded. */
  readonly values: readonly (readonly [number, number])[];
  /** Sample count of `values` (less than `sampleCount` when statistic sets were mixed in). */
  readonly valuesCount: number;
}

export function aggregate(datapoints: readonly Datapoint[], periodMs: number, unit?: MetricUnit): PeriodAggregate[] {
  const byKey = new Map<string, { timestampMs: number; unit: MetricUnit; points: Datapoint[] }>();
  for (const point of datapoints) {
    if (unit !== undefined && point.unit !== unit) continue;
    const start = Math.floor(point.timestampMs / periodMs) * periodMs;
    const key = `${start}\u0000${point.unit}`;
    const group = byKey.get(key) ?? { timestampMs: start, unit: point.unit, points: [] };
    group.points.push(point);
    byKey.set(key, group);
  }
  const out: PeriodAggregate[] = [];
  for (const { timestampMs, unit: groupUnit, points } of byKey.values()) {
    let sampleCount = 0;
    let sum = 0;
    let minimum = Number.POSITIVE_INFINITY;
    let maximum = Number.NEGATIVE_INFINITY;
    const values: [number, number][] = [];
    let valuesCount = 0;
    for (const point of points) {
      sampleCount += point.sampleCount;
      sum += point.sum;
      minimum = Math.min(minimum, point.minimum);
      maximum = Math.max(maximum, point.maximum);
      for (const [value, count] of point.values ?? []) {
        values.push([value, count]);
        valuesCount += count;
      }
    }
    values.sort((a, b) => a[0] - b[0]);
    out.push({ timestampMs, unit: groupUnit, sampleCount, sum, minimum, maximum, values, valuesCount });
  }
  return out.sort((a, b) => a.timestampMs - b.timestampMs || (a.unit < b.unit ? -1 : 1));
}

export function statistic(period: PeriodAggregate, name: Statistic): number {
  switch (name) {
    case 'SampleCount': return period.sampleCount;
    case 'Sum': return period.sum;
    case 'Minimum': return period.minimum;
    case 'Maximum': return period.maximum;
    case 'Average': return period.sampleCount === 0 ? 0 : period.sum / period.sampleCount;
  }
}

/** `p99`, `p99.9`, `p0`..`p100`: the percentile, or undefined when the name is not one. */
export function percentileOf(name: string): number | undefined {
  const match = /^p(\d{1,2}(?:\.\d{1,10})?|100(?:\.0{1,10})?)$/.exec(name);
  if (match === null) return undefined;
  const p = Number(match[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

/** Nearest-rank percentile of the period's values; undefined when it has none. */
export function percentile(period: PeriodAggregate, p: number): number | undefined {
  if (period.valuesCount === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * period.valuesCount));
  let seen = 0;
  for (const [value, count] of period.values) {
    seen += count;
    if (seen >= rank) return value;
  }
  return period.values[period.values.length - 1]?.[0];
}
