/**
 * EventBridge on the map as the X-Ray developer guide draws it ("Amazon EventBridge and AWS X-Ray"):
 * an EventBridge node between the function that calls PutEvents and the targets that continue its
 * trace. EventBridge sends no segment; the node is inferred from the caller's PutEvents subsegment.
 */
import { describe, expect, it } from 'vitest';
import { contributionOfTrace, mergeAggregates, toServiceGraph } from '../../../src/xray/graph/index.ts';
import { servicesJson } from '../../../src/xray/api/graph-json.ts';
import { digest } from './digest.ts';
import { TraceBuilder } from './pattern-traces.ts';

const T0 = 1_700_000_050;

describe('EventBridge on the service map', () => {
  it('draws the targets behind an EventBridge node, not straight from the caller', () => {
    const trace = new TraceBuilder(1, T0);
    const producer = trace.lambda('producer', 'aaaaaaaaaaaaaaaa', [0, 0.2], [0.01, 0.19]);
    const call = trace.subsegment(producer.fn, 'EventBridge', 0.02, 0.05, { namespace: 'aws', aws: { operation: 'PutEvents', region: 'us-east-1' } });
    // The target function's Lambda segment continues the trace under the PutEvents subsegment.
    trace.lambda('consumer', call.id, [0.06, 0.3], [0.07, 0.29]);
    const graph = digest(servicesJson(toServiceGraph(mergeAggregates(contributionOfTrace(trace.build())))));
    const edges = Object.fromEntries(Object.entries(graph).map(([key, node]) => [key, Object.keys(node.edges)]));
    expect(edges['producer | AWS::Lambda::Function']).toEqual(['EventBridge | AWS::EventBridge']);
    expect(edges['EventBridge | AWS::EventBridge']).toEqual(['consumer | AWS::Lambda']);
  });
});
