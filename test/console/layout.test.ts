import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/console/api/types.ts';
import { toMapGraph } from '../../src/console/map/graph-model.ts';
import type { Layout } from '../../src/console/map/layout.ts';
import { layoutGraph, signatureOf } from '../../src/console/map/layout.ts';
import { patternServices } from './pattern-graph.ts';

function coordinates(layout: Layout): Record<string, [number, number]> {
  return Object.fromEntries([...layout.nodes.values()].map((node) => [node.key, [node.x, node.y]]));
}

/** Node keys of each column (same x), top to bottom. */
function columns(layout: Layout): string[][] {
  const byX = new Map<number, Array<{ key: string; y: number }>>();
  for (const node of layout.nodes.values()) byX.set(node.x, [...(byX.get(node.x) ?? []), { key: node.key, y: node.y }]);
  return [...byX.entries()].sort(([a], [b]) => a - b).map(([, nodes]) => nodes.sort((a, b) => a.y - b.y).map((node) => node.key));
}

describe('service map layout', () => {
  it('gives the same coordinates for the same graph, laid out twice and from the services in any order', async () => {
    const services = await patternServices(6);
    const first = await layoutGraph(toMapGraph(services));
    const second = await layoutGraph(toMapGraph(services));
    const shuffled = await layoutGraph(toMapGraph([...services].reverse()));
    expect(coordinates(second)).toEqual(coordinates(first));
    expect(coordinates(shuffled)).toEqual(coordinates(first));
    expect([...second.edges.values()]).toEqual([...first.edges.values()]);
    expect(first.nodes.size).toBe(19);
  });

  it('lays the pattern out left to right in call order', async () => {
    const layout = await layoutGraph(toMapGraph(await patternServices(3)));
    const x = (key: string): number => layout.nodes.get(key)?.x ?? Number.NaN;
    expect(x('client|xyz/prod')).toBeLessThan(x('AWS::ApiGateway::Stage|xyz/prod'));
    expect(x('AWS::ApiGateway::Stage|xyz/prod')).toBeLessThan(x('AWS::SNS|fan-out'));
    expect(x('AWS::SNS|fan-out')).toBeLessThan(x('AWS::Lambda|http-flow'));
    expect(x('AWS::Lambda|http-flow')).toBeLessThan(x('AWS::Lambda::Function|http-flow'));
    expect(x('AWS::SQS::Queue|hits-queue')).toBeLessThan(x('AWS::Lambda|sqs-subscriber'));
  });

  it('slots a new node in without reordering the others', async () => {
    const services = await patternServices(3);
    const before = columns(await layoutGraph(toMapGraph(services)));
    const fanOut = services.find((service) => service.Name === 'fan-out') as Service;
    const added: Service = { ReferenceId: 999, Name: 'audit-flow', Type: 'AWS::Lambda', Edges: [] };
    const grown = services.map((service) => (service === fanOut ? { ...service, Edges: [...(service.Edges ?? []), { ReferenceId: 999 }] } : service));
    const after = columns(await layoutGraph(toMapGraph([...grown, added])));
    expect(after.flat()).toContain('AWS::Lambda|audit-flow');
    const withoutNew = after.map((column) => column.filter((key) => key !== 'AWS::Lambda|audit-flow'));
    expect(withoutNew).toEqual(before);
  });

  it('keeps a signature of nodes and edges only, so new statistics reuse the layout', async () => {
    const services = await patternServices(3);
    const busier = await patternServices(9);
    expect(signatureOf(toMapGraph(busier))).toBe(signatureOf(toMapGraph(services)));
  });
});
