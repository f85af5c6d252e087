import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../src/console/api/types.ts';
import type { Dimension } from '../../src/console/analytics/breakdown.ts';
import { HTTP_STATUSES, countValues } from '../../src/console/analytics/breakdown.ts';
import { CountsCache } from '../../src/console/analytics/counts-cache.ts';

const summary = (n: number): TraceSummary => ({ Id: `t${n}`, Http: { HttpStatus: n % 3 === 0 ? 502 : 200 } });

describe('breakdown counts kept between renders', () => {
  it('counts a growing list once a summary, and equals a count of the whole list', () => {
    const cache = new CountsCache();
    let looked = 0;
    const watched: Dimension = { ...HTTP_STATUSES, valuesOf: (s) => { looked += 1; return HTTP_STATUSES.valuesOf(s); } };
    let list: TraceSummary[] = [];
    for (let batch = 0; batch < 20; batch++) {
      list = list.concat(Array.from({ length: 1000 }, (_, i) => summary(batch * 1000 + i)));
      expect(cache.count('a:status', list, watched)).toEqual(countValues(list, HTTP_STATUSES));
    }
    // 20,000 summaries looked at once each, not 210,000 (1,000 + 2,000 + ... + 20,000).
    expect(looked).toBe(20_000);
    // The same list again: nothing counted, the same answer.
    const before = cache.count('a:status', list, watched);
    expect(cache.count('a:status', list, watched)).toBe(before);
    expect(looked).toBe(20_000);
  });

  it('starts afresh for another view, and keeps each name apart', () => {
    const cache = new CountsCache();
    const first = [summary(0), summary(1)];
    expect(cache.count('a:status', first, HTTP_STATUSES).total).toBe(2);
    const other = [summary(3)];
    expect(cache.count('a:status', other, HTTP_STATUSES)).toEqual(countValues(other, HTTP_STATUSES));
    expect(cache.count('b:status', first, HTTP_STATUSES)).toEqual(countValues(first, HTTP_STATUSES));
    // A shorter cut of the same list (a lower limit) is counted afresh too.
    expect(cache.count('b:status', first.slice(0, 1), HTTP_STATUSES)).toEqual(countValues(first.slice(0, 1), HTTP_STATUSES));
  });
});
