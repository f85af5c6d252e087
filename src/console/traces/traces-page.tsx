import { useMemo, useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import { XrayApiError } from '../api/client.ts';
import { binValues } from '../shared/bins.ts';
import { GroupSelect, TimeRangePicker } from '../shared/controls.tsx';
import { Histogram } from '../shared/histogram.tsx';
import { navigate } from '../shared/route.ts';
import type { Route } from '../shared/route.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { timeRangeFromParams, timeRangeParams } from '../shared/time-range.ts';
import { emptyState } from './empty-state.ts';
import { FilterBox } from './filter-box.tsx';
import { withResponseTime } from './filter-text.ts';
import type { SortOrder } from './sort.ts';
import { countText, isCapped, isComplete } from './summary-list.ts';
import { SummaryTable } from './summary-table.tsx';
import { useSortedSummaries } from './use-sorted.ts';
import { useSummaryList } from './use-summary-list.ts';

export function TracesPage(props: { readonly api: XrayApi; readonly route: Route }) {
  const { api, route } = props;
  const range = timeRangeFromParams(route.params);
  const group = route.params.get('group') ?? undefined;
  const filter = route.params.get('filter') ?? '';
  const [sort, setSort] = useState<SortOrder>({ key: 'time', descending: true });
  // The histogram and the sorting work on every summary loaded so far.
  const result = useSummaryList(api, JSON.stringify([range, group, filter]), range, { group, filter });

  const go = (next: { range?: TimeRange; group?: string | undefined; filter?: string }): void => {
    navigate('traces', '', {
      ...timeRangeParams(next.range ?? range),
      group: 'group' in next ? next.group : group,
      filter: next.filter ?? filter,
    });
  };
  // Only a first batch can fail on the filter: later ones send the filter it already accepted.
  const invalidFilter = result.list === undefined && result.error instanceof XrayApiError && result.error.type === 'InvalidRequestException' && filter !== '' && /FilterExpression/.test(result.error.message);
  const list = result.list;
  const summaries = list?.summaries ?? [];
  const more = list !== undefined && !isComplete(list) && !isCapped(list);
  const empty = emptyState({ loading: result.loading !== undefined, error: result.error, filter, group });
  const rows = useSortedSummaries(summaries, sort);
  // Binned once a list: sorting, and the worker's answer, render the page again (100,000 summaries).
  const bins = useMemo(() => binValues(summaries.map((summary) => ({ value: summary.ResponseTime ?? summary.Duration ?? 0, count: 1 })), 40), [summaries]);

  return (
    <section className="page traces-page">
      <header className="toolbar">
        <h1>Traces</h1>
        <TimeRangePicker value={range} onChange={(next) => go({ range: next })} />
        <GroupSelect api={api} value={group} onChange={(next) => go({ group: next })} />
        <button type="button" onClick={result.reload} disabled={result.loading !== undefined}>Refresh</button>
      </header>
      <FilterBox value={filter} error={invalidFilter ? result.error?.message : undefined} onRun={(next) => go({ filter: next })} />
      {result.error !== undefined && !invalidFilter && <p className="error" role="alert">{result.error.message}</p>}
      <Histogram
        bins={bins}
        onSelect={(from, to) => go({ filter: withResponseTime(filter, from, to) })}
        empty={empty.text}
      />
      <div className="count-line">
        <p className={list !== undefined && !isComplete(list) ? 'count partial' : 'muted count'} aria-live="polite">{countText(list, result.loading, result.total)}</p>
        {rows.sorting && summaries.length > 0 && <p className="muted sorting">Sorting…</p>}
        {more && result.loading === undefined && (
          <>
            <button type="button" onClick={() => result.loadMore(false)}>Load more</button>
            <button type="button" onClick={() => result.loadMore(true)}>Load all</button>
          </>
        )}
        {more && result.loading === 'more' && <button type="button" onClick={result.stop}>Stop</button>}
      </div>
      <SummaryTable rows={rows} sort={sort} onSort={setSort} onOpen={(id) => navigate('trace', id, {})} />
    </section>
  );
}
