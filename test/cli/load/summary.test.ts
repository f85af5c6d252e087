import { describe, expect, it } from 'vitest';
import { planLoad } from '../../../src/cli/load/options.ts';
import { formatSummary, percentile, summarize } from '../../../src/cli/load/summary.ts';
import type { RequestResult } from '../../../src/cli/load/run-load.ts';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is the smallest value with at least p% of the values at or below it', () => {
    expect([50, 90, 99, 100].map((p) => percentile(hundred, p))).toEqual([50, 90, 99, 100]);
    expect([50, 90, 99].map((p) => percentile([10, 20, 30], p))).toEqual([20, 30, 30]);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([1, 2], 0)).toBe(1);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('summarize', () => {
  const plan = planLoad({ requests: '10' });
  const ok = (latencyMillis: number, status = 200): RequestResult => ({ path: '/foo', status, failure: undefined, latencyMillis });

  it('counts statuses and failures and takes percentiles over the answered requests only', () => {
    const results: RequestResult[] = [
      ok(40), ok(10), ok(30, 502), ok(20), ok(50, 400), ok(60), ok(70), ok(80),
      { path: '/bar', status: undefined, failure: 'ECONNRESET', latencyMillis: 1 },
      { path: '/bar', status: undefined, failure: 'timeout', latencyMillis: 30_000 },
    ];
    const summary = summarize({ plan, results, elapsedMillis: 2000 });
    expect(summary.requests).toBe(10);
    expect(summary.statuses).toEqual([[200, 6], [400, 1], [502, 1]]);
    expect(summary.failures).toEqual([['ECONNRESET', 1], ['timeout', 1]]);
    expect(summary.latency).toEqual({ p50: 40, p90: 80, p99: 80, max: 80 });
    expect(summary.requestsPerSecond).toBe(5);
    expect(formatSummary(summary, plan)).toEqual([
      '10 requests to http://127.0.0.1:3000/prod in 2.00 s (5.0 requests/s, concurrency 4)',
      'status: 200 x6, 400 x1, 502 x1',
      'failed without an answer: ECONNRESET x1, timeout x1',
      'latency: p50 40.0 ms, p90 80.0 ms, p99 80.0 ms, max 80.0 ms',
    ]);
  });

  it('has no latency line when nothing answered', () => {
    const summary = summarize({ plan, results: [{ path: '/', status: undefined, failure: 'timeout', latencyMillis: 5 }], elapsedMillis: 5 });
    expect(summary.latency).toBeUndefined();
    expect(formatSummary(summary, plan).join('\n')).not.toContain('latency');
  });
});

describe('planLoad', () => {
  it('has defaults, strips a trailing slash and caps concurrency at the count', () => {
    expect(planLoad({})).toEqual({ url: 'http://127.0.0.1:3000/prod', paths: ['/foo', '/bar', '/baz'], count: 50, concurrency: 4, timeoutMillis: 30_000 });
    expect(planLoad({ requests: '2', concurrency: '8', url: 'http://localhost:9/dev/', path: ['/a', '/b/c'], timeout: '5' }))
      .toEqual({ url: 'http://localhost:9/dev', paths: ['/a', '/b/c'], count: 2, concurrency: 2, timeoutMillis: 5000 });
  });

  it.each([
    [{ requests: '0' }, '-n/--requests 0 is out of range 1..1000000'],
    [{ requests: '1.5' }, '-n/--requests "1.5" is not a whole number'],
    [{ requests: 'ten' }, '-n/--requests "ten" is not a whole number'],
    [{ concurrency: '1000' }, '--concurrency 1000 is out of range 1..256'],
    [{ url: 'localhost:3000' }, '--url "localhost:3000" must be http or https, not localhost:'],
    [{ url: 'not a url' }, '--url "not a url" is not a URL (e.g. http://127.0.0.1:3000/prod)'],
    [{ url: 'http://x/prod?a=1' }, '--url "http://x/prod?a=1" must not have a query or fragment; put them in --path'],
    [{ path: ['foo'] }, '--path "foo" must start with / (e.g. /foo)'],
  ])('refuses %j: %s', (flags, message) => {
    expect(() => planLoad(flags)).toThrow(message);
  });
});
