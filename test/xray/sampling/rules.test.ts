import { describe, expect, test } from 'vitest';
import {
  MAX_RULES, MemorySamplingRuleStorage, SamplingRuleLimitError, SamplingRuleRequestError, SamplingRules,
} from '../../../src/xray/sampling/index.ts';
import { newRule } from './support.ts';

const START = 1_750_000_000;
const ARN = 'arn:aws:xray:eu-west-1:123456789012:sampling-rule';

function rulesAt(clock: { nowSeconds: number }, fixedRate = 1): SamplingRules {
  return new SamplingRules({
    storage: new MemorySamplingRuleStorage(), defaults: { fixedRate, reservoirSize: 1 }, region: 'eu-west-1', accountId: '123456789012', nowSeconds: () => clock.nowSeconds,
  });
}

describe('SamplingRules', () => {
  test('Default always exists, with the configured rate, dated from the start', () => {
    const rules = rulesAt({ nowSeconds: START }, 0.25);
    expect(rules.list()).toEqual([{
      name: 'Default', arn: `${ARN}/Default`, resourceArn: '*', priority: 10000, fixedRate: 0.25, reservoirSize: 1,
      serviceName: '*', serviceType: '*', host: '*', httpMethod: '*', urlPath: '*', version: 1, attributes: {}, createdAt: START, modifiedAt: START,
    }]);
    expect(rules.lastModification()).toBe(START);
  });

  test('lists by priority, then name, Default last; finds by name or ARN', () => {
    const clock = { nowSeconds: START };
    const rules = rulesAt(clock);
    for (const [name, priority] of [['b', 5], ['a', 5], ['late', 9999], ['first', 1]] as const) rules.create(newRule(name, { priority }));
    expect(rules.list().map((r) => r.name)).toEqual(['first', 'a', 'b', 'late', 'Default']);
    expect(rules.get({ arn: `${ARN}/late` }).name).toBe('late');
    expect(rules.get({ name: 'a', arn: `${ARN}/a` }).name).toBe('a');
    expect(() => rules.get({ name: 'a', arn: `${ARN}/b` })).toThrow('RuleName "a" and RuleARN "arn:aws:xray:eu-west-1:123456789012:sampling-rule/b" name different sampling rules');
    expect(() => rules.get({})).toThrow('RuleName or RuleARN is required');
    expect(rules.find('nope')).toBeUndefined();
  });

  test('create dates the rule and gives it its ARN; names are unique and Default is reserved', () => {
    const clock = { nowSeconds: START + 1.5 };
    const rules = rulesAt(clock);
    expect(rules.create(newRule('health'))).toMatchObject({ name: 'health', arn: `${ARN}/health`, createdAt: START + 1.5, modifiedAt: START + 1.5 });
    expect(() => rules.create(newRule('health'))).toThrow(new SamplingRuleRequestError('a sampling rule named "health" already exists'));
    expect(() => rules.create(newRule('Default'))).toThrow('RuleName "Default" is reserved: the Default rule always exists');
  });

  test(`at most ${MAX_RULES} rules besides Default`, () => {
    const rules = rulesAt({ nowSeconds: START });
    for (let i = 0; i < MAX_RULES; i++) rules.create(newRule(`r${i}`));
    expect(() => rules.create(newRule('one-more'))).toThrow(SamplingRuleLimitError);
    expect(() => rules.create(newRule('one-more'))).toThrow('there are already 25 sampling rules besides Default, the most there can be; delete one first');
    rules.delete({ name: 'r0' });
    expect(rules.create(newRule('one-more')).name).toBe('one-more');
  });

  test('update changes only what it names and moves ModifiedAt', () => {
    const clock = { nowSeconds: START };
    const rules = rulesAt(clock);
    rules.create(newRule('orders', { urlPath: '/orders/*', attributes: { a: 'b' } }));
    clock.nowSeconds = START + 30;
    const updated = rules.update({ name: 'orders' }, { fixedRate: 0.5, host: 'api.example.com', priority: undefined });
    expect(updated).toMatchObject({ fixedRate: 0.5, host: 'api.example.com', urlPath: '/orders/*', priority: 100, attributes: { a: 'b' }, createdAt: START, modifiedAt: START + 30 });
    expect(rules.get({ name: 'orders' })).toEqual(updated);
    expect(() => rules.update({ name: 'nope' }, { fixedRate: 0 })).toThrow('there is no sampling rule named "nope"');
  });

  test('Default: only FixedRate and ReservoirSize change, repeating another value is no change, it cannot be deleted', () => {
    const clock = { nowSeconds: START };
    const rules = rulesAt(clock);
    clock.nowSeconds = START + 10;
    expect(rules.update({ name: 'Default' }, { fixedRate: 0.1, reservoirSize: 5, priority: 10000, urlPath: '*', attributes: {} }))
      .toMatchObject({ name: 'Default', fixedRate: 0.1, reservoirSize: 5, priority: 10000, createdAt: START, modifiedAt: START + 10 });
    expect(rules.get({ name: 'Default' }).fixedRate).toBe(0.1);
    expect(() => rules.update({ name: 'Default' }, { priority: 1 })).toThrow("the Default rule's Priority cannot be changed: only its FixedRate, ReservoirSize and SamplingRateBoost can");
    expect(() => rules.update({ arn: `${ARN}/Default` }, { urlPath: '/x' })).toThrow("the Default rule's URLPath cannot be changed");
    expect(() => rules.update({ name: 'Default' }, { attributes: { a: 'b' } })).toThrow("the Default rule's Attributes cannot be changed");
    expect(rules.update({ name: 'Default' }, { samplingRateBoost: { maxRate: 0.5, cooldownWindowMinutes: 1 } }).samplingRateBoost)
      .toEqual({ maxRate: 0.5, cooldownWindowMinutes: 1 });
    expect(() => rules.delete({ name: 'Default' })).toThrow('the Default rule cannot be deleted');
  });

  test('LastRuleModification follows creation, change and deletion, and never goes back', () => {
    const clock = { nowSeconds: START };
    const rules = rulesAt(clock);
    clock.nowSeconds = START + 10;
    rules.create(newRule('a'));
    expect(rules.lastModification()).toBe(START + 10);
    clock.nowSeconds = START + 20;
    rules.update({ name: 'a' }, { fixedRate: 0 });
    expect(rules.lastModification()).toBe(START + 20);
    clock.nowSeconds = START + 30.25;
    expect(rules.delete({ name: 'a' }).name).toBe('a');
    expect(rules.lastModification()).toBe(START + 30.25);
    clock.nowSeconds = START + 40;
    expect(rules.lastModification()).toBe(START + 30.25);
  });

  test('a bad configured rate is refused at the start', () => {
    expect(() => rulesAt({ nowSeconds: START }, 1.5)).toThrow('sampling rate must be a number from 0 to 1, got 1.5');
  });
});
