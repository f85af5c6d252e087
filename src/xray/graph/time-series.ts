/**
 * GetTimeSeriesServiceStatistics: the statistics of the selected services or edges, one entry per
 * period of the window, in period order. Periods are aligned to the epoch (a 300-second period
 * starts at a multiple of 300) and must be whole minutes, the aggregate's resolution. Every period
 * of the window is listed, empty ones with zero counts, so a chart has no gaps.
 *
 * Without a selector the entries carry the edge statistics of the client edges: the requests that
 * entered the application.
 */
import { sumCells, type Aggregate, type Cell, type NodeId } from './aggregate.ts';
import { checkWindow, type TimeWindow } from './service-graph.ts';
import type { TimeSeriesPoint } from '../model/graph.ts';

/** Which cells a series sums: services (nodes) or edges, as the API's EntitySelectorExpression picks them. */
export type EntitySelector =
  | { readonly kind: 'service'; readonly match: (node: NodeId) => boolean }
  | { readonly kind: 'edge'; readonly match: (source: NodeId, target: NodeId) => boolean };

export interface TimeSeriesOptions extends TimeWindow {
  /** Seconds, a positive multiple of 60. @default 60 */
  readonly period?: number;
  /** @default the client edges */
  readonly selector?: EntitySelector;
}

export const MAX_PERIODS = 10_000;

export function timeSeriesStatistics(aggregate: Aggregate, options: TimeSeriesOptions): TimeSeriesPoint[] {
  checkWindow(options);
  const period = options.period ?? 60;
  if (!Number.isInteger(period) || period <= 0 || period % 60 !== 0) {
    throw new RangeError(`Period must be a positive multiple of 60 seconds, got ${String(period)}`);
  }
  const first = Math.floor(options.startTime / period) * period;
  const count = Math.max(1, Math.ceil((options.endTime - first) / period));
  if (count > MAX_PERIODS) {
    throw new RangeError(`StartTime to EndTime holds ${count} periods of ${period} s; at most ${MAX_PERIODS} are allowed`);
  }
  const selector: EntitySelector = options.selector ?? { kind: 'edge', match: (source) => source.type === 'client' };

  const buckets: Cell[][] = Array.from({ length: count }, () => []);
  for (const [minute, cells] of aggregate.minutes) {
    if (minute < first || minute >= options.endTime) continue;
    const bucket = buckets[Math.floor((minute - first) / period)];
    if (bucket === undefined) continue;
    if (selector.kind === 'service') {
      for (const cell of cells.nodes.values()) if (selector.match(cell.node)) bucket.push(cell);
    } else {
      for (const cell of cells.edges.values()) if (selector.match(cell.source, cell.target)) bucket.push(cell);
    }
  }

  return buckets.map((cells, index) => ({
    timestamp: first + index * period,
    kind: selector.kind,
    statistics: sumCells(cells) ?? ZERO,
  }));
}

const ZERO: Cell = {
  presence: 0, real: 0, roots: 0, ok: 0, errorOther: 0, throttle: 0, fault: 0, responseMicros: 0,
  startTime: 0, endTime: 0, responseTime: new Map(), duration: new Map(), age: new Map(),
};
