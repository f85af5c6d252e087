import { describe, expect, test } from 'vitest';
import { SamplingStatistics } from '../../../src/xray/sampling/index.ts';
import { reservoirQuota } from '../../../src/xray/sampling/reservoir.ts';
import type { SamplingRuleRecord } from '../../../src/xray/sampling/index.ts';
import { newRule } from './support.ts';

const START = 1_750_000_000;
const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccccccc';

function rule(reservoirSize: number, fixedRate = 0.1): SamplingRuleRecord {
  return { ...newRule('orders', { reservoirSize, fixedRate }), arn: 'arn', createdAt: START, modifiedAt: START };
}

const counts = (clientId: string, requestCount = 10, sampledCount = 2, borrowCount = 1) => ({ clientId, requestCount, sampledCount, borrowCount });

describe('reservoirQuota', () => {
  test('splits evenly; the remainder goes to the first clients by id; the shares add up to the size', () => {
    expect(reservoirQuota(10, [A], A)).toBe(10);
    expect([A, B].map((c) => reservoirQuota(10, [B, A], c))).toEqual([5, 5]);
    expect([A, B, C].map((c) => reservoirQuota(10, [C, A, B], c))).toEqual([4, 3, 3]);
    expect([A, B].map((c) => reservoirQuota(1, [A, B], c))).toEqual([1, 0]);
    expect(reservoirQuota(0, [A, B], B)).toBe(0);
    expect(reservoirQuota(3, [], C)).toBe(3);
  });
});

describe('SamplingStatistics', () => {
  test('one client gets the whole reservoir, the rule\'s rate, a quota TTL of two intervals and Interval 10', () => {
    const clock = { now: START + 3 };
    const statistics = new SamplingStatistics({ nowSeconds: () => clock.now });
    expect(statistics.report(rule(4, 0.25), counts(A))).toEqual({
      ruleName: 'orders', fixedRate: 0.25, reservoirQuota: 4, reservoirQuotaTtlSeconds: START + 23, intervalSeconds: 10,
    });
  });

  test('two clients reporting share the reservoir; one that stops reporting gives its share back after its TTL', () => {
    const clock = { now: START };
    const statistics = new SamplingStatistics({ nowSeconds: () => clock.now });
    expect(statistics.report(rule(5), counts(A)).reservoirQuota).toBe(5);
    clock.now = START + 1;
    expect(statistics.report(rule(5), counts(B)).reservoirQuota).toBe(2);
    clock.now = START + 10;
    expect(statistics.report(rule(5), counts(A)).reservoirQuota).toBe(3);
    clock.now = START + 11;
    expect(statistics.report(rule(5), counts(B))).toMatchObject({ reservoirQuota: 2, reservoirQuotaTtlSeconds: START + 31 });
    // A's last report was at +10; at +30 its quota has expired and B has the reservoir to itself.
    clock.now = START + 29.9;
    expect(statistics.report(rule(5), counts(B)).reservoirQuota).toBe(2);
    clock.now = START + 30;
    expect(statistics.report(rule(5), counts(B)).reservoirQuota).toBe(5);
  });

  test('a changed ReservoirSize is split from the next report on', () => {
    const clock = { now: START };
    const statistics = new SamplingStatistics({ nowSeconds: () => clock.now });
    statistics.report(rule(2), counts(A));
    expect(statistics.report(rule(2), counts(B)).reservoirQuota).toBe(1);
    expect(statistics.report(rule(9, 0), counts(B))).toMatchObject({ reservoirQuota: 4, fixedRate: 0 });
  });

  test('summaries add up the counts of every client in 10-second windows and show the latest recent one', () => {
    const clock = { now: START + 2 };
    const statistics = new SamplingStatistics({ nowSeconds: () => clock.now });
    statistics.report(rule(1), counts(A, 10, 3, 1));
    clock.now = START + 7;
    statistics.report(rule(1), counts(B, 5, 5, 0));
    expect(statistics.summaries()).toEqual([{ ruleName: 'orders', timestamp: START, requestCount: 15, sampledCount: 8, borrowCount: 1 }]);
    // The next window has begun without a report: the last one still shows.
    clock.now = START + 12;
    expect(statistics.summaries()).toEqual([{ ruleName: 'orders', timestamp: START, requestCount: 15, sampledCount: 8, borrowCount: 1 }]);
    statistics.report(rule(1), counts(A, 1, 1, 0));
    expect(statistics.summaries()).toEqual([{ ruleName: 'orders', timestamp: START + 10, requestCount: 1, sampledCount: 1, borrowCount: 0 }]);
    // Nothing reported for two windows: nothing recent to show.
    clock.now = START + 30;
    expect(statistics.summaries()).toEqual([]);
  });

  test('a forgotten rule starts afresh', () => {
    const clock = { now: START };
    const statistics = new SamplingStatistics({ nowSeconds: () => clock.now });
    statistics.report(rule(4), counts(A));
    statistics.forget('orders');
    expect(statistics.summaries()).toEqual([]);
    expect(statistics.report(rule(4), counts(B)).reservoirQuota).toBe(4);
  });
});
