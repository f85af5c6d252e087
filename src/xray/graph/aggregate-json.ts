/**
 * A canonical JSON form of an aggregate, for a store that keeps per-minute aggregates (or per-trace
 * contributions) on disk: minutes ascending, cells and histogram entries sorted, so equal
 * aggregates give equal text. `aggregateFromJson` checks the shape and names the first bad field.
 */
import { edgeKey, nodeKey, type Aggregate, type Cell, type EdgeCell, type EdgeType, type MinuteAggregate, type NodeCell, type NodeId } from './aggregate.ts';
import { isRecord } from '../model/json.ts';

export interface NodeIdJson {
  name: string;
  type?: string;
  accountId?: string;
}

export interface CellJson {
  presence: number;
  real: number;
  roots: number;
  ok: number;
  errorOther: number;
  throttle: number;
  fault: number;
  responseMicros: number;
  startTime: number;
  endTime: number;
  /** [bucket seconds, count] pairs, ascending. */
  responseTime: Array<[number, number]>;
  duration: Array<[number, number]>;
  age: Array<[number, number]>;
}

export interface AggregateJson {
  version: 1;
  minutes: Array<{
    minute: number;
    nodes: Array<CellJson & { node: NodeIdJson }>;
    edges: Array<CellJson & { source: NodeIdJson; target: NodeIdJson; edgeType: EdgeType }>;
  }>;
}

const COUNTERS = ['presence', 'real', 'roots', 'ok', 'errorOther', 'throttle', 'fault', 'responseMicros', 'startTime', 'endTime'] as const;
const HISTOGRAMS = ['responseTime', 'duration', 'age'] as const;

export function aggregateToJson(aggregate: Aggregate): AggregateJson {
  return {
    version: 1,
    minutes: [...aggregate.minutes]
      .sort(([a], [b]) => a - b)
      .map(([minute, cells]) => ({
        minute,
        nodes: sortedByKey(cells.nodes).map((cell) => ({ node: nodeIdJson(cell.node), ...cellJson(cell) })),
        edges: sortedByKey(cells.edges).map((cell) => ({
          source: nodeIdJson(cell.source), target: nodeIdJson(cell.target), edgeType: cell.edgeType, ...cellJson(cell),
        })),
      })),
  };
}

export function aggregateFromJson(json: unknown): Aggregate {
  const root = object(json, 'aggregate');
  if (root['version'] !== 1) throw new TypeError(`aggregate.version: expected 1, got ${JSON.stringify(root['version'])}`);
  const minutes = new Map<number, MinuteAggregate>();
  array(root['minutes'], 'aggregate.minutes').forEach((entry, m) => {
    const where = `aggregate.minutes[${m}]`;
    const minuteJson = object(entry, where);
    const minute = number(minuteJson['minute'], `${where}.minute`);
    if (minute % 60 !== 0) throw new TypeError(`${where}.minute: expected a multiple of 60, got ${minute}`);
    const nodes = new Map<string, NodeCell>();
    array(minuteJson['nodes'], `${where}.nodes`).forEach((value, n) => {
      const at = `${where}.nodes[${n}]`;
      const cell = object(value, at);
      const node = nodeId(cell['node'], `${at}.node`);
      nodes.set(nodeKey(node), { node, ...cellFromJson(cell, at) });
    });
    const edges = new Map<string, EdgeCell>();
    array(minuteJson['edges'], `${where}.edges`).forEach((value, e) => {
      const at = `${where}.edges[${e}]`;
      const cell = object(value, at);
      const source = nodeId(cell['source'], `${at}.source`);
      const target = nodeId(cell['target'], `${at}.target`);
      const edgeType = cell['edgeType'];
      if (edgeType !== 'standard' && edgeType !== 'link') {
        throw new TypeError(`${at}.edgeType: expected "standard" or "link", got ${JSON.stringify(edgeType)}`);
      }
      edges.set(edgeKey(source, target, edgeType), { source, target, edgeType, ...cellFromJson(cell, at) });
    });
    minutes.set(minute, { nodes, edges });
  });
  return { minutes };
}

function cellJson(cell: Cell): CellJson {
  return {
    presence: cell.presence, real: cell.real, roots: cell.roots, ok: cell.ok, errorOther: cell.errorOther,
    throttle: cell.throttle, fault: cell.fault, responseMicros: cell.responseMicros,
    startTime: cell.startTime, endTime: cell.endTime,
    responseTime: pairs(cell.responseTime), duration: pairs(cell.duration), age: pairs(cell.age),
  };
}

function cellFromJson(json: Record<string, unknown>, where: string): Cell {
  const counters = Object.fromEntries(COUNTERS.map((key) => [key, number(json[key], `${where}.${key}`)])) as Record<(typeof COUNTERS)[number], number>;
  const histograms = Object.fromEntries(HISTOGRAMS.map((key) => [key, histogram(json[key], `${where}.${key}`)])) as Record<(typeof HISTOGRAMS)[number], Map<number, number>>;
  return { ...counters, ...histograms };
}

function nodeIdJson(node: NodeId): NodeIdJson {
  return {
    name: node.name,
    ...(node.type === undefined ? {} : { type: node.type }),
    ...(node.accountId === undefined ? {} : { accountId: node.accountId }),
  };
}

function nodeId(value: unknown, where: string): NodeId {
  const json = object(value, where);
  const name = json['name'];
  if (typeof name !== 'string') throw new TypeError(`${where}.name: expected a string, got ${JSON.stringify(name)}`);
  return { name, type: optionalText(json['type'], `${where}.type`), accountId: optionalText(json['accountId'], `${where}.accountId`) };
}

function pairs(histogram: ReadonlyMap<number, number>): Array<[number, number]> {
  return [...histogram].sort(([a], [b]) => a - b);
}

function histogram(value: unknown, where: string): Map<number, number> {
  const map = new Map<number, number>();
  array(value, where).forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError(`${where}[${i}]: expected a [value, count] pair`);
    map.set(number(entry[0], `${where}[${i}][0]`), number(entry[1], `${where}[${i}][1]`));
  });
  return map;
}

function sortedByKey<T>(cells: ReadonlyMap<string, T>): T[] {
  return [...cells].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new TypeError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected an array`);
  return value;
}

function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${where}: expected a finite number, got ${JSON.stringify(value)}`);
  return value;
}

function optionalText(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${where}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}
