/**
 * The examples of AWS's documentation, each with the page it comes from: the pattern, events it
 * must match and events it must not.
 */
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../../src/cloud/event-patterns/index.ts';

const EB_OPERATORS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html';
const EB_PATTERNS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html';
const EB_ARRAYS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html';
const SNS_EXAMPLES = 'https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html';
const SNS_STRING = 'https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html';
const SNS_NUMERIC = 'https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html';
const LAMBDA = 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html';

interface Case {
  readonly doc: string;
  readonly name: string;
  readonly pattern: unknown;
  readonly matches: readonly unknown[];
  readonly misses: readonly unknown[];
}

const detail = (fields: Record<string, unknown>): unknown => ({ source: 'com.example', detail: fields });

const CASES: readonly Case[] = [
  // EventBridge: event patterns
  {
    doc: EB_PATTERNS,
    name: 'source, detail-type and a detail field, all must match',
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } },
    matches: [{ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: { 'instance-id': 'i-1', state: 'running' } }],
    misses: [
      { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: { state: 'stopped' } },
      { source: 'aws.s3', 'detail-type': 'EC2 Instance State-change Notification', detail: { state: 'running' } },
      { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' },
    ],
  },
  {
    doc: EB_PATTERNS,
    name: 'a list of values matches any of them',
    pattern: { detail: { state: ['running', 'stopped'] } },
    matches: [detail({ state: 'running' }), detail({ state: 'stopped' })],
    misses: [detail({ state: 'pending' })],
  },
  {
    doc: EB_ARRAYS,
    name: 'an array in the event matches when the two arrays share a value',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] },
    matches: [{ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }],
    misses: [{ resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }],
  },
  {
    doc: EB_OPERATORS,
    name: 'null matches null, not a missing field',
    pattern: { detail: { responseElements: [null] } },
    matches: [detail({ responseElements: null })],
    misses: [detail({}), detail({ responseElements: 'null' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'the empty string',
    pattern: { detail: { LastName: [''] } },
    matches: [detail({ LastName: '' })],
    misses: [detail({ LastName: 'Doe' }), detail({})],
  },
  {
    doc: EB_OPERATORS,
    name: 'numbers match by value: 3.018e2 is 301.8',
    pattern: { detail: { 'x-limit': [301.8] } },
    matches: [detail({ 'x-limit': 3.018e2 })],
    misses: [detail({ 'x-limit': '301.8' }), detail({ 'x-limit': 301.9 })],
  },
  {
    doc: EB_OPERATORS,
    name: 'prefix',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    matches: [{ time: '2017-10-02T18:43:48Z' }],
    misses: [{ time: '2017-10-03T18:43:48Z' }, { time: 20171002 }],
  },
  {
    doc: EB_OPERATORS,
    name: 'prefix ignoring case',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    matches: [detail({ service: 'EventBridge' }), detail({ service: 'EVENTBRIDGE' }), detail({ service: 'eventb' })],
    misses: [detail({ service: 'Lambda' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'suffix',
    pattern: { FileName: [{ suffix: '.png' }] },
    matches: [{ FileName: 'image.png' }],
    misses: [{ FileName: 'image.PNG' }, { FileName: 'image.png.txt' }],
  },
  {
    doc: EB_OPERATORS,
    name: 'suffix ignoring case',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    matches: [detail({ FileName: 'image.png' }), detail({ FileName: 'IMAGE.PNG' })],
    misses: [detail({ FileName: 'image.jpg' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    matches: [detail({ state: 'running' })],
    misses: [detail({ state: 'initializing' }), detail({})],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    matches: [detail({ 'x-limit': 124 })],
    misses: [detail({ 'x-limit': 123 }), detail({ 'x-limit': 1.23e2 })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a list of strings',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    matches: [detail({ state: 'running' })],
    misses: [detail({ state: 'stopped' }), detail({ state: 'overloaded' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a list of numbers',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    matches: [detail({ 'x-limit': 150 })],
    misses: [detail({ 'x-limit': 200 })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    matches: [detail({ state: 'running' })],
    misses: [detail({ state: 'initializing' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a suffix',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    matches: [detail({ FileName: 'notes.md' })],
    misses: [detail({ FileName: 'notes.txt' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but ignoring case, one value and a list',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } },
    matches: [detail({ state: 'running' })],
    misses: [detail({ state: 'INITIALIZING' }), detail({ state: 'Stopped' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'anything-but a wildcard',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    matches: [detail({ FilePath: '/usr/bin/env' })],
    misses: [detail({ FilePath: '/usr/lib/libc.so' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'numeric ranges',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    matches: [detail({ 'c-count': 5, 'd-count': 9.99, 'x-limit': 301.8 })],
    misses: [
      detail({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 }),
      detail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }),
      detail({ 'c-count': '5', 'd-count': 9, 'x-limit': 301.8 }),
    ],
  },
  {
    doc: EB_OPERATORS,
    name: 'cidr, IPv4',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    matches: [detail({ sourceIPAddress: '10.0.0.255' }), detail({ sourceIPAddress: '10.0.0.0' })],
    misses: [detail({ sourceIPAddress: '10.0.1.0' }), detail({ sourceIPAddress: 'not an address' }), detail({ sourceIPAddress: '::ffff:10.0.0.1' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'cidr, IPv6',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
    matches: [detail({ sourceIPAddress: '2001:db8:1234:1a00::1' }), detail({ sourceIPAddress: '2001:0db8:1234:1a00:ffff:ffff:ffff:ffff' })],
    misses: [detail({ sourceIPAddress: '2001:db8:1234:1a01::1' }), detail({ sourceIPAddress: '10.0.0.1' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'exists true and false',
    pattern: { detail: { state: [{ exists: true }], 'c-count': [{ exists: false }] } },
    matches: [detail({ state: 'x' }), detail({ state: null })],
    misses: [detail({}), detail({ state: 'x', 'c-count': 1 })],
  },
  {
    doc: EB_OPERATORS,
    name: 'exists works on leaves only: an object is not a value',
    pattern: { detail: { state: [{ exists: true }] } },
    matches: [],
    misses: [detail({ state: { code: 1 } })],
  },
  {
    doc: EB_OPERATORS,
    name: 'equals-ignore-case',
    pattern: { detail: { name: [{ 'equals-ignore-case': 'alice' }] } },
    matches: [detail({ name: 'Alice' }), detail({ name: 'ALICE' })],
    misses: [detail({ name: 'Alicia' })],
  },
  {
    doc: EB_OPERATORS,
    name: 'wildcard',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    matches: [{ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }],
    misses: [{ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }],
  },
  {
    doc: EB_OPERATORS,
    name: 'wildcard with an escaped star',
    pattern: { key: [{ wildcard: 'a\\*b*' }] },
    matches: [{ key: 'a*bc' }],
    misses: [{ key: 'axbc' }],
  },
  {
    doc: EB_OPERATORS,
    name: '$or across fields',
    pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } },
    matches: [detail({ 'c-count': 1 }), detail({ 'd-count': 3 }), detail({ 'x-limit': 301.8 })],
    misses: [detail({ 'c-count': 6, 'd-count': 11 })],
  },
  {
    doc: EB_OPERATORS,
    name: '$or at the top with a field beside it',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    matches: [{ source: 'aws.cloudwatch', metricName: 'ReadLatency' }, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }],
    misses: [{ source: 'aws.ec2', metricName: 'ReadLatency' }, { source: 'aws.cloudwatch', metricName: 'Other' }],
  },
  // SNS filter policies (MessageBody scope: the policy applies to the message as JSON)
  {
    doc: SNS_EXAMPLES,
    name: 'SNS example policy: store, interests, price and event',
    pattern: {
      store: ['example_corp'],
      event: [{ 'anything-but': 'order_cancelled' }],
      customer_interests: ['rugby', 'football', 'baseball'],
      price_usd: [{ numeric: ['>=', 100] }],
    },
    matches: [{ store: 'example_corp', event: 'order_placed', customer_interests: ['soccer', 'rugby', 'hockey'], price_usd: 210.75 }],
    misses: [
      { store: 'example_corp', event: 'order_cancelled', customer_interests: ['rugby'], price_usd: 210.75 },
      { store: 'example_corp', event: 'order_placed', customer_interests: ['soccer'], price_usd: 210.75 },
      { store: 'example_corp', event: 'order_placed', customer_interests: ['rugby'], price_usd: 99 },
    ],
  },
  {
    doc: SNS_STRING,
    name: 'SNS prefix on an array attribute',
    pattern: { customer_interests: [{ prefix: 'bas' }] },
    matches: [{ customer_interests: ['soccer', 'baseball'] }],
    misses: [{ customer_interests: ['rugby'] }],
  },
  {
    doc: SNS_STRING,
    name: 'SNS anything-but prefix',
    pattern: { event: [{ 'anything-but': { prefix: 'order-' } }] },
    matches: [{ event: 'data-entry' }],
    misses: [{ event: 'order-cancelled' }],
  },
  {
    doc: SNS_STRING,
    name: 'SNS IP address matching',
    pattern: { source_ip: [{ cidr: '10.0.0.0/24' }] },
    matches: [{ source_ip: '10.0.0.7' }],
    misses: [{ source_ip: '10.0.1.7' }],
  },
  {
    doc: SNS_NUMERIC,
    name: 'SNS numeric range',
    pattern: { price_usd: [{ numeric: ['>', 0, '<=', 150] }] },
    matches: [{ price_usd: 150 }, { price_usd: 0.01 }],
    misses: [{ price_usd: 0 }, { price_usd: 150.01 }],
  },
  {
    doc: SNS_EXAMPLES,
    name: 'SNS nested keys in the message body',
    pattern: { store: ['example_corp'], customer: { interests: ['basketball', 'baseball'] } },
    matches: [{ store: 'example_corp', customer: { name: 'J', interests: ['baseball'] } }],
    misses: [{ store: 'example_corp', customer: { interests: ['golf'] } }, { store: 'example_corp' }],
  },
  // Lambda event filtering
  {
    doc: LAMBDA,
    name: 'Lambda: a field of an SQS body',
    pattern: { body: { RequestCode: ['BBBB'] } },
    matches: [{ messageId: 'm', body: { RequestCode: 'BBBB', RequestId: 'r' } }],
    misses: [{ messageId: 'm', body: { RequestCode: 'AAAA' } }, { messageId: 'm', body: 'RequestCode BBBB' }],
  },
  {
    doc: LAMBDA,
    name: 'Lambda: Or across fields',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    matches: [{ Location: 'New York' }, { Day: 'Monday' }],
    misses: [{ Location: 'Boston', Day: 'Sunday' }],
  },
  {
    doc: LAMBDA,
    name: 'Lambda: Not (anything-but)',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    matches: [{ Weather: 'Sunny' }],
    misses: [{ Weather: 'Raining' }],
  },
  {
    doc: LAMBDA,
    name: 'Lambda: numeric equals and null',
    pattern: { Price: [{ numeric: ['=', 100] }], UserID: [null] },
    matches: [{ Price: 100, UserID: null }],
    misses: [{ Price: 100 }, { Price: 101, UserID: null }],
  },
];

describe('event patterns: the documented examples', () => {
  for (const example of CASES) {
    it(`${example.name} (${example.doc})`, () => {
      const compiled = compilePattern(JSON.stringify(example.pattern));
      if (!compiled.ok) throw new Error(compiled.reason);
      for (const event of example.matches) expect(compiled.pattern.matches(event), JSON.stringify(event)).toBe(true);
      for (const event of example.misses) expect(compiled.pattern.matches(event), JSON.stringify(event)).toBe(false);
    });
  }
});

describe('event patterns: anything-but of another type', () => {
  it('matches values of another type than the excluded ones, never a missing field', () => {
    const strings = compilePattern({ v: [{ 'anything-but': { prefix: 'init' } }] });
    const numbers = compilePattern({ v: [{ 'anything-but': [1, 2] }] });
    if (!strings.ok || !numbers.ok) throw new Error('refused');
    expect([5, null, true, 'running', 'initializing'].map((v) => strings.pattern.matches({ v }))).toEqual([true, true, true, true, false]);
    expect(['1', 3, 1, 2.0].map((v) => numbers.pattern.matches({ v }))).toEqual([true, true, false, false]);
    expect(strings.pattern.matches({})).toBe(false);
  });
});

describe('event patterns: arrays of objects', () => {
  it('matches the fields of one element together', () => {
    const compiled = compilePattern({ detail: { items: { name: ['a'], size: [1] } } });
    if (!compiled.ok) throw new Error(compiled.reason);
    expect(compiled.pattern.matches({ detail: { items: [{ name: 'b', size: 1 }, { name: 'a', size: 1 }] } })).toBe(true);
    expect(compiled.pattern.matches({ detail: { items: [{ name: 'a', size: 2 }, { name: 'b', size: 1 }] } })).toBe(false);
  });
});
