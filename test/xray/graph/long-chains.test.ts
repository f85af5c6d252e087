/**
 * Valid traces whose parent links chain thousands deep: every document is accepted on its own, so
 * the graph must be drawn without recursing once per link (the stack would overflow in the writer
 * thread and leave the trace's summary and graph unreadable).
 */
import { describe, expect, test } from 'vitest';
import { contributionOfTrace, toTraceGraph as traceGraph, type GraphDocument } from '../../../src/xray/graph/index.ts';
import { servicesJson, type ServiceJson } from '../../../src/xray/api/graph-json.ts';

/** The graph as GetTraceGraph writes it. */
const toTraceGraph = (...args: Parameters<typeof traceGraph>): ServiceJson[] => servicesJson(traceGraph(...args));
import { traceNodes } from '../../../src/xray/store/trace-nodes.ts';

const TRACE_ID = '1-6553f300-00000000000000000000abcd';
const START = 1_700_000_040;
const LENGTH = 10_000;
const id = (i: number): string => (0xe000 + i).toString(16).padStart(16, '0');

function root(): GraphDocument {
  return { name: 'front', id: id(0), trace_id: TRACE_ID, start_time: START, end_time: START + 2 } as GraphDocument;
}

/** Segments each naming the one before as parent, as a Lambda function names the Lambda service's segment. */
function segmentChain(): GraphDocument[] {
  return [root(), ...Array.from({ length: LENGTH - 1 }, (_, i) => ({
    name: `svc-${(i + 1) % 3}`, id: id(i + 1), trace_id: TRACE_ID, parent_id: id(i), start_time: START + (i + 1) / 1e5, end_time: START + 1,
  }) as GraphDocument)];
}

/** Standalone subsegments each naming the one before as parent, every third a remote call. */
function subsegmentChain(): GraphDocument[] {
  return [root(), ...Array.from({ length: LENGTH - 1 }, (_, i) => ({
    type: 'subsegment', name: `call-${i + 1}`, id: id(i + 1), trace_id: TRACE_ID, parent_id: id(i),
    start_time: START + (i + 1) / 1e5, end_time: START + 1, ...((i + 1) % 3 === 0 ? { namespace: 'remote' } : {}),
  }) as GraphDocument)];
}

describe('traces that chain thousands of parent links deep', () => {
  test('a chain of segments draws its services and edges', () => {
    const graph = toTraceGraph([contributionOfTrace(segmentChain())]);
    expect(graph.map((service) => service.Name).sort()).toEqual(['front', 'front', 'svc-0', 'svc-1', 'svc-2']);
    expect(traceNodes(segmentChain()).services.map((service) => service.name).sort()).toEqual(['front', 'svc-0', 'svc-1', 'svc-2']);
  });

  test('a chain of standalone subsegments draws the remote calls under the root', () => {
    const graph = toTraceGraph([contributionOfTrace(subsegmentChain())]);
    const front = graph.find((service) => service.Name === 'front' && service.Type !== 'client');
    expect(front?.Edges?.length).toBeGreaterThan(0);
    expect(traceNodes(subsegmentChain()).services.length).toBeGreaterThan(1);
  });
});
