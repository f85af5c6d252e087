import type { Window } from '../api/client.ts';
import type { TimeSeriesServiceStatistics } from '../api/types.ts';
import { formatMinute, formatSeconds } from '../shared/format.ts';
import type { Health, MapGraph, MapNode } from './graph-model.ts';
import { healthOf, nodeId } from './graph-model.ts';

/** Periods the charts use: whole minutes (the API's resolution) that start on round clock times. */
const PERIODS = [60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const DAY = 86400;

/** At most this many periods in a window; the next shorter period always gives more than half as many. */
export const MAX_PERIODS = 60;
/**
 * At most this many points a chart: periods start on round clock times (as the API's do), so a
 * window that does not has one more, the first point beginning before it. Choosing the period for
 * the aligned span instead would halve the points of a window such as "the last hour" most times.
 */
export const MAX_POINTS = MAX_PERIODS + 1;

/** The shortest round period that splits `seconds` into at most MAX_PERIODS (a minute at least). */
export function choosePeriod(seconds: number): number {
  for (const period of PERIODS) if (seconds / period <= MAX_PERIODS) return period;
  return Math.ceil(seconds / MAX_PERIODS / DAY) * DAY;
}

/** What one period of a chart shows. */
export interface SeriesPoint extends Health {
  /** Epoch seconds; `end` is the next period's start. */
  readonly start: number;
  readonly end: number;
  /** Seconds; undefined when the period had no requests. */
  readonly averageResponseTime: number | undefined;
}

/**
 * One point per period from the period holding `window.start` (the API aligns periods to the epoch,
 * so the first may begin before the window) to `window.end`: at most MAX_POINTS with a period from
 * choosePeriod. A period the answer leaves out had no requests: it is a zero, so the chart never
 * draws across a gap.
 */
export function buildSeries(entries: readonly TimeSeriesServiceStatistics[], window: Window, period: number): SeriesPoint[] {
  const first = Math.floor(window.start / period) * period;
  const count = Math.max(1, Math.ceil((window.end - first) / period));
  const totals = Array.from({ length: count }, () => ({ ok: 0, error: 0, throttle: 0, fault: 0, total: 0, time: 0 }));
  for (const entry of entries) {
    if (entry.Timestamp === undefined) continue;
    const slot = totals[Math.floor((entry.Timestamp - first) / period)];
    if (slot === undefined) continue;
    const statistics = entry.EdgeSummaryStatistics ?? entry.ServiceSummaryStatistics;
    const health = healthOf(statistics);
    slot.ok += health.ok;
    slot.error += health.error;
    slot.throttle += health.throttle;
    slot.fault += health.fault;
    slot.total += health.total;
    slot.time += statistics?.TotalResponseTime ?? 0;
  }
  return totals.map(({ time, ...health }, index) => ({
    ...health,
    start: first + index * period,
    end: first + (index + 1) * period,
    averageResponseTime: health.total > 0 ? time / health.total : undefined,
  }));
}

/** The requests of a whole series, by status. */
export function seriesTotals(points: readonly SeriesPoint[]): Health {
  const total = { ok: 0, error: 0, throttle: 0, fault: 0, total: 0 };
  for (const point of points) {
    total.ok += point.ok;
    total.error += point.error;
    total.throttle += point.throttle;
    total.fault += point.fault;
    total.total += point.total;
  }
  return total;
}

type Selectable = Pick<MapNode, 'name' | 'service'>;

/** The EntitySelectorExpression of an edge: both ends by name and type. */
export function edgeSelector(source: Selectable, target: Selectable): string {
  return `edge(${nodeId(source)}, ${nodeId(target)})`;
}

/**
 * The EntitySelectorExpression of a node. A client has no statistics of its own (its ring sums its
 * edges, see toMapGraph), so its series is the sum of its edges; undefined when it has none.
 */
export function nodeSelector(node: MapNode, graph: MapGraph): string | undefined {
  if (node.type !== 'client') return nodeId(node);
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  const edges = graph.edges
    .filter((edge) => edge.source === node.key)
    .map((edge) => byKey.get(edge.target))
    .filter((target) => target !== undefined)
    .map((target) => edgeSelector(node, target));
  return edges.length === 0 ? undefined : edges.join(' OR ');
}

/** A period as the charts' captions say it: `1 min`, `5 min`, `2 h`, `1 d`. */
export function formatPeriod(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${seconds / 60} min`;
}

/** A period's numbers as one line of text, for the charts' readout. */
export function pointText(point: SeriesPoint, now = Date.now()): string {
  const when = `${formatMinute(point.start, now)}–${formatMinute(point.end, now).split(' ').pop() ?? ''}`;
  if (point.total === 0) return `${when}: no requests`;
  return `${when}: ${healthText(point)}, average ${formatSeconds(point.averageResponseTime)}`;
}

/** `12 requests: 9 OK, 1 error, 0 throttles, 2 faults`. */
export function healthText(health: Health): string {
  const count = (n: number, one: string): string => `${n} ${n === 1 ? one : `${one}s`}`;
  return `${count(health.total, 'request')}: ${health.ok} OK, ${count(health.error, 'error')}, ${count(health.throttle, 'throttle')}, ${count(health.fault, 'fault')}`;
}
