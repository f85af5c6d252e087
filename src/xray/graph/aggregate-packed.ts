/**
 * A compact text form of an aggregate, for what a store writes often: each trace's contribution
 * (rewritten whenever the trace changes) and its per-minute sums. `aggregate-json.ts` is the
 * readable, canonical form; this one lists every node once and refers to it by index, and writes
 * cells as positional arrays, which makes a Lambda trace's contribution about a fifth the size.
 *
 * Version 1, as JSON:
 *   [1, nodes, minutes]
 *   nodes:   [[name, type | null, accountId | null], ...]
 *   minutes: [[minute, [[node, ...cell], ...], [[source, target, link 0|1, ...cell], ...]], ...]
 *   cell:    presence, real, roots, ok, errorOther, throttle, fault, responseMicros, startTime,
 *            endTime, [responseTime value, count, ...], [duration ...], [age ...]
 * `unpackAggregate(packAggregate(a))` equals `a`.
 */
import { edgeKey, nodeKey, type Aggregate, type Cell, type EdgeCell, type MinuteAggregate, type NodeCell, type NodeId } from './aggregate.ts';

const VERSION = 1;
const COUNTERS = 10;

type PackedCell = Array<number | number[]>;

export function packAggregate(aggregate: Aggregate): string {
  // Written as text directly: this runs for every trace a refresh touches.
  let nodes = '';
  let count = 0;
  const index = new Map<string, number>();
  const ref = (node: NodeId): number => {
    const key = nodeKey(node);
    let at = index.get(key);
    if (at === undefined) {
      at = count++;
      index.set(key, at);
      nodes += `${at === 0 ? '' : ','}[${JSON.stringify(node.name)},${text(node.type)},${text(node.accountId)}]`;
    }
    return at;
  };
  let minutes = '';
  for (const [minute, cells] of aggregate.minutes) {
    let nodeCells = '';
    for (const cell of cells.nodes.values()) nodeCells += `${nodeCells === '' ? '' : ','}[${ref(cell.node)},${packCell(cell)}]`;
    let edgeCells = '';
    for (const cell of cells.edges.values()) {
      edgeCells += `${edgeCells === '' ? '' : ','}[${ref(cell.source)},${ref(cell.target)},${cell.edgeType === 'link' ? 1 : 0},${packCell(cell)}]`;
    }
    minutes += `${minutes === '' ? '' : ','}[${minute},[${nodeCells}],[${edgeCells}]]`;
  }
  return `[${VERSION},[${nodes}],[${minutes}]]`;
}

export function unpackAggregate(text: string): Aggregate {
  const packed = JSON.parse(text) as unknown;
  if (!Array.isArray(packed) || packed[0] !== VERSION || !Array.isArray(packed[1]) || !Array.isArray(packed[2])) {
    throw new TypeError(`packed aggregate: expected [${VERSION}, nodes, minutes], got ${text.slice(0, 40)}`);
  }
  const nodes = (packed[1] as unknown[]).map((entry, at): NodeId => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new TypeError(`packed aggregate: node ${at} is not [name, type, accountId]`);
    return { name: entry[0], type: optional(entry[1]), accountId: optional(entry[2]) };
  });
  const node = (at: unknown, where: string): NodeId => {
    const found = typeof at === 'number' ? nodes[at] : undefined;
    if (found === undefined) throw new TypeError(`packed aggregate: ${where} refers to node ${String(at)}, which is not listed`);
    return found;
  };
  const minutes = new Map<number, MinuteAggregate>();
  for (const entry of packed[2] as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'number' || !Array.isArray(entry[1]) || !Array.isArray(entry[2])) {
      throw new TypeError('packed aggregate: a minute is not [minute, nodes, edges]');
    }
    const minute = entry[0];
    const nodeCells = new Map<string, NodeCell>();
    for (const cell of entry[1] as PackedCell[]) {
      const id = node(cell[0], `minute ${minute}`);
      nodeCells.set(nodeKey(id), { node: id, ...unpackCell(cell, 1, minute) });
    }
    const edgeCells = new Map<string, EdgeCell>();
    for (const cell of entry[2] as PackedCell[]) {
      const source = node(cell[0], `minute ${minute}`);
      const target = node(cell[1], `minute ${minute}`);
      const edgeType = cell[2] === 1 ? 'link' : 'standard';
      edgeCells.set(edgeKey(source, target, edgeType), { source, target, edgeType, ...unpackCell(cell, 3, minute) });
    }
    minutes.set(minute, { nodes: nodeCells, edges: edgeCells });
  }
  return { minutes };
}

/** The cell's members, comma-separated (finite numbers print the same in JSON and in `String`). */
function packCell(cell: Cell): string {
  return `${cell.presence},${cell.real},${cell.roots},${cell.ok},${cell.errorOther},${cell.throttle},${cell.fault},${cell.responseMicros},`
    + `${cell.startTime},${cell.endTime},${flat(cell.responseTime)},${flat(cell.duration)},${flat(cell.age)}`;
}

function unpackCell(packed: PackedCell, from: number, minute: number): Cell {
  const n: number[] = [];
  for (let i = 0; i < COUNTERS; i++) {
    const value = packed[from + i];
    if (typeof value !== 'number') throw new TypeError(`packed aggregate: a cell of minute ${minute} has no number at ${from + i}`);
    n.push(value);
  }
  return {
    presence: n[0]!, real: n[1]!, roots: n[2]!, ok: n[3]!, errorOther: n[4]!, throttle: n[5]!, fault: n[6]!,
    responseMicros: n[7]!, startTime: n[8]!, endTime: n[9]!,
    responseTime: histogram(packed[from + COUNTERS], minute),
    duration: histogram(packed[from + COUNTERS + 1], minute),
    age: histogram(packed[from + COUNTERS + 2], minute),
  };
}

function flat(histogram: ReadonlyMap<number, number>): string {
  let pairs = '';
  for (const [value, count] of histogram) pairs += `${pairs === '' ? '' : ','}${value},${count}`;
  return `[${pairs}]`;
}

function text(value: string | undefined): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function histogram(value: unknown, minute: number): Map<number, number> {
  if (!Array.isArray(value) || value.length % 2 !== 0) throw new TypeError(`packed aggregate: a histogram of minute ${minute} is not [value, count, ...]`);
  const map = new Map<number, number>();
  for (let i = 0; i < value.length; i += 2) map.set(value[i] as number, value[i + 1] as number);
  return map;
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
