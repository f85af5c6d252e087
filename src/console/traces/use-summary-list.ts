import { useCallback, useEffect, useRef, useState } from 'react';
import type { Scope, TraceCount, XrayApi } from '../api/client.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { windowOf } from '../shared/time-range.ts';
import type { Loading, SummaryList } from './summary-list.ts';
import { appendBatch, firstBatch, isCapped, isComplete } from './summary-list.ts';

/** Summaries a batch asks for: the first batch of a view, and each "Load more". */
export const SUMMARY_BATCH = 1000;

export interface LoadedSummaries {
  /** Undefined until the first batch arrives, and after it failed. */
  readonly list: SummaryList | undefined;
  readonly error: Error | undefined;
  /** How many traces the view holds in all, once the service has counted them (only when there is more than a batch). */
  readonly total: TraceCount | undefined;
  /** What is being loaded: the view's first batch, or more of it. */
  readonly loading: Loading;
  /** Loads the view again from its first page (a relative range moves to now). */
  reload(): void;
  /** Loads the next batch; with `all`, batch after batch until the service has no more pages or stop(). */
  loadMore(all: boolean): void;
  /** Ends a "load all" after the batch under way. */
  stop(): void;
}

/**
 * The summaries of a view (`key` names its range and scope), a batch at a time. Only the newest
 * view's answers are kept: a batch that arrives after the view changed is dropped.
 */
export function useSummaryList(api: XrayApi, key: string, range: TimeRange, scope: Scope): LoadedSummaries {
  const [state, setState] = useState<{ list: SummaryList | undefined; error: Error | undefined; loading: Loading }>(
    { list: undefined, error: undefined, loading: 'first' });
  const [tick, setTick] = useState(0);
  const [total, setTotal] = useState<{ call: number; total: TraceCount | undefined }>({ call: 0, total: undefined });
  const view = useRef(0);
  const busy = useRef(false);
  const stopped = useRef(false);
  const listRef = useRef<SummaryList | undefined>(undefined);
  listRef.current = state.list;
  // The props of the last render: the effect runs on `key`, which names them.
  const latest = useRef({ api, range, scope });
  latest.current = { api, range, scope };

  useEffect(() => {
    const call = view.current + 1;
    view.current = call;
    busy.current = true;
    stopped.current = true;
    setState((previous) => ({ ...previous, loading: 'first' }));
    const { api: client, range: asked, scope: within } = latest.current;
    const window = windowOf(asked, Date.now() / 1000);
    client.traceSummaries(window, within, SUMMARY_BATCH).then(
      (batch) => {
        if (view.current !== call) return;
        setState({ list: firstBatch(window, within, batch), error: undefined, loading: undefined });
        // More than a batch: the service counts them all, so the count line can say "of N".
        if (batch.nextToken !== undefined) {
          client.traceSummaryCount(window, within).then(
            (counted) => { if (view.current === call) setTotal({ call, total: counted }); },
            () => undefined, // The count is extra: the list stands without it.
          );
        }
      },
      (error: unknown) => { if (view.current === call) setState({ list: undefined, error: asError(error), loading: undefined }); },
    ).finally(() => { if (view.current === call) busy.current = false; });
  }, [key, tick]);

  const loadMore = useCallback((all: boolean): void => {
    const loaded = listRef.current;
    if (loaded === undefined || isComplete(loaded) || isCapped(loaded) || busy.current) return;
    const call = view.current;
    busy.current = true;
    stopped.current = false;
    setState((previous) => ({ ...previous, error: undefined, loading: 'more' }));
    void (async () => {
      let list = loaded;
      try {
        do {
          const batch = await latest.current.api.traceSummaries(list.window, list.scope, SUMMARY_BATCH, list.nextToken);
          if (view.current !== call) return;
          list = appendBatch(list, batch);
          const next = list;
          setState((previous) => ({ ...previous, list: next }));
        } while (all && !isComplete(list) && !isCapped(list) && !stopped.current);
        if (view.current === call) setState((previous) => ({ ...previous, loading: undefined }));
      } catch (error) {
        // The loaded summaries stay; the button can try the same token again.
        if (view.current === call) setState((previous) => ({ ...previous, error: asError(error), loading: undefined }));
      } finally {
        if (view.current === call) busy.current = false;
      }
    })();
  }, []);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  const stop = useCallback(() => { stopped.current = true; }, []);
  return { ...state, total: total.call === view.current ? total.total : undefined, reload, loadMore, stop };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
