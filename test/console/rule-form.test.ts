import { describe, expect, it } from 'vitest';
import { byPriority, EMPTY_FIELDS, fieldsOf, formatPercent, matchText, ruleOf } from '../../src/console/sampling/rule-form.ts';

const fields = { ...EMPTY_FIELDS, name: 'health-checks', priority: '10', ratePercent: '0', reservoir: '0', urlPath: '/prod/health*', method: 'GET' };

describe('the sampling rule form', () => {
  it('turns its fields into a rule, blanks into wildcards, percent into a rate', () => {
    expect(ruleOf({ ...fields, ratePercent: '12.5', host: '  ', attributes: 'tier=gold\n\n team = payments ' })).toEqual({
      ok: true,
      rule: {
        RuleName: 'health-checks', Priority: 10, FixedRate: 0.125, ReservoirSize: 0, ServiceName: '*', ServiceType: '*', Host: '*',
        HTTPMethod: 'GET', URLPath: '/prod/health*', ResourceARN: '*', Version: 1, Attributes: { tier: 'gold', team: 'payments' },
      },
    });
  });

  it.each([
    [{ name: ' ' }, 'name'],
    [{ priority: '' }, 'priority'],
    [{ priority: '1.5' }, 'priority'],
    [{ ratePercent: '101' }, 'ratePercent'],
    [{ ratePercent: 'all' }, 'ratePercent'],
    [{ reservoir: '-1' }, 'reservoir'],
    [{ attributes: 'no equals sign' }, 'attributes'],
  ])('names the field that is wrong: %j', (change, field) => {
    const result = ruleOf({ ...fields, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.field).toBe(field);
  });

  it('reads a rule back into the same fields', () => {
    const result = ruleOf({ ...fields, ratePercent: '5', attributes: 'a=b' });
    if (!result.ok) throw new Error(result.message);
    expect(fieldsOf(result.rule)).toEqual({ ...fields, ratePercent: '5', attributes: 'a=b' });
  });

  it('shows rates without float noise', () => {
    expect(formatPercent(0.05)).toBe('5');
    expect(formatPercent(0.07)).toBe('7');
    expect(formatPercent(1)).toBe('100');
    expect(formatPercent(0.001)).toBe('0.1');
  });

  it('says what a rule matches, leaving out wildcards', () => {
    const result = ruleOf(fields);
    if (!result.ok) throw new Error(result.message);
    expect(matchText(result.rule)).toBe('method GET, path /prod/health*');
    const everything = ruleOf({ ...EMPTY_FIELDS, name: 'x', priority: '1' });
    if (!everything.ok) throw new Error(everything.message);
    expect(matchText(everything.rule)).toBe('every request');
  });

  it('orders rules as they are matched: priority, then name', () => {
    const record = (name: string, priority: number) => {
      const result = ruleOf({ ...fields, name, priority: String(priority) });
      if (!result.ok) throw new Error(result.message);
      return { SamplingRule: result.rule };
    };
    const order = byPriority([record('b', 5), record('Default', 10000), record('a', 5), record('c', 1)]).map((r) => r.SamplingRule.RuleName);
    expect(order).toEqual(['c', 'a', 'b', 'Default']);
  });

  it('breaks a priority tie by character code, as the service and the SDKs match', () => {
    const record = (name: string) => {
      const result = ruleOf({ ...fields, name, priority: '5' });
      if (!result.ok) throw new Error(result.message);
      return { SamplingRule: result.rule };
    };
    // `-` (45) is before `_` (95), and capitals before small letters.
    const order = byPriority(['rule_a', 'a', 'rule-b', 'B'].map(record)).map((r) => r.SamplingRule.RuleName);
    expect(order).toEqual(['B', 'a', 'rule-b', 'rule_a']);
  });
});

