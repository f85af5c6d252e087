import { describe, expect, it } from 'vitest';
import type { SummaryBatch } from '../../src/console/api/client.ts';
import { sortValues, sortedOrder } from '../../src/console/traces/sort-order.ts';
import { sortSummaries } from '../../src/console/traces/sort.ts';
import { MAX_LOADED_SUMMARIES, appendBatch, countText, firstBatch, isCapped } from '../../src/console/traces/summary-list.ts';
import { visibleRows } from '../../src/console/traces/visible-rows.ts';

const WINDOW = { start: 0, end: 1 };
const batchOf = (from: number, count: number, nextToken: string | undefined): SummaryBatch => ({
  summaries: Array.from({ length: count }, (_, i) => ({ Id: `t${from + i}`, ResponseTime: (from + i) % 7, StartTime: from + i })),
  processed: count,
  nextToken,
});

describe('rows in view', () => {
  it('renders the rows in the box and overscan, and leaves the rest as space', () => {
    expect(visibleRows(100_000, 30, 0, 600, 10)).toEqual({ from: 0, to: 30, topPx: 0, bottomPx: (100_000 - 30) * 30 });
    expect(visibleRows(100_000, 30, 30_000, 600, 10)).toEqual({ from: 990, to: 1030, topPx: 990 * 30, bottomPx: (100_000 - 1030) * 30 });
    // Past the end (the list shrank under the scroll offset): nothing rendered, no negative space.
    expect(visibleRows(5, 30, 30_000, 600, 10)).toEqual({ from: 5, to: 5, topPx: 150, bottomPx: 0 });
    expect(visibleRows(0, 30, 0, 600)).toEqual({ from: 0, to: 0, topPx: 0, bottomPx: 0 });
  });
});

describe('sorting by precomputed keys', () => {
  it('orders as sortSummaries does, ties in the service order, both directions', () => {
    const summaries = batchOf(0, 50, undefined).summaries;
    for (const key of ['responseTime', 'id', 'time', 'status'] as const) {
      for (const descending of [false, true]) {
        const order = sortedOrder(sortValues(summaries, key), descending);
        expect(Array.from(order, (i) => summaries[i]!.Id)).toEqual(sortSummaries(summaries, { key, descending }).map((s) => s.Id));
      }
    }
  });
});

describe('a list at the cap', () => {
  it('stops Load all at MAX_LOADED_SUMMARIES and says so', () => {
    let list = firstBatch(WINDOW, {}, batchOf(0, 1000, 'next'));
    while (list.summaries.length < MAX_LOADED_SUMMARIES) list = appendBatch(list, batchOf(list.summaries.length, 1000, 'next'));
    expect(list.summaries).toHaveLength(MAX_LOADED_SUMMARIES);
    expect(list.ids.size).toBe(MAX_LOADED_SUMMARIES);
    expect(isCapped(list)).toBe(true);
    expect(countText(list, undefined)).toBe('100,000 traces loaded, the most the console holds; more match in this range: narrow the range or add a filter to see them');
    expect(countText(list, undefined, { count: 110_000, complete: true })).toBe('100,000 of 110,000 traces loaded, the most the console holds; more match in this range: narrow the range or add a filter to see them');
    // The last page: not capped, complete.
    expect(isCapped(appendBatch(list, batchOf(list.summaries.length, 0, undefined)))).toBe(false);
  });
});

describe('the count line with the service\'s total', () => {
  it('says how many of how many are loaded, and "at least" when the count stopped short', () => {
    const list = firstBatch(WINDOW, {}, batchOf(0, 1000, 'next'));
    expect(countText(list, undefined, { count: 24_261, complete: true }))
      .toBe('1,000 of 24,261 traces loaded, newest first; older ones in this range are not loaded yet, and the histogram and sorting cover only these');
    expect(countText(list, 'more', { count: 24_261, complete: true })).toBe('1,000 of 24,261 traces loaded, loading more…');
    expect(countText(list, 'more', { count: 500_000, complete: false })).toBe('1,000 of at least 500,000 traces loaded, loading more…');
    expect(countText(list, undefined)).toContain('1,000 traces loaded, newest first');
  });
});
