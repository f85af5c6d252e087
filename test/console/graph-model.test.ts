import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/console/api/types.ts';
import { edgeFilter, healthOf, nodeFilter, perMinute, toMapGraph, withStatus } from '../../src/console/map/graph-model.ts';
import type { MapNode } from '../../src/console/map/graph-model.ts';
import { parse } from '../../src/xray/query/index.ts';
import { statistics } from './statistics-fixture.ts';


/** A map node as toMapGraph makes it from one service of `name` and `type`. */
function mapNode(name: string, type: string | undefined): MapNode {
  const [node] = toMapGraph([{ ReferenceId: 0, Name: name, ...(type !== undefined && { Type: type }) }]).nodes;
  if (node === undefined) throw new Error('no node');
  return node;
}

describe('map graph model', () => {
  it('splits requests into ok, error, throttle and fault, and averages response times', () => {
    const services: Service[] = [
      { ReferenceId: 0, Name: 'web', Type: 'client', Edges: [{ ReferenceId: 1, SummaryStatistics: statistics(6, 1, 2, 1, 5) }] },
      { ReferenceId: 1, Name: 'api', Type: 'AWS::ApiGateway::Stage', Root: true, SummaryStatistics: statistics(6, 1, 2, 1, 4), Edges: [{ ReferenceId: 2, EdgeType: 'link' }] },
      { ReferenceId: 2, Name: 'queue', Type: 'AWS::SQS::Queue' },
    ];
    const graph = toMapGraph(services);
    const api = graph.nodes.find((node) => node.key === 'AWS::ApiGateway::Stage|api');
    expect(api?.health).toEqual({ ok: 6, error: 1, throttle: 2, fault: 1, total: 10 });
    expect(api?.averageResponseTime).toBeCloseTo(0.4);
    expect(api?.root).toBe(true);
    // A client has no statistics of its own: its ring shows what it sent.
    expect(graph.nodes.find((node) => node.type === 'client')?.health.total).toBe(10);
    expect(graph.nodes.find((node) => node.key === 'AWS::SQS::Queue|queue')?.averageResponseTime).toBeUndefined();
    expect(graph.edges.map((edge) => [edge.key, edge.link])).toEqual([
      ['AWS::ApiGateway::Stage|api->AWS::SQS::Queue|queue', true],
      ['client|web->AWS::ApiGateway::Stage|api', false],
    ]);
  });

  it('reads absent statistics as no requests', () => {
    expect(healthOf(undefined)).toEqual({ ok: 0, error: 0, throttle: 0, fault: 0, total: 0 });
    expect(healthOf({ TotalCount: 3, ErrorStatistics: { TotalCount: 3, ThrottleCount: 1 } })).toMatchObject({ error: 2, throttle: 1, total: 3 });
    expect(perMinute(30, 900)).toBe(2);
    expect(perMinute(30, 0)).toBe(0);
  });

  it('writes node and edge filters the filter language parses, whatever the names hold', () => {
    const odd = mapNode('a "quoted" \\ name', 'AWS::Lambda');
    const plain = mapNode('fan-out', 'AWS::SNS');
    const untyped = mapNode('legacy', undefined);
    for (const filter of [nodeFilter(odd), edgeFilter(plain, odd), withStatus(nodeFilter(odd), 'fault'), withStatus(edgeFilter(odd, plain), 'throttle'), nodeFilter(untyped)]) {
      expect(() => parse(filter), filter).not.toThrow();
    }
    expect(nodeFilter(plain)).toBe('service(id(name: "fan-out", type: "AWS::SNS"))');
    expect(withStatus(nodeFilter(plain), 'error')).toBe('service(id(name: "fan-out", type: "AWS::SNS")) { error }');
    // Drawn as unknown, a node sent without a type is matched by the type "".
    expect(untyped.type).toBe('unknown');
    expect(nodeFilter(untyped)).toBe('service(id(name: "legacy", type: ""))');
    expect(edgeFilter(untyped, plain)).toBe('edge(id(name: "legacy", type: ""), id(name: "fan-out", type: "AWS::SNS"))');
    // Traces from a client are all traces through what it called.
    const client = mapNode('web', 'client');
    expect(edgeFilter(client, plain)).toBe(nodeFilter(plain));
    expect(withStatus(nodeFilter(client), 'fault')).toBe('fault');
  });
});
