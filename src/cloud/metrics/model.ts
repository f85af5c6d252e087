/**
 * CloudWatch metrics as the local cloud holds them: a metric is a namespace, a name and a set of
 * dimensions (order does not matter: CloudWatch treats `{A,B}` and `{B,A}` as one metric); each
 * datapoint is a statistic set (count, sum, minimum, maximum) plus, when the values are known
 * (EMF, PutMetricData Values/Counts, the services' own), the values with their counts, which
 * percentiles need.
 */

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;
export type MetricUnit = (typeof UNITS)[number];
const UNIT_SET: ReadonlySet<string> = new Set(UNITS);

export function isMetricUnit(value: string): value is MetricUnit {
  return UNIT_SET.has(value);
}

export interface Dimension {
  readonly name: string;
  readonly value: string;
}

export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  /** In any order; stored sorted by name. */
  readonly dimensions: readonly Dimension[];
}

/** One observation or aggregate, as PutMetricData, EMF and the services record it. */
export interface Datapoint extends MetricId {
  readonly timestampMs: number;
  readonly unit: MetricUnit;
  /** 1 (high resolution) or 60. */
  readonly storageResolutionSeconds: 1 | 60;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  /** Distinct values and how often each was seen; absent for a statistic set. */
  readonly values?: readonly (readonly [value: number, count: number])[];
}

/** A datapoint from plain values (each with count 1 unless counts are given). */
export function datapointFromValues(
  id: MetricId,
  values: readonly number[],
  options: { timestampMs: number; unit?: MetricUnit; storageResolutionSeconds?: 1 | 60; counts?: readonly number[] },
): Datapoint {
  const counted: (readonly [number, number])[] = values.map((value, i) => [value, options.counts?.[i] ?? 1] as const);
  let sampleCount = 0;
  let sum = 0;
  let minimum = Number.POSITIVE_INFINITY;
  let maximum = Number.NEGATIVE_INFINITY;
  for (const [value, count] of counted) {
    if (count <= 0) continue;
    sampleCount += count;
    sum += value * count;
    minimum = Math.min(minimum, value);
    maximum = Math.max(maximum, value);
  }
  return {
    ...id,
    timestampMs: options.timestampMs,
    unit: options.unit ?? 'None',
    storageResolutionSeconds: options.storageResolutionSeconds ?? 60,
    sampleCount,
    sum,
    minimum,
    maximum,
    values: counted.filter(([, count]) => count > 0),
  };
}

/** The canonical key of a dimension set: sorted by name, as JSON. */
export function dimensionsKey(dimensions: readonly Dimension[]): string {
  return JSON.stringify(sortedDimensions(dimensions).map((d) => [d.name, d.value]));
}

export function sortedDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
