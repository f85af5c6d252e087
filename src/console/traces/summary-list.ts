import { formatCount } from '../shared/format.ts';
import type { Scope, SummaryBatch, TraceCount, Window } from '../api/client.ts';
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
  /** The ids in `summaries` (and in those of lists appended to this one): a batch is checked against it rather than a rebuilt set. */
  readonly ids: ReadonlySet<string>;
}

/**
 * Load all stops here: 100,000 summaries are about 200 MB of JS heap in Chromium, and a view wider
 * than that is better narrowed by range or filter than read in the browser.
 */
export const MAX_LOADED_SUMMARIES = 100_000;

/** What is being loaded: a view's first batch, or more of it. */
export type Loading = 'first' | 'more' | undefined;

export function firstBatch(window: Window, scope: Scope, batch: SummaryBatch): SummaryList {
  return appendBatch({ window, scope, summaries: [], processed: 0, nextToken: undefined, ids: new Set() }, batch);
}

/**
 * The list with `batch` after it. The service's pages do not repeat a trace, but a trace already
 * loaded is kept once anyway: the table is keyed by trace id. The id set is not copied (at 100,000
 * ids a copy a batch costs seconds over a Load all): it grows with the new list, so append only to
 * the newest list of a view, as the loaders do.
 */
export function appendBatch(list: SummaryList, batch: SummaryBatch): SummaryList {
  const ids = list.ids as Set<string>;
  const added = batch.summaries.filter((summary) => {
    if (ids.has(summary.Id)) return false;
    ids.add(summary.Id);
    return true;
  });
  return { ...list, summaries: list.summaries.concat(added), processed: list.processed + batch.processed, nextToken: batch.nextToken, ids };
}

/** Whether Load all has stopped at MAX_LOADED_SUMMARIES with more pages left. */
export function isCapped(list: SummaryList): boolean {
  return !isComplete(list) && list.summaries.length >= MAX_LOADED_SUMMARIES;
}

export function isComplete(list: SummaryList): boolean {
  return list.nextToken === undefined;
}

/**
 * What the count line says: how many are loaded, of how many in all when the service has counted
 * them (`total`), and whether that is all of them.
 */
export function countText(list: SummaryList | undefined, loading: Loading, total?: TraceCount): string {
  if (loading === 'first' || list === undefined) return loading === 'first' ? 'Loading…' : '';
  const count = list.summaries.length;
  const traces = `${formatCount(count)} ${count === 1 && total === undefined ? 'trace' : 'traces'}`;
  if (isComplete(list)) return count === 0 ? 'No traces' : `${traces}, all loaded`;
  const of = total === undefined ? traces : `${formatCount(count)} of ${total.complete ? '' : 'at least '}${formatCount(total.count)} traces`;
  if (isCapped(list)) return `${of} loaded, the most the console holds; more match in this range: narrow the range or add a filter to see them`;
  if (loading === 'more') return `${of} loaded, loading more…`;
  return `${of} loaded, newest first; older ones in this range are not loaded yet, and the histogram and sorting cover only these`;
}

export { formatCount };
