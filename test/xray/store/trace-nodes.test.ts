import { describe, expect, test } from 'vitest';
import { contributionOfTrace, type GraphDocument } from '../../../src/xray/graph/index.ts';
import { sumMinutes, type Cell, type NodeId } from '../../../src/xray/graph/aggregate.ts';
import { bucketSeconds } from '../../../src/xray/graph/histogram.ts';
import { traceNodes } from '../../../src/xray/store/trace-nodes.ts';
import { patternTrace, seededRandom } from '../graph/pattern-traces.ts';
import { fixtureNames, loadFixture } from '../fixtures/index.ts';

interface Outcome {
  ok: boolean;
  error: boolean;
  throttle: boolean;
  fault: boolean;
  /** The longest response time, bucketed as the graph's histograms bucket it. */
  longest: number | undefined;
}

const id = (node: NodeId): string => `${node.name} | ${node.type ?? ''}`;

function merge(into: Map<string, Outcome>, key: string, cell: Cell): void {
  const known = into.get(key) ?? { ok: false, error: false, throttle: false, fault: false, longest: undefined };
  const longest = Math.max(...[...cell.responseTime.keys(), known.longest ?? Number.NEGATIVE_INFINITY]);
  into.set(key, {
    ok: known.ok || cell.ok > 0,
    error: known.error || cell.errorOther > 0 || cell.throttle > 0,
    throttle: known.throttle || cell.throttle > 0,
    fault: known.fault || cell.fault > 0,
    longest: Number.isFinite(longest) ? longest : undefined,
  });
}

/** What the service graph draws for the trace, without the client nodes, keyed by (name, type). */
function fromGraph(documents: GraphDocument[]): { nodes: Map<string, Outcome & { root: boolean; inferred: boolean }>; edges: Map<string, Outcome> } {
  const minute = sumMinutes(contributionOfTrace(documents), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const nodes = new Map<string, Outcome>();
  const flags = new Map<string, { root: boolean; real: boolean }>();
  for (const cell of minute.nodes.values()) {
    if (cell.node.type === 'client') continue;
    merge(nodes, id(cell.node), cell);
    const known = flags.get(id(cell.node)) ?? { root: false, real: false };
    flags.set(id(cell.node), { root: known.root || cell.roots > 0, real: known.real || cell.real > 0 });
  }
  const edges = new Map<string, Outcome>();
  for (const cell of minute.edges.values()) {
    if (cell.source.type === 'client') continue;
    merge(edges, `${id(cell.source)} -> ${id(cell.target)}`, cell);
  }
  return {
    nodes: new Map([...nodes].map(([k, v]) => [k, { ...v, root: flags.get(k)!.root, inferred: !flags.get(k)!.real }])),
    edges,
  };
}

function fromTraceNodes(documents: GraphDocument[]) {
  const { services, edges } = traceNodes(documents);
  const outcome = (o: { ok: boolean; error: boolean; throttle: boolean; fault: boolean; responseTime: number | undefined }): Outcome => ({
    ok: o.ok, error: o.error, throttle: o.throttle, fault: o.fault,
    longest: o.responseTime === undefined ? undefined : bucketSeconds(o.responseTime),
  });
  return {
    nodes: new Map(services.map((s) => [`${s.name} | ${s.type}`, { ...outcome(s), root: s.root, inferred: s.inferred }])),
    edges: new Map(edges.map((e) => [`${e.source.name} | ${e.source.type} -> ${e.destination.name} | ${e.destination.type}`, outcome(e)])),
  };
}

function sorted<V>(map: Map<string, V>): Array<[string, V]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const parsed = (texts: readonly string[]): GraphDocument[] => texts.map((t) => JSON.parse(t) as GraphDocument);

const traces: Array<[string, GraphDocument[]]> = [
  ...fixtureNames.map((name): [string, GraphDocument[]] => [`fixture ${name}`, parsed(loadFixture(name).texts)]),
  ['pattern, all ok', patternTrace(1, 1_700_000_000).build()],
  ['pattern, HTTP flow faults', patternTrace(2, 1_700_000_000, { httpFaults: true }).build()],
  ['pattern, DynamoDB throttled', patternTrace(3, 1_700_000_000, { dynamoThrottled: true }).build()],
];

describe('traceNodes', () => {
  test.each(traces)('draws the nodes and edges the service graph draws: %s', (_name, documents) => {
    const graph = fromGraph(documents);
    const ours = fromTraceNodes(documents);
    expect(sorted(ours.nodes)).toEqual(sorted(graph.nodes));
    expect(sorted(ours.edges)).toEqual(sorted(graph.edges));
  });

  test('the same holds whatever order the documents arrive in', () => {
    const random = seededRandom(7);
    for (let n = 0; n < 20; n++) {
      const documents = patternTrace(10 + n, 1_700_000_000, { httpFaults: n % 2 === 0, dynamoThrottled: n % 3 === 0 }).build();
      documents.sort(() => random() - 0.5);
      expect(sorted(fromTraceNodes(documents).nodes)).toEqual(sorted(fromGraph(documents).nodes));
      expect(sorted(fromTraceNodes(documents).edges)).toEqual(sorted(fromGraph(documents).edges));
    }
  });

  test('a faulting remote call: the remote node and the edge to it fault, with exact response times', () => {
    const { services, edges } = traceNodes(patternTrace(4, 1_700_000_000, { httpFaults: true }).build());
    const remote = services.find((s) => s.type === 'remote');
    expect(remote).toMatchObject({ name: 'jsonplaceholder.typicode.com', inferred: true, root: false, fault: true, ok: false });
    expect(remote?.responseTime).toBe(0.46);
    const stage = services.find((s) => s.type === 'AWS::ApiGateway::Stage');
    expect(stage).toMatchObject({ name: 'xyz/prod', root: true, inferred: false, ok: true, fault: false });
    expect(services.some((s) => s.type === 'client')).toBe(false);
    const toRemote = edges.find((e) => e.destination.type === 'remote');
    expect(toRemote).toMatchObject({ source: { name: 'http-flow', type: 'AWS::Lambda::Function' }, fault: true });
  });

  test('a throttle is also an error, on the node and on the edge', () => {
    const { services, edges } = traceNodes(patternTrace(5, 1_700_000_000, { dynamoThrottled: true }).build());
    expect(services.find((s) => s.name === 'Hits')).toMatchObject({ type: 'AWS::DynamoDB::Table', throttle: true, error: true, ok: false });
    expect(edges.find((e) => e.destination.name === 'Hits')).toMatchObject({ throttle: true, error: true });
  });

  test('a segment without origin is a node of type ""; an in-progress one has no outcome', () => {
    const { services } = traceNodes([
      { id: 'a1', name: 'worker', start_time: 10, in_progress: true },
    ] as GraphDocument[]);
    expect(services).toEqual([{ name: 'worker', type: '', root: true, inferred: false, ok: false, error: false, throttle: false, fault: false, responseTime: undefined }]);
  });
});
