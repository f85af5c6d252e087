import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ERROR_ROOT_CAUSES, FAULT_ROOT_CAUSES, HTTP_METHODS, HTTP_STATUSES, HTTP_URLS, SERVICES, annotationDimension, annotationKeys, countValues, urlLabel,
} from '../../src/console/analytics/breakdown.ts';
import type { Dimension } from '../../src/console/analytics/breakdown.ts';
import { compareCounts, differenceText, shareOf } from '../../src/console/analytics/compare.ts';
import { DEFAULT_SAMPLE_LIMIT, SAMPLE_BATCH, nextBatchSize, sampleLimitOf, sampleOf, sampleText } from '../../src/console/analytics/sample.ts';
import { buildTraceSeries, chooseTracePeriod, formatTracePeriod, tracePointText, tracesText } from '../../src/console/analytics/trace-series.ts';
import { XrayApi } from '../../src/console/api/client.ts';
import type { FaultRootCause, TraceSummary } from '../../src/console/api/types.ts';
import { MAX_PERIODS } from '../../src/console/map/time-series.ts';
import { binSets, binValues } from '../../src/console/shared/bins.ts';
import { firstBatch } from '../../src/console/traces/summary-list.ts';
import { parse } from '../../src/xray/query/index.ts';
import { HOSTILE, startWithPatternWorkload } from '../e2e/console/workload.ts';
import type { StoredWorkload } from '../e2e/console/workload.ts';

/** A root cause whose path runs through `services`, the last one where it started. */
const cause = (...services: Array<[string, string | undefined]>): FaultRootCause => ({
  Services: services.map(([Name, Type]) => ({ Name, Type, EntityPath: [{ Name, Exceptions: Name === 'remote-host' ? [{ Name: 'Error', Message: 'Bad Gateway' }] : [] }] })),
});

const SUMMARIES: TraceSummary[] = [
  {
    Id: 't1', StartTime: 1000, ResponseTime: 0.2, HasFault: true,
    Http: { HttpStatus: 502, HttpMethod: 'GET', HttpURL: 'https://api.example.com/prod/foo?x=1' },
    FaultRootCauses: [cause(['gateway', 'AWS::ApiGateway::Stage'], ['fn', 'AWS::Lambda::Function'], ['remote-host', 'remote']), cause(['gateway', 'AWS::ApiGateway::Stage'], ['remote-host', 'remote'])],
    Annotations: { path: [{ AnnotationValue: { StringValue: '/prod/foo' } }, { AnnotationValue: { StringValue: HOSTILE } }], retries: [{ AnnotationValue: { NumberValue: 2 } }] },
    ServiceIds: [{ Name: 'gateway', Type: 'AWS::ApiGateway::Stage' }, { Name: 'fn', Type: 'AWS::Lambda::Function' }, { Name: 'fn', Type: 'AWS::Lambda' }],
  },
  {
    Id: 't2', StartTime: 1010, ResponseTime: 0.4, HasError: true,
    Http: { HttpStatus: 404, HttpMethod: 'GET', HttpURL: 'https://api.example.com/prod/bar' },
    ErrorRootCauses: [cause(['gateway', 'AWS::ApiGateway::Stage'])],
    Annotations: { path: [{ AnnotationValue: { StringValue: '/prod/bar' } }], retries: [{ AnnotationValue: { StringValue: '2' } }] },
    ServiceIds: [{ Name: 'gateway', Type: 'AWS::ApiGateway::Stage' }],
  },
  {
    Id: 't3', StartTime: 1070, ResponseTime: 0.1,
    Http: { HttpStatus: 200, HttpMethod: 'POST', HttpURL: 'https://api.example.com/prod/foo?x=1' },
    FaultRootCauses: [cause(['gateway', 'AWS::ApiGateway::Stage'], ['fn', undefined])],
    Annotations: { path: [{ AnnotationValue: { StringValue: '/prod/foo' } }], cold: [{ AnnotationValue: { BooleanValue: true } }] },
    ServiceIds: [{ Name: 'gateway', Type: 'AWS::ApiGateway::Stage' }, { Name: 'fn', Type: 'AWS::Lambda::Function' }],
  },
  { Id: 't4', StartTime: 1130, HasThrottle: true, HasError: true },
];

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const rows = (dimension: Dimension, summaries = SUMMARIES) =>
  countValues(summaries, dimension).values.map((value) => [value.label, value.count, value.detail]);

describe('breakdowns', () => {
  it('counts a failed Lambda run once, under the function, when it ends in both of the function\'s nodes', () => {
    const both: TraceSummary = { Id: 'lambda', FaultRootCauses: [cause(['fn', 'AWS::Lambda']), cause(['fn', 'AWS::Lambda::Function'])] };
    expect(rows(FAULT_ROOT_CAUSES, [both])).toEqual([['fn', 1, 'AWS::Lambda::Function']]);
    // A Lambda service's own failure with no function behind it still counts.
    expect(rows(FAULT_ROOT_CAUSES, [{ Id: 'alone', FaultRootCauses: [cause(['fn', 'AWS::Lambda'])] }])).toEqual([['fn', 1, 'AWS::Lambda']]);
  });


  it('counts a fault root cause where it started, each trace once, by name and type', () => {
    expect(rows(FAULT_ROOT_CAUSES)).toEqual([['fn', 1, undefined], ['remote-host', 1, 'remote · Error: Bad Gateway']]);
    const counted = countValues(SUMMARIES, FAULT_ROOT_CAUSES);
    expect(counted).toMatchObject({ total: 4, none: 2 });
    expect(counted.values[1]?.clause).toBe('rootcause.fault.service { last AND name = "remote-host" AND type = "remote" }');
    expect(rows(ERROR_ROOT_CAUSES)).toEqual([['gateway', 1, 'AWS::ApiGateway::Stage']]);
  });

  it('counts HTTP statuses, methods and URLs, the URL shown as its path under its origin', () => {
    expect(rows(HTTP_STATUSES)).toEqual([['200', 1, undefined], ['404', 1, undefined], ['502', 1, undefined]]);
    expect(countValues(SUMMARIES, HTTP_STATUSES).values.map((value) => value.clause)).toEqual(['http.status = 200', 'http.status = 404', 'http.status = 502']);
    expect(countValues(SUMMARIES, HTTP_STATUSES).none).toBe(1);
    expect(HTTP_STATUSES.none).toEqual({ label: 'no status', clause: '!http.status' });
    expect(rows(HTTP_METHODS)).toEqual([['GET', 2, undefined], ['POST', 1, undefined]]);
    expect(rows(HTTP_URLS)).toEqual([['/prod/foo?x=1', 2, 'https://api.example.com'], ['/prod/bar', 1, 'https://api.example.com']]);
    expect(countValues(SUMMARIES, HTTP_URLS).values[0]?.clause).toBe('http.url = "https://api.example.com/prod/foo?x=1"');
    expect(urlLabel('not a url')).toEqual({ label: 'not a url', detail: undefined });
    expect(urlLabel('https://h')).toEqual({ label: '/', detail: 'https://h' });
    // A URL the browser would rewrite (upper-case host) is shown as sent.
    expect(urlLabel('https://H.example/x')).toEqual({ label: 'https://H.example/x', detail: undefined });
  });

  it('counts annotation values by type, each value of a trace once', () => {
    expect(rows(annotationDimension('path'))).toEqual([['/prod/foo', 2, undefined], ['/prod/bar', 1, undefined], [HOSTILE, 1, undefined]]);
    expect(countValues(SUMMARIES, annotationDimension('path')).none).toBe(1);
    // The number 2 and the string "2" are different values, with different clauses.
    const retries = countValues(SUMMARIES, annotationDimension('retries')).values;
    expect(retries.map((value) => [value.label, value.detail, value.clause])).toEqual([['2', 'number', 'annotation.retries = 2'], ['2', undefined, 'annotation.retries = "2"']]);
    expect(countValues(SUMMARIES, annotationDimension('cold')).values[0]?.clause).toBe('annotation.cold = true');
    expect(annotationKeys(SUMMARIES)).toEqual([{ key: 'path', count: 3 }, { key: 'retries', count: 2 }, { key: 'cold', count: 1 }]);
    expect(annotationKeys(SUMMARIES, SUMMARIES.slice(2))[0]).toEqual({ key: 'path', count: 4 });
  });

  it('counts the services a trace reached, a name under two types twice', () => {
    expect(rows(SERVICES)).toEqual([['gateway', 3, 'AWS::ApiGateway::Stage'], ['fn', 2, 'AWS::Lambda::Function'], ['fn', 1, 'AWS::Lambda']]);
    expect(countValues(SUMMARIES, SERVICES).values[0]?.clause).toBe('service(id(name: "gateway", type: "AWS::ApiGateway::Stage"))');
  });

  it('writes every clause so that the service parses it', () => {
    for (const dimension of [FAULT_ROOT_CAUSES, ERROR_ROOT_CAUSES, HTTP_STATUSES, HTTP_METHODS, HTTP_URLS, SERVICES, annotationDimension('path'), annotationDimension('retries'), annotationDimension('cold')]) {
      for (const value of countValues(SUMMARIES, dimension).values) expect(() => parse(value.clause ?? ''), value.clause).not.toThrow();
      if (dimension.none !== undefined) expect(() => parse(dimension.none?.clause ?? '')).not.toThrow();
    }
  });
});

describe('comparing two sets', () => {
  const a = countValues(SUMMARIES.slice(0, 2), HTTP_METHODS);
  const b = countValues(SUMMARIES.slice(1), HTTP_METHODS);

  it('gives each value its share of its own set', () => {
    const compared = compareCounts(a, b, HTTP_METHODS.none, 8);
    expect(compared.rows.map((row) => [row.label, row.a, row.b])).toEqual([
      ['GET', { count: 2, share: 1 }, { count: 1, share: 1 / 3 }],
      ['POST', { count: 0, share: 0 }, { count: 1, share: 1 / 3 }],
    ]);
    expect(compared.none).toMatchObject({ label: 'no method', clause: '!http.method', a: { count: 0, share: 0 }, b: { count: 1, share: 1 / 3 } });
  });

  it('ranks by the larger share, so a value common in either set shows', () => {
    const big = { total: 100, values: [{ key: 'x', label: 'x', detail: undefined, clause: 'x', count: 30 }, { key: 'y', label: 'y', detail: undefined, clause: 'y', count: 20 }], none: 50 };
    const small = { total: 4, values: [{ key: 'z', label: 'z', detail: undefined, clause: 'z', count: 4 }], none: 0 };
    expect(compareCounts(big, small, undefined, 2)).toMatchObject({ rows: [{ key: 'z' }, { key: 'x' }], hidden: 1, none: undefined });
    // One set keeps its own order.
    expect(compareCounts(big, undefined, undefined, 8).rows.map((row) => [row.key, row.b])).toEqual([['x', undefined], ['y', undefined]]);
  });

  it('has no share of an empty set, and says the difference in percentage points', () => {
    expect(shareOf(0, 0)).toEqual({ count: 0, share: 0 });
    expect(differenceText({ a: shareOf(1, 4), b: shareOf(3, 4) })).toBe('+50 pp');
    expect(differenceText({ a: shareOf(3, 40), b: shareOf(1, 40) })).toBe('−5.0 pp');
    expect(differenceText({ a: shareOf(1, 3), b: shareOf(2, 6) })).toBe('0 pp');
    expect(differenceText({ a: shareOf(1, 1000), b: shareOf(1, 1001) })).toBe('0 pp');
    expect(differenceText({ a: shareOf(1, 3), b: undefined })).toBeUndefined();
  });
});

describe('traces over time', () => {
  it('takes periods of round seconds or minutes, 30 to 60 a range', () => {
    expect([300, 900, 3600, 6 * 3600].map(chooseTracePeriod)).toEqual([5, 15, 60, 600]);
    expect(chooseTracePeriod(30)).toBe(1);
    expect([5, 15, 60, 600, 7200].map(formatTracePeriod)).toEqual(['5 s', '15 s', '1 min', '10 min', '2 h']);
    for (let seconds = 60; seconds < 400 * 86400; seconds = Math.ceil(seconds * 1.07)) {
      const period = chooseTracePeriod(seconds);
      expect(seconds / period, `${seconds} s`).toBeLessThanOrEqual(MAX_PERIODS);
      expect(seconds / period, `${seconds} s`).toBeGreaterThan(MAX_PERIODS / 2);
      if (period >= 60) expect(period % 60).toBe(0);
    }
  });

  it('counts each trace once by its status (the worst of its segments), in the period it started, or the nearest one', () => {
    const early: TraceSummary = { Id: 'early', StartTime: 900 };
    const points = buildTraceSeries([...SUMMARIES, early], { start: 990, end: 1140 }, 60);
    expect(points.map((point) => [point.start, point.ok, point.error, point.throttle, point.fault, point.total, point.coverage])).toEqual([
      [960, 1, 1, 0, 1, 3, 'all'],
      // t3: the root answered 200, but a fault root cause says a segment behind it faulted.
      [1020, 0, 0, 0, 1, 1, 'all'],
      [1080, 0, 0, 1, 0, 1, 'all'],
    ]);
    expect(tracesText(at(points, 0))).toBe('3 traces: 1 OK, 1 error, 0 throttles, 1 fault');
  });

  it('marks the periods before the oldest trace read as not covered', () => {
    const points = buildTraceSeries(SUMMARIES.slice(0, 2), { start: 840, end: 1080 }, 60, 1000);
    expect(points.map((point) => point.coverage)).toEqual(['none', 'none', 'part', 'all']);
    // `now` on the same day as the points: no date in front of the times.
    const now = 1_000_000;
    expect(tracePointText(at(points, 0), now)).toMatch(/: not read$/);
    expect(tracePointText(at(points, 2), now)).toMatch(/: 2 traces: 0 OK, 1 error, 0 throttles, 1 fault \(only partly read\)$/);
    expect(tracePointText(at(points, 3), now)).toMatch(/^\d\d:\d\d–\d\d:\d\d: no traces$/);
    const seconds = buildTraceSeries([], { start: 1000, end: 1010 }, 5);
    expect(tracePointText(at(seconds, 0), now)).toMatch(/^\d\d:\d\d:\d\d–\d\d:\d\d:\d\d: no traces$/);
  });
});

describe('reading at most N summaries', () => {
  const WINDOW = { start: 0, end: 2000 };
  const batch = (count: number, nextToken: string | undefined, from = 0) => ({
    summaries: Array.from({ length: count }, (_, i) => ({ Id: `t${from + i}`, StartTime: 1000 - from - i })), processed: count, nextToken,
  });

  it('asks for a batch at a time up to the limit, and nothing once complete', () => {
    expect(nextBatchSize(undefined, 5000)).toBe(SAMPLE_BATCH);
    expect(nextBatchSize(undefined, 300)).toBe(300);
    expect(nextBatchSize(firstBatch(WINDOW, {}, batch(4500, 'more')), 5000)).toBe(500);
    expect(nextBatchSize(firstBatch(WINDOW, {}, batch(5100, 'more')), 5000)).toBe(0);
    expect(nextBatchSize(firstBatch(WINDOW, {}, batch(10, undefined)), 5000)).toBe(0);
    // A link may name any whole number up to the largest limit the menu offers.
    expect(['1000', '20000', '7'].map(sampleLimitOf)).toEqual([1000, 20000, 7]);
    expect([null, '', '0', '-5', '2.5', '20001', 'many'].map(sampleLimitOf)).toEqual(Array(7).fill(DEFAULT_SAMPLE_LIMIT));
  });

  it('cuts a last page that overshoots, and then is not complete even without a token', () => {
    const over = sampleOf(firstBatch(WINDOW, {}, batch(120, undefined)), 100);
    expect(over.summaries).toHaveLength(100);
    expect(over).toMatchObject({ complete: false, readFrom: 901 });
    expect(sampleOf(firstBatch(WINDOW, {}, batch(100, undefined)), 100)).toMatchObject({ complete: true, readFrom: undefined });
  });

  it('says how much it read and what the numbers leave out', () => {
    const all = sampleOf(firstBatch(WINDOW, {}, batch(1234, undefined)), 5000);
    expect(sampleText(all, 'done', 5000)).toBe('All 1,234 traces in this range');
    expect(sampleText(sampleOf(firstBatch(WINDOW, {}, batch(0, undefined)), 5000), 'done', 5000)).toBe('No traces in this range');
    expect(sampleText(sampleOf(firstBatch(WINDOW, {}, batch(2000, 'more')), 5000), 'loading', 5000)).toBe('Reading traces… 2,000 read (at most 5,000)');
    expect(sampleText(undefined, 'loading', 5000)).toBe('Reading traces… 0 read (at most 5,000)');
    expect(sampleText(undefined, 'stopped', 5000)).toBe('Stopped before any trace was read');
    expect(sampleText(sampleOf(firstBatch(WINDOW, {}, batch(2000, 'more')), 5000), 'stopped', 5000))
      .toMatch(/^Stopped at the 2,000 newest traces, back to \d\d:\d\d:\d\d: the numbers cover only these, not the whole range$/);
    expect(sampleText(sampleOf(firstBatch(WINDOW, {}, batch(5000, 'more')), 5000), 'done', 5000))
      .toMatch(/^The 5,000 newest traces, back to \d\d:\d\d:\d\d: the range has more, which the numbers leave out \(at most 5,000 are read\)$/);
  });
});

describe('bins of two sets', () => {
  it('share their edges, sized for the largest value of either', () => {
    const [a, b] = binSets([[{ value: 0.05, count: 1 }], [{ value: 0.95, count: 2 }, { value: 0.5, count: 1 }]], 10);
    expect(a?.map((bin) => bin.to)).toEqual(b?.map((bin) => bin.to));
    expect(a?.map((bin) => bin.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(b?.map((bin) => bin.count)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(binSets([[], []])).toEqual([[], []]);
    expect(binSets([[{ value: 0.5, count: 1 }]], 10)).toEqual([binValues([{ value: 0.5, count: 1 }], 10)]);
  });
});

describe('breakdowns of the stored pattern workload, each clause checked by the service', () => {
  const REQUESTS = 12;
  let workload: StoredWorkload;
  let api: XrayApi;
  const window = { start: 0, end: 0 };

  beforeAll(async () => {
    const now = Date.now() / 1000;
    workload = await startWithPatternWorkload(REQUESTS, now);
    api = new XrayApi(workload.service.api.url);
    window.start = now - 900;
    window.end = now + 1;
  });

  afterAll(async () => {
    await workload?.service.stop();
  });

  it('finds with each value\'s clause exactly the traces the breakdown counted under it', async () => {
    const all = (await api.traceSummaries(window, {}, 1000)).summaries;
    expect(all).toHaveLength(REQUESTS + 1);
    const dimensions = [FAULT_ROOT_CAUSES, ERROR_ROOT_CAUSES, HTTP_STATUSES, HTTP_METHODS, HTTP_URLS, SERVICES, ...annotationKeys(all).map((entry) => annotationDimension(entry.key))];
    let checked = 0;
    for (const dimension of dimensions) {
      const counted = countValues(all, dimension);
      const clauses = counted.values.map((value) => [value.clause, value.count] as const);
      if (dimension.none !== undefined) clauses.push([dimension.none.clause, counted.none]);
      for (const [clause, count] of clauses) {
        if (clause === undefined) continue;
        const found = await api.traceSummaries(window, { filter: clause }, 1000);
        expect(found.summaries.length, `${dimension.id}: ${clause}`).toBe(count);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
    const faults = countValues(all, FAULT_ROOT_CAUSES).values;
    expect(faults.map((value) => [value.label, value.count])).toEqual([['jsonplaceholder.typicode.com', workload.faultedTraceIds.length]]);
  });
});
