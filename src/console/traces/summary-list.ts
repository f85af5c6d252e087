import { formatCount } from '../shared/format.ts';
import type { Scope, SummaryBatch, Window } from '../api/client.ts';
import type { TraceSummary } from '../api/types.ts';

/** Summaries loaded for one view so far, batch after batch. */
export interface SummaryList {
  /** What the first batch asked for: the next batches must ask for the same (the tokens are tied to it). */
  readonly window: Window;
  readonly scope: Scope;
  readonly summaries: readonly TraceSummary[];
  readonly processed: number;
  /** Undefined once the service has no more pages: everything in the view is loaded. */
  readonly nextToken: string | undefined;
}

/** What is being loaded: a view's first batch, or more of it. */
export type Loading = 'first' | 'more' | undefined;

export function firstBatch(window: Window, scope: Scope, batch: SummaryBatch): SummaryList {
  return appendBatch({ window, scope, summaries: [], processed: 0, nextToken: undefined }, batch);
}

/**
 * The list with `batch` after it. The service's pages do not repeat a trace, but a trace already
 * loaded is kept once anyway: the table is keyed by trace id.
 */
export function appendBatch(list: SummaryList, batch: SummaryBatch): SummaryList {
  const seen = new Set(list.summaries.map((summary) => summary.Id));
  const added = batch.summaries.filter((summary) => {
    if (seen.has(summary.Id)) return false;
    seen.add(summary.Id);
    return true;
  });
  return { ...list, summaries: [...list.summaries, ...added], processed: list.processed + batch.processed, nextToken: batch.nextToken };
}

export function isComplete(list: SummaryList): boolean {
  return list.nextToken === undefined;
}

/** What the count line says: how many are loaded, and whether that is all of them. */
export function countText(list: SummaryList | undefined, loading: Loading): string {
  if (loading === 'first' || list === undefined) return loading === 'first' ? 'Loading…' : '';
  const count = list.summaries.length;
  const traces = `${formatCount(count)} ${count === 1 ? 'trace' : 'traces'}`;
  if (isComplete(list)) return count === 0 ? 'No traces' : `${traces}, all loaded`;
  if (loading === 'more') return `${traces} loaded, loading more…`;
  return `${traces} loaded, newest first; older ones in this range are not loaded yet, and the histogram and sorting cover only these`;
}

export { formatCount };
