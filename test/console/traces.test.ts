import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../src/console/api/types.ts';
import { binValues, niceStep } from '../../src/console/shared/bins.ts';
import { formatSeconds } from '../../src/console/shared/format.ts';
import { parseRoute, routeHash } from '../../src/console/shared/route.ts';
import { timeRangeFromParams, windowOf } from '../../src/console/shared/time-range.ts';
import { errorPosition, withResponseTime } from '../../src/console/traces/filter-text.ts';
import { rootCauseOf } from '../../src/console/traces/root-cause.ts';
import { annotationText, sortSummaries } from '../../src/console/traces/sort.ts';
import { parse } from '../../src/xray/query/index.ts';

describe('filter text', () => {
  it('reads the column (and line) a parse error names', () => {
    expect(errorPosition("FilterExpression: expected a filter expression after AND, found '}' at column 34")).toEqual({ line: 1, column: 34 });
    expect(errorPosition('FilterExpression: unterminated string at line 2, column 3')).toEqual({ line: 2, column: 3 });
    expect(errorPosition('EndTime must not be before StartTime')).toBeUndefined();
  });

  it('narrows a filter to a response-time range the parser accepts', () => {
    expect(withResponseTime('', 0.1, 0.25)).toBe('responsetime >= 0.1 AND responsetime <= 0.25');
    const narrowed = withResponseTime('fault OR error', 0.1 + 0.2, 1 / 3);
    expect(narrowed).toBe('(fault OR error) AND responsetime >= 0.3 AND responsetime <= 0.333333');
    expect(() => parse(narrowed)).not.toThrow();
  });
});

describe('summaries', () => {
  const summary = (id: string, fields: Partial<TraceSummary>): TraceSummary => ({ Id: id, ...fields });
  const list = [
    summary('a', { StartTime: 3, ResponseTime: 0.2, HasError: true, Http: { HttpStatus: 404 } }),
    summary('b', { StartTime: 1, ResponseTime: 0.9, HasFault: true, Http: { HttpStatus: 502 } }),
    summary('c', { StartTime: 2, ResponseTime: 0.2 }),
  ];

  it('sorts by any column, ties in the service\'s order', () => {
    expect(sortSummaries(list, { key: 'time', descending: true }).map((s) => s.Id)).toEqual(['a', 'c', 'b']);
    expect(sortSummaries(list, { key: 'responseTime', descending: false }).map((s) => s.Id)).toEqual(['a', 'c', 'b']);
    expect(sortSummaries(list, { key: 'status', descending: true }).map((s) => s.Id)).toEqual(['b', 'a', 'c']);
  });

  it('writes annotations as sorted key=value pairs', () => {
    expect(annotationText(summary('x', {
      Annotations: {
        b: [{ AnnotationValue: { NumberValue: 2 } }, { AnnotationValue: { BooleanValue: false } }],
        a: [{ AnnotationValue: { StringValue: '<x>' } }],
      },
    }))).toBe('a=<x>, b=2|false');
  });

  it('names the service where a fault started and its exception', () => {
    expect(rootCauseOf({
      FaultRootCauses: [{
        Services: [
          { Name: 'http-flow', Type: 'AWS::Lambda::Function', EntityPath: [{ Name: 'http-flow', Exceptions: [{ Name: 'Error', Message: 'answered HTTP 502' }] }] },
          { Name: 'example.com', Type: 'remote', EntityPath: [{ Name: 'example.com', Exceptions: [{ Name: 'Error', Message: 'Bad Gateway' }] }] },
        ],
      }],
    })).toEqual({ kind: 'fault', service: 'example.com', type: 'remote', exception: 'Error: Bad Gateway' });
    expect(rootCauseOf({ ErrorRootCauses: [{ Services: [{ Name: 'Hits', EntityPath: [] }] }] })).toEqual({ kind: 'error', service: 'Hits', type: undefined, exception: undefined });
    expect(rootCauseOf({ FaultRootCauses: [], ErrorRootCauses: [] })).toBeUndefined();
  });
});

describe('shared helpers', () => {
  it('bins response times into round-width bins without trailing empties', () => {
    const bins = binValues([{ value: 0.05, count: 2 }, { value: 0.95, count: 1 }, { value: Number.NaN, count: 5 }], 10);
    expect(bins[0]).toEqual({ from: 0, to: 0.1, count: 2 });
    expect(bins.at(-1)).toEqual({ from: 0.9, to: 1, count: 1 });
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
    expect(binValues([])).toEqual([]);
    expect([0.0004, 0.03, 0.07, 1.5, 4].map(niceStep)).toEqual([0.0005, 0.05, 0.1, 2, 5]);
  });

  it('formats latencies as people read them', () => {
    expect([0, 0.0004, 0.099996, 0.1234, 1.5, 200].map(formatSeconds)).toEqual(['0 ms', '400 µs', '100 ms', '123 ms', '1.50 s', '3 min 20 s']);
  });

  it('keeps pages, trace ids and settings in the URL hash', () => {
    const hash = routeHash('trace', '1-abc/def', { range: '1h', filter: 'a = "b"', group: undefined });
    expect(parseRoute(hash)).toMatchObject({ page: 'trace', rest: '1-abc/def' });
    expect(parseRoute(hash).params.get('filter')).toBe('a = "b"');
    expect(parseRoute('').page).toBe('map');
    expect(windowOf(timeRangeFromParams(new URLSearchParams('range=5m')), 1000)).toEqual({ start: 700, end: 1000 });
    expect(windowOf(timeRangeFromParams(new URLSearchParams('range=custom&from=10&to=20')), 1000)).toEqual({ start: 10, end: 20 });
    // A custom range that ends before it starts falls back to the default.
    expect(timeRangeFromParams(new URLSearchParams('range=custom&from=20&to=10')).preset).toBe('15m');
  });
});
