import { describe, expect, it } from 'vitest';
import { RuleCache } from '../../../src/cloud/sampling/rule-cache.ts';
import { Reservoir } from '../../../src/cloud/sampling/reservoir.ts';
import { parseRuleRecord } from '../../../src/cloud/sampling/rules.ts';
import type { SamplingRule } from '../../../src/cloud/sampling/rules.ts';
import type { SamplingRequest } from '../../../src/cloud/sampling/sampler.ts';
import { defaultRule, ruleRecord } from './fake-xray-api.ts';

const T0 = 1_800_000_000;

function rule(fields: Record<string, unknown>): SamplingRule {
  const parsed = parseRuleRecord(ruleRecord(fields));
  if ('invalid' in parsed) throw new Error(parsed.invalid);
  return parsed;
}

/** A random source that returns the given values in turn, then 0.999. */
function randomOf(...values: number[]): () => number {
  return () => values.shift() ?? 0.999;
}

const health: SamplingRequest = { serviceName: 'api/prod', serviceType: 'AWS::ApiGateway::Stage', httpMethod: 'GET', urlPath: '/prod/health' };
const other: SamplingRequest = { ...health, urlPath: '/prod/other' };

describe('Reservoir', () => {
  it('borrows one request a second before it has a quota, if the rule has a reservoir', () => {
    const reservoir = new Reservoir();
    expect(reservoir.decide(T0, true)).toBe('borrow');
    expect(reservoir.decide(T0 + 0.5, true)).toBeUndefined();
    expect(reservoir.decide(T0 + 1, true)).toBe('borrow');
    expect(new Reservoir().decide(T0, false)).toBeUndefined();
  });

  it('takes up to its quota each second while the quota lasts, then borrows again', () => {
    const reservoir = new Reservoir();
    reservoir.assign(2, T0 + 10);
    expect([T0, T0 + 0.1, T0 + 0.2].map((now) => reservoir.decide(now, true))).toEqual(['take', 'take', undefined]);
    expect(reservoir.decide(T0 + 1, true)).toBe('take');
    expect(reservoir.decide(T0 + 10.5, true)).toBe('borrow');
  });

  it('takes a quota of 0 as none a second, not as no quota', () => {
    const reservoir = new Reservoir();
    reservoir.assign(0, T0 + 10);
    expect(reservoir.decide(T0, true)).toBeUndefined();
  });
});

describe('RuleCache.decide', () => {
  it('lets the first matching rule decide, by priority, then by name', () => {
    const cache = new RuleCache(randomOf());
    cache.load([
      rule(defaultRule(1, 0)),
      rule({ RuleName: 'b-health', Priority: 5, URLPath: '/prod/health*', FixedRate: 0, ReservoirSize: 0 }),
      rule({ RuleName: 'a-health', Priority: 5, URLPath: '/prod/health*', FixedRate: 1, ReservoirSize: 0 }),
      rule({ RuleName: 'z-everything', Priority: 9, FixedRate: 0, ReservoirSize: 0 }),
    ]);
    expect(cache.names).toEqual(['a-health', 'b-health', 'z-everything', 'Default']);
    expect(cache.decide(health, T0)).toEqual({ sampled: true, ruleName: 'a-health' });
    expect(cache.decide(other, T0)).toEqual({ sampled: false, ruleName: 'z-everything' });
  });

  it('is undefined when no rule matches', () => {
    const cache = new RuleCache(randomOf());
    cache.load([rule({ RuleName: 'health', URLPath: '/prod/health' })]);
    expect(cache.decide(other, T0)).toBeUndefined();
  });

  it('samples by the reservoir first, then by FixedRate against the random source', () => {
    const cache = new RuleCache(randomOf(0.2, 0.4, 0.29));
    cache.load([rule({ RuleName: 'r', FixedRate: 0.3, ReservoirSize: 1 })]);
    // Borrowed (no quota yet), then 0.2 < 0.3, 0.4 >= 0.3, 0.29 < 0.3.
    expect([0, 0.1, 0.2, 0.3].map((dt) => cache.decide(health, T0 + dt)?.sampled)).toEqual([true, true, false, true]);
    expect(cache.statistics('client', T0 + 0.5)).toEqual([
      { RuleName: 'r', ClientID: 'client', Timestamp: T0, RequestCount: 4, SampledCount: 2, BorrowCount: 1 },
    ]);
  });

  it('never samples with FixedRate 0 and no reservoir, and always with FixedRate 1', () => {
    const cache = new RuleCache(() => 0);
    cache.load([rule({ RuleName: 'none', Priority: 1, URLPath: '/prod/health', FixedRate: 0, ReservoirSize: 0 }), rule(defaultRule(1, 0))]);
    for (let i = 0; i < 5; i++) expect(cache.decide(health, T0 + i)?.sampled).toBe(false);
    const always = new RuleCache(() => 0.999999);
    always.load([rule(defaultRule(1, 0))]);
    expect(always.decide(health, T0)?.sampled).toBe(true);
  });

  it('uses a target\'s quota and rate in place of borrowing and the rule\'s rate', () => {
    const cache = new RuleCache(() => 0.5);
    cache.load([rule({ RuleName: 'r', FixedRate: 1, ReservoirSize: 5 })]);
    cache.applyTargets([{ ruleName: 'r', fixedRate: 0.1, reservoirQuota: 2, reservoirQuotaTtlSeconds: T0 + 10, intervalSeconds: 10 }, { ruleName: 'unknown', fixedRate: 1 }]);
    expect([0, 0.1, 0.2, 0.3].map((dt) => cache.decide(health, T0 + dt)?.sampled)).toEqual([true, true, false, false]);
    expect(cache.statistics('c', T0 + 1)[0]).toMatchObject({ RequestCount: 4, SampledCount: 2, BorrowCount: 0 });
  });

  it('keeps a rule\'s quota and counts through a refresh, unless its reservoir or rate changed', () => {
    const cache = new RuleCache(() => 0.5);
    cache.load([rule({ RuleName: 'r', FixedRate: 0, ReservoirSize: 5 })]);
    cache.applyTargets([{ ruleName: 'r', reservoirQuota: 0, reservoirQuotaTtlSeconds: T0 + 60 }]);
    expect(cache.decide(health, T0)?.sampled).toBe(false);
    cache.load([rule({ RuleName: 'r', FixedRate: 0, ReservoirSize: 5, URLPath: '/prod/*' })]);
    expect(cache.decide(health, T0 + 1)?.sampled).toBe(false);
    expect(cache.statistics('c', T0 + 2)[0]).toMatchObject({ RequestCount: 2, SampledCount: 0 });
    // A new ReservoirSize: no quota yet, so one a second is borrowed again.
    cache.load([rule({ RuleName: 'r', FixedRate: 0, ReservoirSize: 6 })]);
    expect(cache.decide(health, T0 + 3)?.sampled).toBe(true);
    // A new FixedRate applies at once.
    cache.load([rule({ RuleName: 'r', FixedRate: 1, ReservoirSize: 6 })]);
    expect(cache.decide(health, T0 + 3.5)?.sampled).toBe(true);
  });
});

describe('RuleCache.statistics', () => {
  it('reports the rules that matched since their last report, each after its interval', () => {
    const cache = new RuleCache(() => 0);
    cache.load([rule({ RuleName: 'health', Priority: 1, URLPath: '/prod/health' }), rule(defaultRule())]);
    cache.decide(health, T0);
    expect(cache.statistics('c', T0 + 1).map((document) => document.RuleName)).toEqual(['health']);
    expect(cache.statistics('c', T0 + 2)).toEqual([]);
    cache.decide(health, T0 + 3);
    cache.decide(other, T0 + 3);
    // health reported at T0+1 with the default interval of 10 s: due again at T0+11 (a second's slack).
    expect(cache.statistics('c', T0 + 5).map((document) => document.RuleName)).toEqual(['Default']);
    expect(cache.statistics('c', T0 + 10.2).map((document) => document.RuleName)).toEqual(['health']);
    cache.applyTargets([{ ruleName: 'Default', intervalSeconds: 30 }]);
    cache.decide(other, T0 + 20);
    expect(cache.statistics('c', T0 + 20)).toEqual([]);
    expect(cache.statistics('c', T0 + 35)[0]).toMatchObject({ RuleName: 'Default', RequestCount: 1 });
  });
});
