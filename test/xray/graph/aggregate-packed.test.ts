import { describe, expect, it } from 'vitest';
import { packAggregate, unpackAggregate } from '../../../src/xray/graph/aggregate-packed.ts';
import { aggregateToJson, contributionOfTrace, mergeAggregates, type Aggregate } from '../../../src/xray/graph/index.ts';
import { patternTrace } from './pattern-traces.ts';

const T0 = 1_700_000_050;

const canonical = (aggregate: Aggregate): string => JSON.stringify(aggregateToJson(aggregate));

describe('packed aggregates', () => {
  it('round-trips a trace contribution, in progress and link edges included', () => {
    const trace = patternTrace(1, T0, { httpFaults: true, dynamoThrottled: true }).build();
    // Leave the SQS consumer's function in progress: it counts for presence only.
    const consumer = trace.find((doc) => doc.name === 'sqs-subscriber' && doc.origin === 'AWS::Lambda::Function')!;
    const inProgress = trace.map((doc) => (doc === consumer ? { ...doc, end_time: undefined, in_progress: true } : doc));
    const contribution = contributionOfTrace(inProgress);
    expect(canonical(unpackAggregate(packAggregate(contribution)))).toBe(canonical(contribution));
  });

  it('round-trips a sum over several minutes, and is much smaller than the canonical JSON', () => {
    const sum = mergeAggregates(...Array.from({ length: 30 }, (_, i) => contributionOfTrace(patternTrace(i + 1, T0 + i * 7, { httpFaults: i % 3 === 0 }).build())));
    expect(sum.minutes.size).toBeGreaterThan(2);
    const packed = packAggregate(sum);
    expect(canonical(unpackAggregate(packed))).toBe(canonical(sum));
    expect(packed.length).toBeLessThan(canonical(sum).length / 3);
  });

  it('round-trips the empty aggregate', () => {
    expect(unpackAggregate(packAggregate({ minutes: new Map() })).minutes.size).toBe(0);
  });

  it.each([
    ['another version', '[2,[],[]]', 'expected [1, nodes, minutes]'],
    ['a node that is not listed', '[1,[],[[60,[[0,1,1,0,1,0,0,0,5,60,61,[],[],[]]],[]]]]', 'refers to node 0, which is not listed'],
    ['a cell without its counters', '[1,[["a",null,null]],[[60,[[0,1]],[]]]]', 'has no number at 2'],
    ['a histogram of odd length', '[1,[["a",null,null]],[[60,[[0,1,1,0,1,0,0,0,5,60,61,[0.1],[],[]]],[]]]]', 'is not [value, count, ...]'],
  ])('refuses %s', (_what, text, message) => {
    expect(() => unpackAggregate(text)).toThrow(message);
  });
});
