import { useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import { XrayApiError } from '../api/client.ts';
import { binValues } from '../shared/bins.ts';
import { GroupSelect, TimeRangePicker } from '../shared/controls.tsx';
import { Histogram } from '../shared/histogram.tsx';
import { navigate } from '../shared/route.ts';
import type { Route } from '../shared/route.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { timeRangeFromParams, timeRangeParams, windowOf } from '../shared/time-range.ts';
import { useLoader } from '../shared/use-loader.ts';
import { FilterBox } from './filter-box.tsx';
import { withResponseTime } from './filter-text.ts';
import type { SortOrder } from './sort.ts';
import { sortSummaries } from './sort.ts';
import { SummaryTable } from './summary-table.tsx';

/** Summaries loaded for one view; the histogram and the sorting work on these. */
const SUMMARY_LIMIT = 1000;

export function TracesPage(props: { readonly api: XrayApi; readonly route: Route }) {
  const { api, route } = props;
  const range = timeRangeFromParams(route.params);
  const group = route.params.get('group') ?? undefined;
  const filter = route.params.get('filter') ?? '';
  const [sort, setSort] = useState<SortOrder>({ key: 'time', descending: true });
  const result = useLoader(JSON.stringify([range, group, filter]), () =>
    api.traceSummaries(windowOf(range, Date.now() / 1000), { group, filter }, SUMMARY_LIMIT));

  const go = (next: { range?: TimeRange; group?: string | undefined; filter?: string }): void => {
    navigate('traces', '', {
      ...timeRangeParams(next.range ?? range),
      group: 'group' in next ? next.group : group,
      filter: next.filter ?? filter,
    });
  };
  const invalidFilter = result.error instanceof XrayApiError && result.error.type === 'InvalidRequestException' && filter !== '' && /FilterExpression/.test(result.error.message);
  const summaries = result.error === undefined ? result.value?.summaries ?? [] : [];

  return (
    <section className="page traces-page">
      <header className="toolbar">
        <h1>Traces</h1>
        <TimeRangePicker value={range} onChange={(next) => go({ range: next })} />
        <GroupSelect api={api} value={group} onChange={(next) => go({ group: next })} />
        <button type="button" onClick={result.reload} disabled={result.loading}>Refresh</button>
      </header>
      <FilterBox value={filter} error={invalidFilter ? result.error?.message : undefined} onRun={(next) => go({ filter: next })} />
      {result.error !== undefined && !invalidFilter && <p className="error" role="alert">{result.error.message}</p>}
      <Histogram
        bins={binValues(summaries.map((summary) => ({ value: summary.ResponseTime ?? summary.Duration ?? 0, count: 1 })), 40)}
        onSelect={(from, to) => go({ filter: withResponseTime(filter, from, to) })}
      />
      <p className="muted count" aria-live="polite">
        {result.loading ? 'Loading…' : `${summaries.length}${result.value?.more === true ? '+' : ''} traces`}
        {result.value?.more === true ? ` (the first ${SUMMARY_LIMIT}, newest first; narrow the filter or the time range for the rest)` : ''}
      </p>
      <SummaryTable summaries={sortSummaries(summaries, sort)} sort={sort} onSort={setSort} onOpen={(id) => navigate('trace', id, {})} />
    </section>
  );
}
