export interface Bin {
  /** Seconds, inclusive. */
  readonly from: number;
  /** Seconds, exclusive (the last bin includes it). */
  readonly to: number;
  readonly count: number;
}

/** Weighted values in `binCount` equal bins from 0 to a round ceiling above the largest value. */
export function binValues(values: ReadonlyArray<{ readonly value: number; readonly count: number }>, binCount = 30): Bin[] {
  const finite = values.filter((entry) => Number.isFinite(entry.value) && entry.value >= 0 && entry.count > 0);
  if (finite.length === 0) return [];
  const max = Math.max(...finite.map((entry) => entry.value));
  const width = niceStep(max / binCount);
  const counts = new Array<number>(binCount).fill(0);
  for (const entry of finite) {
    const index = Math.min(binCount - 1, Math.floor(entry.value / width));
    counts[index] = (counts[index] ?? 0) + entry.count;
  }
  const bins = counts.map((count, index) => ({ from: index * width, to: (index + 1) * width, count }));
  // Trailing empty bins only widen the chart.
  while (bins.length > 1 && bins[bins.length - 1]?.count === 0) bins.pop();
  return bins;
}

/** 1, 2 or 5 times a power of ten, at least `raw` (and at least a microsecond). */
export function niceStep(raw: number): number {
  const value = Math.max(raw, 1e-6);
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= value - 1e-12) return roundTo(factor * power);
  return roundTo(10 * power);
}

function roundTo(value: number): number {
  return Number(value.toPrecision(6));
}
