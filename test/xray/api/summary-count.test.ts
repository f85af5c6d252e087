import { describe, expect, it } from 'vitest';
import { countTraceSummaries } from '../../../src/xray/api/summary-count.ts';
import { getTraceSummaries } from '../../../src/xray/api/traces.ts';
import type { TraceOperationsOptions } from '../../../src/xray/api/traces.ts';
import { ApiError } from '../../../src/xray/http/errors.ts';
import { validateDocument } from '../../../src/xray/segments/validate.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import type { SegmentRecord } from '../../../src/xray/store/index.ts';

const T0 = 1_750_000_000;
const TRACES = 5_000;
const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

function storeOf(count: number): MemoryTraceStore {
  const store = new MemoryTraceStore({ nowSeconds: () => T0 + 3600 });
  const records: SegmentRecord[] = [];
  for (let n = 0; n < count; n++) {
    const start = T0 + n * 0.5;
    const result = validateDocument(JSON.stringify({
      name: 'api', id: hex(n, 16), trace_id: `1-${hex(Math.floor(start), 8)}-${hex(n, 24)}`, start_time: start, end_time: start + 0.1,
      ...(n % 3 === 0 ? { fault: true } : {}),
    }));
    if (!result.ok) throw new Error(result.message);
    records.push(result.record);
  }
  store.write(records);
  return store;
}

function options(store: MemoryTraceStore): TraceOperationsOptions {
  return { store, writer: { commit: async () => undefined } as never, validate: validateDocument, summariesPageSize: 100 };
}

/** What a client paging GetTraceSummaries to the end finds. */
async function pagedCount(store: MemoryTraceStore, body: Record<string, unknown>): Promise<number> {
  const page = getTraceSummaries(options(store));
  let count = 0;
  let token: string | undefined;
  do {
    const answer = await page({ ...body, NextToken: token });
    count += answer.TraceSummaries?.length ?? 0;
    token = answer.NextToken;
  } while (token !== undefined);
  return count;
}

describe('POST /local/TraceSummaryCount', () => {
  const store = storeOf(TRACES);
  const count = countTraceSummaries(options(store));
  const hour = { StartTime: T0, EndTime: T0 + 3600, TimeRangeType: 'Event' };

  it('counts what GetTraceSummaries lists page after page, with and without a filter', async () => {
    expect(await count(hour)).toEqual({ TraceCount: TRACES, Complete: true });
    expect(await pagedCount(store, hour)).toBe(TRACES);
    const faults = { ...hour, FilterExpression: 'fault' };
    expect(await count(faults)).toEqual({ TraceCount: Math.ceil(TRACES / 3), Complete: true });
    expect(await pagedCount(store, faults)).toBe(Math.ceil(TRACES / 3));
    // Half the hour's traces are in its first 1,250 seconds.
    expect(await count({ StartTime: T0, EndTime: T0 + 1249.9, TimeRangeType: 'Event' })).toEqual({ TraceCount: 2500, Complete: true });
  });

  it('refuses what GetTraceSummaries refuses', async () => {
    await expect(count({ StartTime: T0 + 10, EndTime: T0 })).rejects.toBeInstanceOf(ApiError);
    await expect(count({ ...hour, FilterExpression: 'fault =' })).rejects.toMatchObject({ status: 400 });
  });

  it('answers a lower bound, marked so, when counting runs past its time budget', async () => {
    let clockMs = 0;
    // Each look at the clock is a second later: the budget of 1.5 s runs out after the first step.
    const bounded = countTraceSummaries({ ...options(store), budgetMs: 1500, nowMs: () => (clockMs += 1000) });
    const answer = await bounded(hour);
    expect(answer.Complete).toBe(false);
    expect(answer.TraceCount).toBeGreaterThan(0);
    expect(answer.TraceCount).toBeLessThan(TRACES);
  });
});
