export interface Bin {
  /** Seconds, inclusive. */
  readonly from: number;
  /** Seconds, exclusive (the last bin includes it). */
  readonly to: number;
  readonly count: number;
}

type Weighted = ReadonlyArray<{ readonly value: number; readonly count: number }>;

/** Weighted values in `binCount` equal bins from 0 to a round ceiling above the largest value. */
export function binValues(values: Weighted, binCount = 30): Bin[] {
  return binSets([values], binCount)[0] ?? [];
}

/**
 * Several sets of weighted values in the same bins, sized for the largest value of any set, so that
 * they can be drawn side by side; each set has as many bins, the trailing ones empty in all dropped.
 */
export function binSets(sets: readonly Weighted[], binCount = 30): Bin[][] {
  const finite = sets.map((values) => values.filter((entry) => Number.isFinite(entry.value) && entry.value >= 0 && entry.count > 0));
  const all = finite.flat();
  if (all.length === 0) return sets.map(() => []);
  // A loop, not Math.max(...values): 100,000 arguments overflow the stack.
  let max = 0;
  for (const entry of all) if (entry.value > max) max = entry.value;
  const width = niceStep(max / binCount);
  const counted = finite.map((values) => {
    const counts = new Array<number>(binCount).fill(0);
    for (const entry of values) {
      const index = Math.min(binCount - 1, Math.floor(entry.value / width));
      counts[index] = (counts[index] ?? 0) + entry.count;
    }
    return counts;
  });
  // Trailing empty bins only widen the chart.
  let length = binCount;
  while (length > 1 && counted.every((counts) => counts[length - 1] === 0)) length -= 1;
  return counted.map((counts) => counts.slice(0, length).map((count, index) => ({ from: index * width, to: (index + 1) * width, count })));
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
