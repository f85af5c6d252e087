/**
 * Histograms of seconds, bucketed so they stay small and merge exactly: a value is rounded to
 * two significant digits, then to whole milliseconds (0.01234 s -> 0.012, 1.234 s -> 1.2,
 * 0.0004 s -> 0). That bounds a histogram to about 90 entries a decade; negative inputs (clock
 * skew between hosts) count as 0.
 */

import type { Histogram } from '../model/graph.ts';

export type { Histogram };

export function bucketSeconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  const significant = Number(seconds.toPrecision(2));
  return Math.round(significant * 1000) / 1000;
}

/** Adds `sign` times `from` into `into`; entries that reach zero are removed. */
export function addHistogram(into: Map<number, number>, from: Histogram, sign: 1 | -1 = 1): void {
  for (const [value, count] of from) {
    const next = (into.get(value) ?? 0) + sign * count;
    if (next === 0) into.delete(value);
    else into.set(value, next);
  }
}

export function addSample(into: Map<number, number>, seconds: number): void {
  const value = bucketSeconds(seconds);
  into.set(value, (into.get(value) ?? 0) + 1);
}
