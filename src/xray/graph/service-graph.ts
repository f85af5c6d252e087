/**
 * GetServiceGraph and GetTraceGraph: summed cells turned into the graph's services (api/graph-json.ts
 * writes them as the `Services` array).
 *
 * ReferenceIds are assigned in the order of (name, type, account id), so the same input always
 * gives the same ids; an edge's ReferenceId is the ReferenceId of the service it leads to, and
 * services and edges are listed in ReferenceId order.
 */
import {
  mergeAggregates, nodeKey, sumMinutes, type Aggregate, type EdgeCell, type MinuteAggregate, type NodeCell, type NodeId,
} from './aggregate.ts';
import type { GraphService } from '../model/graph.ts';

export interface TimeWindow {
  /** Epoch seconds, inclusive. */
  readonly startTime: number;
  /** Epoch seconds, exclusive. */
  readonly endTime: number;
}

/** The service graph of the minutes that overlap `window` (all minutes when omitted). */
export function toServiceGraph(aggregate: Aggregate, window?: TimeWindow): GraphService[] {
  if (window !== undefined) checkWindow(window);
  const summed = sumMinutes(aggregate, window?.startTime ?? Number.NEGATIVE_INFINITY, window?.endTime ?? Number.POSITIVE_INFINITY);
  return servicesOf(summed);
}

/** The service graph drawn by the given traces' contributions alone. */
export function toTraceGraph(contributions: readonly Aggregate[]): GraphService[] {
  return toServiceGraph(mergeAggregates(...contributions));
}

export function checkWindow(window: TimeWindow): void {
  const { startTime, endTime } = window;
  if (!Number.isFinite(startTime) || !Number.isFinite(endTime)) {
    throw new RangeError(`time window needs finite epoch seconds, got startTime=${String(startTime)} endTime=${String(endTime)}`);
  }
  if (startTime > endTime) throw new RangeError(`time window starts (${startTime}) after it ends (${endTime})`);
}

export function servicesOf(minute: MinuteAggregate): GraphService[] {
  const nodes = new Map<string, NodeCell>(minute.nodes);
  // An edge can outlive its target's cell when the two fall in different minutes of the window.
  const missing = new Map<string, NodeCell>();
  for (const edge of minute.edges.values()) {
    for (const node of [edge.source, edge.target]) {
      const key = nodeKey(node);
      if (minute.nodes.has(key)) continue;
      const known = missing.get(key);
      missing.set(key, known === undefined ? emptyNode(node, edge.startTime, edge.endTime)
        : emptyNode(node, Math.min(known.startTime, edge.startTime), Math.max(known.endTime, edge.endTime)));
    }
  }
  for (const [key, cell] of missing) nodes.set(key, cell);
  const ordered = [...nodes.entries()].sort(([, a], [, b]) => compareNodes(a.node, b.node));
  const referenceIds = new Map(ordered.map(([key], index) => [key, index]));
  const edgesBySource = new Map<string, EdgeCell[]>();
  for (const edge of minute.edges.values()) {
    const key = nodeKey(edge.source);
    const list = edgesBySource.get(key);
    if (list === undefined) edgesBySource.set(key, [edge]);
    else list.push(edge);
  }

  return ordered.map(([key, cell], referenceId) => ({
    referenceId,
    cell,
    root: cell.roots > 0,
    active: cell.real > 0,
    edges: (edgesBySource.get(key) ?? [])
      .map((edge) => ({ referenceId: referenceIds.get(nodeKey(edge.target)) ?? -1, cell: edge }))
      .sort((a, b) => a.referenceId - b.referenceId || Number(a.cell.edgeType === 'link') - Number(b.cell.edgeType === 'link')),
  }));
}

function emptyNode(node: NodeId, startTime: number, endTime: number): NodeCell {
  return {
    node, presence: 0, real: 0, roots: 0, ok: 0, errorOther: 0, throttle: 0, fault: 0, responseMicros: 0,
    startTime, endTime, responseTime: new Map(), duration: new Map(), age: new Map(),
  };
}

export function compareNodes(a: NodeId, b: NodeId): number {
  return compareText(a.name, b.name) || compareText(a.type ?? '', b.type ?? '') || compareText(a.accountId ?? '', b.accountId ?? '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
