/**
 * Summable service-graph statistics: per minute, one cell per node and one per edge. A trace's
 * contribution has this shape, and so has the sum over any set of traces, so a store can keep one
 * aggregate per minute as traces arrive and a query sums the minutes of its window.
 *
 * Everything additive is exact under any merge order: counts, histograms, and response time kept
 * in integer microseconds. Start and end times merge as min and max, which cannot be taken back:
 * `subtractAggregate` leaves them as they were (see docs/service-graph.md, "Incremental").
 */
import type { Aggregate, Cell, EdgeType, Histogram, MinuteAggregate, NodeId, Observation } from '../model/graph.ts';
import { addHistogram, addSample } from './histogram.ts';

export type { Aggregate, Cell, EdgeCell, EdgeType, MinuteAggregate, NodeCell, NodeId, Observation, Status } from '../model/graph.ts';

export const EMPTY_AGGREGATE: Aggregate = { minutes: new Map() };

export function minuteOf(epochSeconds: number): number {
  return Math.floor(epochSeconds / 60) * 60;
}

/**
 * Map keys for nodes and edges, built for every observation: plain concatenation with control
 * characters as separators (an absent type or account is \u0003, unlike any text). A name holding
 * a character up to \u0003 takes a JSON form marked by a leading \u0002, so keys of different
 * nodes never collide.
 */
export function nodeKey(node: NodeId): string {
  const { name, type, accountId } = node;
  if (hasSeparator(name) || (type !== undefined && hasSeparator(type)) || (accountId !== undefined && hasSeparator(accountId))) {
    return `\u0002${JSON.stringify([name, type ?? null, accountId ?? null])}`;
  }
  return `${name}\u0000${type === undefined ? '\u0003' : type}\u0000${accountId === undefined ? '\u0003' : accountId}`;
}

export function edgeKey(source: NodeId, target: NodeId, edgeType: EdgeType): string {
  return `${nodeKey(source)}\u0001${nodeKey(target)}\u0001${edgeType}`;
}

function hasSeparator(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) <= 3) return true;
  return false;
}

type MutableCell = { -readonly [K in keyof Cell]: Cell[K] extends Histogram ? Map<number, number> : Cell[K] };
type MutableNodeCell = MutableCell & { readonly node: NodeId };
type MutableEdgeCell = MutableCell & { readonly source: NodeId; readonly target: NodeId; readonly edgeType: EdgeType };
interface MutableMinute {
  readonly nodes: Map<string, MutableNodeCell>;
  readonly edges: Map<string, MutableEdgeCell>;
}

function emptyCell(startTime: number, endTime: number): MutableCell {
  return {
    presence: 0, real: 0, roots: 0, ok: 0, errorOther: 0, throttle: 0, fault: 0, responseMicros: 0,
    startTime, endTime, responseTime: new Map(), duration: new Map(), age: new Map(),
  };
}

// One literal each (not `Object.assign` onto an empty cell): a cell is made for every node and
// edge of every trace a store refreshes.
function emptyNodeCell(node: NodeId, startTime: number, endTime: number): MutableNodeCell {
  return {
    node, presence: 0, real: 0, roots: 0, ok: 0, errorOther: 0, throttle: 0, fault: 0, responseMicros: 0,
    startTime, endTime, responseTime: new Map(), duration: new Map(), age: new Map(),
  };
}

function emptyEdgeCell(source: NodeId, target: NodeId, edgeType: EdgeType, startTime: number, endTime: number): MutableEdgeCell {
  return {
    source, target, edgeType, presence: 0, real: 0, roots: 0, ok: 0, errorOther: 0, throttle: 0, fault: 0, responseMicros: 0,
    startTime, endTime, responseTime: new Map(), duration: new Map(), age: new Map(),
  };
}

/** Collects observations into a fresh aggregate (a trace's contribution). */
export class AggregateBuilder {
  private readonly minutes = new Map<number, MutableMinute>();

  node(node: NodeId, observation: Observation): void {
    const minute = this.minute(observation.start);
    const key = nodeKey(node);
    let cell = minute.nodes.get(key);
    if (cell === undefined) {
      cell = emptyNodeCell(node, observation.start, observation.start);
      minute.nodes.set(key, cell);
    }
    observe(cell, observation, true);
    if (observation.real === true) cell.real += 1;
    if (observation.root === true) cell.roots += 1;
    if (observation.end !== undefined && observation.duration !== undefined) addSample(cell.duration, observation.duration);
  }

  edge(source: NodeId, target: NodeId, edgeType: EdgeType, observation: Observation): void {
    const minute = this.minute(observation.start);
    const key = edgeKey(source, target, edgeType);
    let cell = minute.edges.get(key);
    if (cell === undefined) {
      cell = emptyEdgeCell(source, target, edgeType, observation.start, observation.start);
      minute.edges.set(key, cell);
    }
    // A link edge has no synchronous response: it records how old the message was instead.
    observe(cell, observation, edgeType === 'standard');
    if (edgeType === 'link' && observation.end !== undefined && observation.age !== undefined) {
      addSample(cell.age, observation.age);
    }
  }

  build(): Aggregate {
    return { minutes: this.minutes };
  }

  private minute(start: number): MutableMinute {
    const at = minuteOf(start);
    let minute = this.minutes.get(at);
    if (minute === undefined) {
      minute = { nodes: new Map(), edges: new Map() };
      this.minutes.set(at, minute);
    }
    return minute;
  }
}

function observe(cell: MutableCell, observation: Observation, timed: boolean): void {
  cell.presence += 1;
  cell.startTime = Math.min(cell.startTime, observation.start);
  cell.endTime = Math.max(cell.endTime, observation.end ?? observation.start);
  if (observation.end === undefined || observation.status === undefined) return;
  switch (observation.status) {
    case 'ok': cell.ok += 1; break;
    case 'error': cell.errorOther += 1; break;
    case 'throttle': cell.throttle += 1; break;
    case 'fault': cell.fault += 1; break;
  }
  if (!timed) return;
  const seconds = Math.max(0, observation.end - observation.start);
  cell.responseMicros += Math.round(seconds * 1e6);
  addSample(cell.responseTime, seconds);
}

/**
 * A running sum that changes in place: what a store keeps per minute (or for its whole retention)
 * as traces arrive. `aggregate` is a live view, not a copy.
 */
export class AggregateAccumulator {
  private readonly minutes = new Map<number, MutableMinute>();

  add(aggregate: Aggregate): void {
    addInto(this.minutes, aggregate, 1);
  }

  /** Takes `aggregate` out again; see `subtractAggregate`. */
  subtract(aggregate: Aggregate): void {
    addInto(this.minutes, aggregate, -1);
  }

  /** Replaces a trace's previous contribution (if any) by its next one. */
  update(previous: Aggregate | undefined, next: Aggregate): void {
    if (previous !== undefined) this.subtract(previous);
    this.add(next);
  }

  get aggregate(): Aggregate {
    return { minutes: this.minutes };
  }
}

/** The sum of aggregates (any order, any grouping: the result is the same). */
export function mergeAggregates(...aggregates: readonly Aggregate[]): Aggregate {
  const sum = new AggregateAccumulator();
  for (const aggregate of aggregates) sum.add(aggregate);
  return sum.aggregate;
}

/**
 * `from` minus `part`: what the store does when a trace's contribution changes (subtract the old
 * one, add the new). Cells whose presence reaches zero disappear; start and end times are kept.
 */
export function subtractAggregate(from: Aggregate, part: Aggregate): Aggregate {
  const sum = new AggregateAccumulator();
  sum.add(from);
  sum.subtract(part);
  return sum.aggregate;
}

/** A copy of `aggregate` with a trace's old contribution (if any) replaced by its new one. */
export function updateAggregate(aggregate: Aggregate, previous: Aggregate | undefined, next: Aggregate): Aggregate {
  const sum = new AggregateAccumulator();
  sum.add(aggregate);
  sum.update(previous, next);
  return sum.aggregate;
}

/** The minutes of `aggregate` that overlap [startTime, endTime), merged into one. */
export function sumMinutes(aggregate: Aggregate, startTime: number, endTime: number): MinuteAggregate {
  const total: MutableMinute = { nodes: new Map(), edges: new Map() };
  for (const [at, minute] of aggregate.minutes) {
    if (at + 60 > startTime && at < endTime) addMinute(total, minute, 1);
  }
  return total;
}

function addInto(minutes: Map<number, MutableMinute>, aggregate: Aggregate, sign: 1 | -1): void {
  for (const [at, minute] of aggregate.minutes) {
    let into = minutes.get(at);
    if (into === undefined) {
      into = { nodes: new Map(), edges: new Map() };
      minutes.set(at, into);
    }
    addMinute(into, minute, sign);
    if (into.nodes.size === 0 && into.edges.size === 0) minutes.delete(at);
  }
}

export function addMinute(into: MutableMinute, minute: MinuteAggregate, sign: 1 | -1): void {
  for (const [key, cell] of minute.nodes) {
    const target = into.nodes.get(key) ?? emptyNodeCell(cell.node, cell.startTime, cell.endTime);
    addCell(target, cell, sign);
    if (target.presence === 0) into.nodes.delete(key);
    else into.nodes.set(key, target);
  }
  for (const [key, cell] of minute.edges) {
    const target = into.edges.get(key) ?? emptyEdgeCell(cell.source, cell.target, cell.edgeType, cell.startTime, cell.endTime);
    addCell(target, cell, sign);
    if (target.presence === 0) into.edges.delete(key);
    else into.edges.set(key, target);
  }
}

function addCell(into: MutableCell, cell: Cell, sign: 1 | -1): void {
  into.presence += sign * cell.presence;
  into.real += sign * cell.real;
  into.roots += sign * cell.roots;
  into.ok += sign * cell.ok;
  into.errorOther += sign * cell.errorOther;
  into.throttle += sign * cell.throttle;
  into.fault += sign * cell.fault;
  into.responseMicros += sign * cell.responseMicros;
  into.startTime = Math.min(into.startTime, cell.startTime);
  into.endTime = Math.max(into.endTime, cell.endTime);
  addHistogram(into.responseTime, cell.responseTime, sign);
  addHistogram(into.duration, cell.duration, sign);
  addHistogram(into.age, cell.age, sign);
}

/** The sum of cells (of different nodes or edges) as one cell; undefined when there are none. */
export function sumCells(cells: Iterable<Cell>): Cell | undefined {
  let total: MutableCell | undefined;
  for (const cell of cells) {
    total ??= emptyCell(cell.startTime, cell.endTime);
    addCell(total, cell, 1);
  }
  return total;
}
