/**
 * SNS filter policies, from the examples of AWS's "Amazon SNS message filtering" pages:
 * - EX: https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html
 * - STR: https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
 * - NUM: https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html
 * - KEY: https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html
 * - OR: https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html
 * - LIM: https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
 */
import { describe, expect, it } from 'vitest';
import { compileFilterPolicy, filterPolicyCombinations, filterPolicyMatches } from '../../../src/cloud/sns/index.ts';
import type { FilterPolicyScope, SnsMessageAttribute } from '../../../src/cloud/sns/index.ts';

/** EX: the customer transaction's attributes. */
const TRANSACTION: Record<string, SnsMessageAttribute> = {
  customer_interests: { Type: 'String.Array', Value: '["soccer", "rugby", "hockey"]' },
  store: { Type: 'String', Value: 'example_corp' },
  event: { Type: 'String', Value: 'order_placed' },
  price_usd: { Type: 'Number', Value: '210.75' },
};
/** EX: the same transaction as the message body. */
const TRANSACTION_BODY = JSON.stringify({
  customer_interests: ['soccer', 'rugby', 'hockey'],
  store: 'example_corp',
  event: 'order_placed',
  price_usd: 210.75,
  source: { ip: '10.0.0.255' },
});

function matches(policy: unknown, attributes: Record<string, SnsMessageAttribute> = TRANSACTION, scope: FilterPolicyScope = 'MessageAttributes', body = 'a message'): boolean {
  return filterPolicyMatches(compileFilterPolicy(JSON.stringify(policy), scope), body, attributes);
}

describe('SNS filter policies match as AWS documents', () => {
  const attributeCases: Array<[string, unknown, boolean]> = [
    ['EX: the documented policy accepts the transaction', { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] }, true],
    ['STR: exact string', { store: ['example_corp'] }, true],
    ['STR: string matching is case-sensitive', { store: ['Example_Corp'] }, false],
    ['STR: equals-ignore-case', { store: [{ 'equals-ignore-case': 'EXAMPLE_CORP' }] }, true],
    ['STR: prefix', { event: [{ prefix: 'order' }] }, true],
    ['STR: suffix', { event: [{ suffix: '_placed' }] }, true],
    ['STR: anything-but a list', { event: [{ 'anything-but': ['order_cancelled', 'order_placed'] }] }, false],
    ['STR: anything-but prefix', { event: [{ 'anything-but': { prefix: 'order' } }] }, false],
    ['STR: anything-but prefix of another', { event: [{ 'anything-but': { prefix: 'refund' } }] }, true],
    ['STR: a String.Array matches when one element does', { customer_interests: ['rugby'] }, true],
    ['STR: a String.Array matches none of another list', { customer_interests: ['tennis', 'golf'] }, false],
    ['STR: a String.Array element by prefix', { customer_interests: [{ prefix: 'hock' }] }, true],
    ['STR: anything-but matches a String.Array with an element not listed', { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] }, true],
    ['STR: anything-but of every element of a String.Array', { customer_interests: [{ 'anything-but': ['soccer', 'rugby', 'hockey'] }] }, false],
    ['NUM: a Number compares numerically', { price_usd: [{ numeric: ['=', 210.75] }] }, true],
    ['NUM: exact number', { price_usd: [210.75] }, true],
    ['NUM: a range', { price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, false],
    ['NUM: anything-but a number', { price_usd: [{ 'anything-but': [100, 200] }] }, true],
    ['NUM: a String attribute is not a number', { store: [{ numeric: ['>', 0] }] }, false],
    ['KEY: exists true', { store: [{ exists: true }] }, true],
    ['KEY: exists true on a missing key', { color: [{ exists: true }] }, false],
    ['KEY: exists false on a missing key', { color: [{ exists: false }] }, true],
    ['KEY: exists false on a present key', { store: [{ exists: false }] }, false],
    ['OR: $or of two keys, one holds', { $or: [{ store: ['other'] }, { event: ['order_placed'] }] }, true],
    ['OR: $or of two keys, neither holds', { $or: [{ store: ['other'] }, { event: ['refund'] }] }, false],
    ['AND: every key must match', { store: ['example_corp'], event: ['refund'] }, false],
  ];
  it.each(attributeCases)('%s', (_name, policy, expected) => {
    expect(matches(policy)).toBe(expected);
  });

  it('KEY: a message without attributes matches nothing, not even exists false', () => {
    expect(matches({ store: [{ exists: false }] }, {})).toBe(false);
    expect(matches({ store: [{ 'anything-but': 'x' }] }, {})).toBe(false);
  });

  it('compares a String attribute as text: "5" is not the number 5', () => {
    expect(matches({ count: [5] }, { count: { Type: 'String', Value: '5' } })).toBe(false);
    expect(matches({ count: [5] }, { count: { Type: 'Number', Value: '5.0' } })).toBe(true);
  });

  it('never compares a Binary attribute', () => {
    expect(matches({ blob: [{ exists: true }] }, { blob: { Type: 'Binary', Value: 'AAEC' } })).toBe(false);
  });

  it('cidr: an IP address attribute in a range', () => {
    expect(matches({ source_ip: [{ cidr: '10.0.0.0/24' }] }, { source_ip: { Type: 'String', Value: '10.0.0.255' } })).toBe(true);
    expect(matches({ source_ip: [{ cidr: '10.0.0.0/24' }] }, { source_ip: { Type: 'String', Value: '10.0.1.0' } })).toBe(false);
  });

  const bodyCases: Array<[string, unknown, boolean]> = [
    ['EX: body scope, the documented policy', { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby'], price_usd: [{ numeric: ['>=', 100] }] }, true],
    ['body: nested keys', { source: { ip: [{ cidr: '10.0.0.0/24' }] } }, true],
    ['body: nested keys that do not match', { source: { ip: ['10.0.0.1'] } }, false],
    ['body: an array in the body', { customer_interests: ['hockey'] }, true],
  ];
  it.each(bodyCases)('%s', (_name, policy, expected) => {
    expect(matches(policy, {}, 'MessageBody', TRANSACTION_BODY)).toBe(expected);
  });

  it('body scope: a body that is not a JSON object matches nothing', () => {
    expect(matches({ store: [{ exists: false }] }, TRANSACTION, 'MessageBody', 'plain text')).toBe(false);
    expect(matches({ store: [{ exists: false }] }, TRANSACTION, 'MessageBody', '["store"]')).toBe(false);
  });
});

describe('SNS refuses filter policies as AWS does (InvalidParameter "Invalid parameter: FilterPolicy: ...")', () => {
  const refusals: Array<[string, string, FilterPolicyScope, RegExp]> = [
    ['not JSON', '{"store": ', 'MessageAttributes', /^Invalid parameter: FilterPolicy: failed to parse JSON/],
    ['LIM: nested under attributes scope', '{"source": {"ip": ["1"]}}', 'MessageAttributes', /^Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy$/],
    ['LIM: six keys', JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }), 'MessageAttributes', /FilterPolicy: Filter policy can not have more than 5 keys$/],
    ['LIM: six top-level keys in the body', JSON.stringify({ a: { b: ['1'] }, c: ['1'], d: ['1'], e: ['1'], f: ['1'], g: ['1'] }), 'MessageBody', /more than 5 keys$/],
    ['LIM: 51 values three levels down count 153', JSON.stringify({ a: { b: { c: Array.from({ length: 51 }, (_, i) => String(i)) } } }), 'MessageBody', /FilterPolicy: Filter policy is too complex$/],
    ['LIM: 151 combinations', JSON.stringify({ a: Array.from({ length: 151 }, (_, i) => String(i)) }), 'MessageAttributes', /FilterPolicy: Filter policy is too complex$/],
    ['LIM: a number over 1e9', '{"price": [{"numeric": [">", 1000000001]}]}', 'MessageAttributes', /FilterPolicy: Match value must be between -1.0E9 and 1.0E9, inclusive$/],
    ['LIM: six decimals', '{"price": [0.123456]}', 'MessageAttributes', /FilterPolicy: Match value must have at most 5 digits after the decimal point$/],
    ['no wildcard in SNS', '{"store": [{"wildcard": "ex*"}]}', 'MessageAttributes', /FilterPolicy: Unrecognized match type wildcard$/],
    ['an inverted range', '{"price": [{"numeric": [">", 10, "<", 5]}]}', 'MessageAttributes', /FilterPolicy: Bottom must be less than top$/],
    ['an unknown operator', '{"price": [{"between": [1, 2]}]}', 'MessageAttributes', /FilterPolicy: Unrecognized match type between$/],
    ['LIM: over 256 KB', JSON.stringify({ a: ['x'.repeat(256 * 1024)] }), 'MessageAttributes', /FilterPolicy: Filter policy is too long/],
  ];
  it.each(refusals)('%s', (_name, text, scope, message) => {
    expect(() => compileFilterPolicy(text, scope)).toThrow(expect.objectContaining({ code: 'InvalidParameter', message: expect.stringMatching(message) }));
  });

  it('LIM: accepts 150 combinations, 5 keys, ±1e9 and 5 decimals', () => {
    const limits = { a: Array.from({ length: 30 }, (_, i) => String(i)), b: ['1', '2', '3', '4', '5'], c: [1e9], d: [-1e9], e: [0.12345] };
    expect(compileFilterPolicy(JSON.stringify(limits), 'MessageAttributes').text).toBe(JSON.stringify(limits));
  });

  it('LIM: in the body only top-level keys count (the key-counting example: 4 top-level, 6 in all)', () => {
    const policy = { state: ['SUCCESS'], severity: [{ exists: true }], message: [{ exists: true }], finding: { standard_control: [{ exists: true }], region: [{ exists: true }], account: [{ exists: true }] } };
    expect(compileFilterPolicy(JSON.stringify(policy), 'MessageBody').scope).toBe('MessageBody');
  });

  it('LIM: a key counts its values times its depth (the constraints page: 3 x 4 x 2 x 3 = 72)', () => {
    const four = ['value_one', 'value_two', 'value_three', 'value_four'];
    const policy = compileFilterPolicy(JSON.stringify({ key_a: { key_b: { key_c: four } }, key_d: { key_e: four.slice(0, 3) } }), 'MessageBody');
    expect(filterPolicyCombinations(policy.pattern.conditions)).toBe(72);
    expect(compileFilterPolicy(JSON.stringify({ a: { b: { c: Array.from({ length: 50 }, (_, i) => String(i)) } } }), 'MessageBody').scope).toBe('MessageBody');
  });

  it('words a refusal on Subscribe with "Attributes Reason: "', () => {
    expect(() => compileFilterPolicy('{"a": []}', 'MessageAttributes', 'Subscribe')).toThrow('Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed');
  });

  it('OR: counts the keys of the widest $or branch and sums the combinations of the branches', () => {
    const policy = { a: ['1'], $or: [{ b: ['1'], c: ['1'] }, { d: ['1'], e: ['1'], f: ['1'], g: ['1'], h: ['1'] }] };
    expect(compileFilterPolicy(JSON.stringify({ ...policy, $or: [policy.$or[0], { d: ['1'], e: ['1'], f: ['1'], g: ['1'] }] }), 'MessageAttributes').scope).toBe('MessageAttributes');
    expect(() => compileFilterPolicy(JSON.stringify(policy), 'MessageAttributes')).toThrow(/more than 5 keys/);
  });
});
