/**
 * Patterns EventBridge refuses, with its reasons (InvalidEventPatternException), and the documented
 * limits; patterns it accepts must compile.
 */
import { describe, expect, it } from 'vitest';
import { combinations, compilePattern, eventBridgePatternMessage, forEachLeaf, leafKeyCount } from '../../../src/cloud/event-patterns/index.ts';

const REFUSED: ReadonlyArray<readonly [string, unknown, string]> = [
  ['not an object', '["a"]', 'Filter is not an object'],
  ['not JSON', '{"source": [', 'Filter is not valid JSON'],
  ['an empty object', {}, 'Empty objects are not allowed'],
  ['an empty list', { source: [] }, 'Empty arrays are not allowed'],
  ['a bare value', { source: 'aws.ec2' }, '"source" must be an object or an array'],
  ['an array inside the list', { source: [['a']] }, 'Match value must be String, number, true, false, or null'],
  ['an unknown operator', { source: [{ contains: 'a' }] }, 'Unrecognized match type contains'],
  ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed in match expression'],
  ['a numeric prefix', { source: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
  ['numeric not a list', { n: [{ numeric: '>' }] }, 'Value of numeric must be an array.'],
  ['numeric with a string value', { n: [{ numeric: ['>', '1'] }] }, 'Value of > must be numeric'],
  ['numeric with an unknown operator', { n: [{ numeric: ['!=', 1] }] }, 'Unrecognized numeric range operator: !='],
  ['numeric with an upper then a lower bound', { n: [{ numeric: ['<', 1, '>', 0] }] }, 'Too many elements in numeric expression'],
  ['numeric with an inverted range', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
  ['numeric beyond the limit', { n: [{ numeric: ['>', 6e9] }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  ['exists not a boolean', { n: [{ exists: 'true' }] }, 'exists match pattern must be either true or false.'],
  ['anything-but of mixed types', { n: [{ 'anything-but': ['a', 1] }] }, 'mixed type is not supported'],
  ['anything-but of null', { n: [{ 'anything-but': [null] }] }, 'Inside anything but list, start|null|boolean is not supported.'],
  ['anything-but of an empty prefix', { n: [{ 'anything-but': { prefix: '' } }] }, 'Null prefix/suffix not allowed'],
  ['anything-but of an unknown form', { n: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
  ['a malformed cidr', { ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
  ['a cidr prefix too long', { ip: [{ cidr: '10.0.0.0/33' }] }, 'Invalid CIDR: 10.0.0.0/33'],
  ['consecutive wildcards', { k: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 2'],
  ['a bad escape in a wildcard', { k: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 1'],
  ['$or with one branch', { $or: [{ a: ['1'] }] }, 'There must have at least 2 Objects in $or relationship.'],
  ['$or not a list', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'],
  ['an operator name as a field inside $or', { $or: [{ prefix: ['1'] }, { b: ['2'] }] }, 'prefix is Ruler reserved fieldName which cannot be used inside $or.'],
];

describe('event patterns: validation', () => {
  for (const [name, pattern, reason] of REFUSED) {
    it(`refuses ${name}`, () => {
      const compiled = compilePattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern));
      expect(compiled.ok).toBe(false);
      if (!compiled.ok) expect(compiled.reason).toContain(reason);
    });
  }

  it('words the refusal as EventBridge does', () => {
    expect(eventBridgePatternMessage('Empty arrays are not allowed')).toBe('Event pattern is not valid. Reason: Empty arrays are not allowed');
  });

  it('accepts every form the documentation shows', () => {
    const pattern = {
      a: ['x', 1, null, true, { prefix: '' }, { suffix: 'x' }, { 'equals-ignore-case': 'X' }, { wildcard: '*' }, { exists: false }, { cidr: '::/0' }],
      b: [{ numeric: ['>=', -5e9, '<', 5e9] }, { numeric: ['=', 0] }, { numeric: ['<=', 1] }],
      c: [{ 'anything-but': 'x' }, { 'anything-but': 1 }, { 'anything-but': { 'equals-ignore-case': 'x' } }, { 'anything-but': { wildcard: ['*a', 'b*'] } }],
    };
    expect(compilePattern(pattern).ok).toBe(true);
  });

  it('refuses operators a dialect does not accept', () => {
    const compiled = compilePattern({ a: [{ wildcard: '*' }] }, { operators: new Set(['prefix']) });
    expect(compiled).toEqual({ ok: false, reason: 'Unrecognized match type wildcard' });
  });

  it('counts keys and combinations as SNS does (150 at most)', () => {
    // https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
    const compiled = compilePattern({ key_a: ['value_one', 'value_two', 'value_three'], key_b: ['value_one'], key_c: ['value_one', 'value_two'] });
    if (!compiled.ok) throw new Error(compiled.reason);
    expect(combinations(compiled.pattern.conditions)).toBe(6);
    expect(leafKeyCount(compiled.pattern.conditions)).toBe(3);
    const withOr = compilePattern({ source: ['aws.cloudwatch'], $or: [{ metricName: ['a', 'b'] }, { namespace: ['c'], scope: ['d'] }] });
    if (!withOr.ok) throw new Error(withOr.reason);
    expect(combinations(withOr.pattern.conditions)).toBe(3);
    // The $or example of the same page: (1 × 2) + (1 × 1 × 2) = 4 combinations.
    const documented = compilePattern({ source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }] });
    if (!documented.ok) throw new Error(documented.reason);
    expect(combinations(documented.pattern.conditions)).toBe(4);
  });

  it('walks every leaf with its key path, for a dialect’s own checks', () => {
    const compiled = compilePattern({ a: { b: [1] }, $or: [{ c: [{ numeric: ['>', 2e9] }] }, { d: ['x'] }] });
    if (!compiled.ok) throw new Error(compiled.reason);
    const seen: string[] = [];
    forEachLeaf(compiled.pattern.conditions, (path, matchers) => seen.push(`${path.join('.')}:${matchers.map((m) => m.kind).join(',')}`));
    expect(seen).toEqual(['a.b:exact', 'c:numeric', 'd:exact']);
  });

  it('refuses a pattern nested deeper than the stack, and matches events nested deep without failing', () => {
    const deep = `${'{"a":'.repeat(100_000)}["x"]${'}'.repeat(100_000)}`;
    expect(compilePattern(deep)).toEqual({ ok: false, reason: 'Filter is nested too deeply' });
    const compiled = compilePattern({ a: ['x'] });
    if (!compiled.ok) throw new Error(compiled.reason);
    let nested: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) nested = [nested];
    expect(compiled.pattern.matches({ a: nested })).toBe(true);
  });
});
