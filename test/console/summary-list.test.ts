import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_PAGES, XrayApi } from '../../src/console/api/client.ts';
import type { Scope, SummaryBatch, Window } from '../../src/console/api/client.ts';
import type { TraceSummary } from '../../src/console/api/types.ts';
import { appendBatch, countText, firstBatch, formatCount, isComplete } from '../../src/console/traces/summary-list.ts';
import type { SummaryList } from '../../src/console/traces/summary-list.ts';
import { startWithPatternWorkload } from '../e2e/console/workload.ts';
import type { StoredWorkload } from '../e2e/console/workload.ts';

const summaries = (...ids: string[]): TraceSummary[] => ids.map((Id) => ({ Id }));
const batch = (ids: string[], nextToken: string | undefined, processed = ids.length): SummaryBatch => ({ summaries: summaries(...ids), processed, nextToken });
const WINDOW = { start: 100, end: 200 };

describe('summary list', () => {
  it('adds batch after batch, each trace once, until a batch has no token', () => {
    let list = firstBatch(WINDOW, { filter: 'fault' }, batch(['c', 'b'], 't1', 5));
    expect(isComplete(list)).toBe(false);
    list = appendBatch(list, batch(['b', 'a'], undefined, 3));
    expect(list.summaries.map((s) => s.Id)).toEqual(['c', 'b', 'a']);
    expect(list).toMatchObject({ window: WINDOW, scope: { filter: 'fault' }, processed: 8, nextToken: undefined });
    expect(isComplete(list)).toBe(true);
  });

  it('says how many are loaded and whether that is all', () => {
    const partial = firstBatch(WINDOW, {}, batch(Array.from({ length: 1200 }, (_, i) => `t${i}`), 'more'));
    expect(countText(partial, undefined)).toBe('1,200 traces loaded, newest first; older ones in this range are not loaded yet, and the histogram and sorting cover only these');
    expect(countText(partial, 'more')).toBe('1,200 traces loaded, loading more…');
    expect(countText(partial, 'first')).toBe('Loading…');
    expect(countText(undefined, 'first')).toBe('Loading…');
    expect(countText(undefined, undefined)).toBe('');
    expect(countText(firstBatch(WINDOW, {}, batch(['a'], undefined)), undefined)).toBe('1 trace, all loaded');
    expect(countText(firstBatch(WINDOW, {}, batch([], undefined)), undefined)).toBe('No traces');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('trace summaries a batch at a time, from the service', () => {
  const REQUESTS = 45;
  const PAGE = 2;
  let workload: StoredWorkload;
  let api: XrayApi;
  let window: Window;

  beforeAll(async () => {
    const now = Date.now() / 1000;
    workload = await startWithPatternWorkload(REQUESTS, now, { summariesPageSize: PAGE });
    api = new XrayApi(workload.service.api.url);
    window = { start: now - 900, end: now + 1 };
  });

  afterAll(async () => {
    await workload?.service.stop();
  });

  async function loadAll(scope: Scope, limit: number): Promise<{ list: SummaryList; batches: number }> {
    let list = firstBatch(window, scope, await api.traceSummaries(window, scope, limit));
    let batches = 1;
    while (!isComplete(list)) {
      list = appendBatch(list, await api.traceSummaries(list.window, list.scope, limit, list.nextToken));
      batches += 1;
    }
    return { list, batches };
  }

  it('keeps whole pages, and stops a batch after MAX_BATCH_PAGES pages', async () => {
    const small = await api.traceSummaries(window, {}, 3);
    expect(small.summaries).toHaveLength(4);
    expect(small.nextToken).toBeDefined();
    const large = await api.traceSummaries(window, {}, 1000);
    expect(large.summaries).toHaveLength(MAX_BATCH_PAGES * PAGE);
    expect(large.nextToken).toBeDefined();
  });

  it('reads every stored trace once, newest first, following the tokens to the end', async () => {
    const { list, batches } = await loadAll({}, 1000);
    expect(batches).toBe(2);
    const ids = list.summaries.map((summary) => summary.Id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...workload.responseTimes.keys()].sort());
    const starts = list.summaries.map((summary) => summary.StartTime ?? 0);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('sends the filter with every batch', async () => {
    const { list, batches } = await loadAll({ filter: 'service("http-flow") { fault }' }, 4);
    expect(batches).toBeGreaterThan(1);
    expect(list.summaries.map((summary) => summary.Id).sort()).toEqual([...workload.faultedTraceIds].sort());
  });
});
