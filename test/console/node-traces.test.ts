/**
 * The details panel's trace list: the filter a map node or edge gives must find exactly the traces
 * through it when the service evaluates it, for a node sent without a type too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XrayApi } from '../../src/console/api/client.ts';
import type { Window } from '../../src/console/api/client.ts';
import { edgeFilter, nodeFilter, toMapGraph } from '../../src/console/map/graph-model.ts';
import type { MapGraph, MapNode } from '../../src/console/map/graph-model.ts';
import { silentLogger } from '../../src/xray/log/logger.ts';
import { startXrayService } from '../../src/xray/service.ts';
import type { XrayService } from '../../src/xray/service.ts';
import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import { newId, newTraceId } from '../xray/support/documents.ts';

const now = Date.now() / 1000;
let service: XrayService;
let api: XrayApi;
let graph: MapGraph;
let window: Window;
const traces: Record<'untyped' | 'typed' | 'other', string> = { untyped: newTraceId(now - 30), typed: newTraceId(now - 20), other: newTraceId(now - 10) };

/** A segment of `name` (with `origin` when given) that called the remote host backend.example. */
function document(traceId: string, name: string, origin: string | undefined, start: number): string {
  return JSON.stringify({
    name,
    id: newId(),
    trace_id: traceId,
    start_time: start,
    end_time: start + 0.2,
    ...(origin !== undefined && { origin }),
    http: { request: { method: 'GET', url: `https://${name}.example/` }, response: { status: 200 } },
    subsegments: [{ name: 'backend.example', id: newId(), start_time: start + 0.05, end_time: start + 0.1, namespace: 'remote', http: { request: { url: 'https://backend.example/x' }, response: { status: 200 } } }],
  });
}

beforeAll(async () => {
  service = await startXrayService({ store: new MemoryTraceStore(), apiPort: 0, daemonPort: 0, logger: silentLogger });
  api = new XrayApi(service.api.url);
  // The same name twice, sent without a type and as an EC2 instance: two nodes on the map.
  const documents = [
    document(traces.untyped, 'legacy', undefined, now - 30),
    document(traces.typed, 'legacy', 'AWS::EC2::Instance', now - 20),
    document(traces.other, 'other', undefined, now - 10),
  ];
  const response = await fetch(`${service.api.url}/TraceSegments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceSegmentDocuments: documents }) });
  expect(await response.json()).toEqual({ UnprocessedTraceSegments: [] });
  window = { start: now - 600, end: now + 1 };
  graph = toMapGraph(await api.serviceGraph(window));
});

afterAll(async () => {
  await service?.stop();
});

function node(key: string): MapNode {
  const found = graph.nodes.find((n) => n.key === key);
  if (found === undefined) throw new Error(`no node ${key} in ${graph.nodes.map((n) => n.key).join(', ')}`);
  return found;
}

async function traceIds(filter: string): Promise<string[]> {
  return (await api.traceSummaries(window, { filter }, 100)).summaries.map((s) => s.Id ?? '').sort();
}

describe('the traces of a map node or edge', () => {
  it('a node sent without a type (drawn as unknown) finds its own traces, not those of its typed namesake', async () => {
    const untyped = node('unknown|legacy');
    expect(untyped.type).toBe('unknown');
    expect(await traceIds(nodeFilter(untyped))).toEqual([traces.untyped]);
    expect(await traceIds(nodeFilter(node('AWS::EC2::Instance|legacy')))).toEqual([traces.typed]);
    expect(await traceIds(nodeFilter(node('unknown|other')))).toEqual([traces.other]);
  });

  it('an edge from or to such a node finds the traces through that edge', async () => {
    const untyped = node('unknown|legacy');
    const backend = node('remote|backend.example');
    expect(await traceIds(edgeFilter(untyped, backend))).toEqual([traces.untyped]);
    expect(await traceIds(edgeFilter(node('AWS::EC2::Instance|legacy'), backend))).toEqual([traces.typed]);
    // From the client in front of it: the traces through the node.
    expect(await traceIds(edgeFilter(node('client|legacy'), untyped))).toEqual([traces.untyped]);
    expect(await traceIds(nodeFilter(backend))).toEqual([traces.untyped, traces.typed, traces.other].sort());
  });
});
