/**
 * GetServiceGraph and GetTimeSeriesServiceStatistics scoped to a group: the graph drawn by the
 * group's traces alone. The store's per-minute sums hold every trace, so a group's graph is the
 * sum of its traces' own contributions instead: the traces the group's filter matches among those
 * with a document started or ended in the minutes the window touches (the minutes the graph
 * reads), found through the filtered GetTraceSummaries read, then their stored contributions.
 *
 * The Default group (and any group without a filter) holds every trace: no scope, the sums serve.
 */
import { mergeAggregates, type Aggregate, type MinuteAggregate } from '../graph/aggregate.ts';
import type { Groups } from '../groups/index.ts';
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import type { Expression } from '../query/index.ts';
import type { GraphReader, TraceReader } from '../store/index.ts';
import { groupRef, withGroups } from './groups.ts';

/** A group's graph reads at most this many traces; a wider window is refused rather than slow. */
export const MAX_GROUP_GRAPH_TRACES = 100_000;
const PAGE = 1000;

export interface GroupGraphOptions {
  readonly groups?: Groups | undefined;
  readonly store?: TraceReader | undefined;
}

/** The filter of the group a request names; undefined when it names none or a group of every trace. */
export function groupScope(options: GroupGraphOptions, body: JsonObject): Expression | undefined {
  const ref = groupRef(body);
  if (ref.name === undefined && ref.arn === undefined) return undefined;
  if (options.groups === undefined) throw invalidRequest('this service keeps no groups, so GroupName and GroupARN cannot be used');
  const groups = options.groups;
  return withGroups(() => groups.scope(ref));
}

/**
 * The per-minute graph of the traces `filter` matches, in the minutes that overlap the window.
 * Each page of the read is bounded work (sqlite-filtered.ts); between pages other requests of the
 * process are served, so a wide window or a costly filter slows this request alone.
 */
export async function groupMinutes(
  options: GroupGraphOptions & { readonly graph: GraphReader },
  filter: Expression,
  window: { readonly startTime: number; readonly endTime: number },
): Promise<Aggregate> {
  const store = options.store;
  if (store === undefined) throw new Error('group scoping needs the trace store');
  const query = {
    startTime: Math.floor(window.startTime / 60) * 60,
    endTime: Math.ceil(window.endTime / 60) * 60,
    timeRangeType: 'Event' as const,
    limit: PAGE,
    filter,
  };
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = store.getTraceSummaries({ ...query, cursor });
    for (const summary of page.summaries) ids.push(summary.id);
    if (ids.length > MAX_GROUP_GRAPH_TRACES) {
      throw invalidRequest(`the group holds more than ${MAX_GROUP_GRAPH_TRACES} traces in this window; ask for a shorter one`);
    }
    cursor = page.nextCursor;
    if (cursor !== undefined) await new Promise((resolve) => setImmediate(resolve));
  } while (cursor !== undefined);
  // As GraphReader.getGraphMinutes: the minutes that overlap the window.
  const minutes = new Map<number, MinuteAggregate>();
  const merged = mergeAggregates(...options.graph.getTraceContributions(ids).map((trace) => trace.contribution));
  for (const [minute, cells] of merged.minutes) {
    if (minute + 60 > window.startTime && minute < window.endTime) minutes.set(minute, cells);
  }
  return { minutes };
}
