import { useRef } from 'react';
import type { XrayApi } from '../api/client.ts';
import { XrayApiError } from '../api/client.ts';
import type { TraceSummary } from '../api/types.ts';
import { binSets } from '../shared/bins.ts';
import { GroupSelect, TimeRangePicker } from '../shared/controls.tsx';
import { formatCount } from '../traces/summary-list.ts';
import { Histogram } from '../shared/histogram.tsx';
import { navigate, routeHash } from '../shared/route.ts';
import type { Route } from '../shared/route.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { timeRangeFromParams, timeRangeParams } from '../shared/time-range.ts';
import { FilterBox } from '../traces/filter-box.tsx';
import type { Dimension } from './breakdown.ts';
import {
  ERROR_ROOT_CAUSES, FAULT_ROOT_CAUSES, HTTP_METHODS, HTTP_STATUSES, HTTP_URLS, SERVICES, annotationDimension, annotationKeys,
} from './breakdown.ts';
import { CountsCache } from './counts-cache.ts';
import { BreakdownTable } from './breakdown-table.tsx';
import { narrow, responseTimeClause } from './filter-clause.ts';
import { DEFAULT_SAMPLE_LIMIT, SAMPLE_LIMITS, sampleLimitOf, sampleText } from './sample.ts';
import { TraceSeriesChart } from './trace-series-chart.tsx';
import { buildTraceSeries, chooseTracePeriod, formatTracePeriod } from './trace-series.ts';
import type { LoadedSample } from './use-summary-sample.ts';
import { useSummarySample } from './use-summary-sample.ts';

/** What a navigation changes; the rest of the view stays. */
interface ViewChange {
  readonly range?: TimeRange;
  readonly group?: string | undefined;
  readonly filter?: string;
  readonly filterB?: string;
  readonly compare?: boolean;
  readonly limit?: number;
  readonly annotation?: string;
}

const BREAKDOWNS: readonly Dimension[] = [FAULT_ROOT_CAUSES, ERROR_ROOT_CAUSES, HTTP_STATUSES, HTTP_METHODS, HTTP_URLS, SERVICES];

/**
 * What the traces of a range, group and filter have in common: response times, traces over time
 * and the top values of their root causes, HTTP fields, annotations and services, counted over
 * the newest summaries up to a limit. A second filter (B) puts another set beside them.
 */
export function AnalyticsPage(props: { readonly api: XrayApi; readonly route: Route }) {
  const { api, route } = props;
  const range = timeRangeFromParams(route.params);
  const group = route.params.get('group') ?? undefined;
  const filter = route.params.get('filter') ?? '';
  const comparing = route.params.get('compare') === '1';
  const filterB = route.params.get('filterB') ?? '';
  const limit = sampleLimitOf(route.params.get('limit'));
  const chosenKey = route.params.get('annotation') ?? undefined;
  // Each render counts only the summaries read since the last (a batch), not all of them again.
  const counts = useRef(new CountsCache()).current;

  const a = useSummarySample(api, JSON.stringify([range, group, filter, limit]), range, { group, filter }, limit);
  const b = useSummarySample(api, JSON.stringify([range, group, filterB, limit]), range, { group, filter: filterB }, limit, comparing);

  const params = (next: ViewChange): Record<string, string | undefined> => ({
    ...timeRangeParams(next.range ?? range),
    group: 'group' in next ? next.group : group,
    filter: next.filter ?? filter,
    compare: (next.compare ?? comparing) ? '1' : undefined,
    // B stays in the URL while the comparison is off, so that turning it on again brings it back.
    filterB: next.filterB ?? filterB,
    limit: (next.limit ?? limit) === DEFAULT_SAMPLE_LIMIT ? undefined : String(next.limit ?? limit),
    annotation: next.annotation ?? chosenKey,
  });
  const go = (next: ViewChange): void => navigate('analytics', '', params(next));
  // A value or a range narrows both sets: the comparison stays one of like with like.
  const add = (clause: string): void => go({ filter: narrow(filter, clause), filterB: comparing ? narrow(filterB, clause) : filterB });

  const summariesA = a.sample?.summaries ?? [];
  const summariesB = comparing ? b.sample?.summaries ?? [] : undefined;
  const invalidA = invalidFilter(a, filter);
  const invalidB = comparing && invalidFilter(b, filterB);
  const canAdd = a.sample !== undefined && (!comparing || b.sample !== undefined);

  const responseTimes = (summaries: readonly TraceSummary[]) => summaries.map((summary) => ({ value: summary.ResponseTime ?? summary.Duration ?? 0, count: 1 }));
  const [binsA = [], binsB] = binSets(summariesB === undefined ? [responseTimes(summariesA)] : [responseTimes(summariesA), responseTimes(summariesB)], 40);

  const keys = annotationKeys(summariesA, summariesB ?? []);
  const annotationKey = chosenKey !== undefined && keys.some((entry) => entry.key === chosenKey) ? chosenKey : keys[0]?.key;

  const tracesLink = (which: string): string => routeHash('traces', '', { ...timeRangeParams(range), group, filter: which });

  return (
    <section className="page analytics-page">
      <header className="toolbar">
        <h1>Analytics</h1>
        <TimeRangePicker value={range} onChange={(next) => go({ range: next })} />
        <GroupSelect api={api} value={group} onChange={(next) => go({ group: next })} />
        <select aria-label="Traces read at most" value={limit} onChange={(event) => go({ limit: Number(event.target.value) })}>
          {[...new Set([...SAMPLE_LIMITS, limit])].sort((x, y) => x - y).map((value) => <option key={value} value={value}>Read at most {formatCount(value)} {value === 1 ? 'trace' : 'traces'}</option>)}
        </select>
        <button type="button" onClick={() => { a.reload(); if (comparing) b.reload(); }} disabled={a.state === 'loading' || b.state === 'loading'}>Refresh</button>
        <a className="show-traces" href={tracesLink(filter)}>{comparing ? 'Show A\'s traces' : 'Show traces'}</a>
        {comparing && <a className="show-traces" href={tracesLink(filterB)}>Show B&apos;s traces</a>}
      </header>
      <div className={comparing ? 'filter-set set-a' : 'filter-set'}>
        {comparing && <span className="set-tag set-a" aria-hidden="true">A</span>}
        <FilterBox value={filter} error={invalidA ? a.error?.message : undefined} onRun={(next) => go({ filter: next })} />
      </div>
      <label className="compare-toggle">
        <input type="checkbox" checked={comparing} onChange={(event) => go({ compare: event.target.checked })} />
        Compare with a second filter (B)
      </label>
      {comparing && (
        <div className="filter-set set-b">
          <span className="set-tag set-b" aria-hidden="true">B</span>
          <FilterBox
            value={filterB}
            label="Filter expression B"
            placeholder="e.g. ok, or blank for all traces"
            error={invalidB ? b.error?.message : undefined}
            onRun={(next) => go({ filterB: next })}
          />
        </div>
      )}
      <div className="sample-lines">
        <SampleLine set={comparing ? 'A' : undefined} loaded={a} limit={limit} hideError={invalidA} />
        {comparing && <SampleLine set="B" loaded={b} limit={limit} hideError={invalidB} />}
      </div>

      <div className="analytics-charts">
        <section className="chart-card" aria-label="Response time">
          <h2>Response time distribution</h2>
          {comparing && <SetLegend />}
          <Histogram
            bins={binsA}
            second={comparing ? binsB ?? [] : undefined}
            width={560}
            onSelect={canAdd ? (from, to) => add(responseTimeClause(from, to)) : undefined}
          />
          {comparing && <p className="muted more">Each set&apos;s bars are shares of its own traces.</p>}
        </section>
        <section className="chart-card" aria-label="Traces over time">
          <SeriesCharts a={a} b={comparing ? b : undefined} />
        </section>
      </div>

      <div className={comparing ? 'breakdowns compared' : 'breakdowns'}>
        {BREAKDOWNS.map((dimension) => (
          <BreakdownTable
            key={dimension.id}
            dimension={dimension}
            a={counts.count(`a:${dimension.id}`, summariesA, dimension)}
            b={summariesB === undefined ? undefined : counts.count(`b:${dimension.id}`, summariesB, dimension)}
            onAdd={canAdd ? add : undefined}
            note={dimension.id === 'services' ? 'A trace counts under every service it reached.' : undefined}
          />
        ))}
        <AnnotationBreakdown
          keys={keys.map((entry) => entry.key)}
          chosen={annotationKey}
          a={summariesA}
          b={summariesB}
          onChoose={(key) => go({ annotation: key })}
          onAdd={canAdd ? add : undefined}
          counts={counts}
        />
      </div>
    </section>
  );
}

/** Only a first batch can fail on the filter: later ones send the filter it already accepted. */
function invalidFilter(loaded: LoadedSample, filter: string): boolean {
  return loaded.sample === undefined && loaded.error instanceof XrayApiError && loaded.error.type === 'InvalidRequestException'
    && filter.trim() !== '' && /FilterExpression/.test(loaded.error.message);
}

function SampleLine(props: { readonly set: 'A' | 'B' | undefined; readonly loaded: LoadedSample; readonly limit: number; readonly hideError: boolean }) {
  const { loaded } = props;
  const partial = loaded.sample !== undefined && !loaded.sample.complete;
  return (
    <div className="count-line sample-line" data-set={props.set?.toLowerCase() ?? 'a'}>
      {props.set !== undefined && <span className={`set-tag set-${props.set.toLowerCase()}`}>{props.set}</span>}
      <p className={partial ? 'count partial' : 'muted count'} aria-live="polite">{sampleText(loaded.sample, loaded.state, props.limit)}</p>
      {loaded.state === 'loading' && <button type="button" onClick={loaded.stop}>Stop</button>}
      {loaded.error !== undefined && !props.hideError && <p className="error" role="alert">{loaded.error.message}</p>}
    </div>
  );
}

function SetLegend() {
  return (
    <p className="legend set-legend">
      <span><i className="set-a" />A</span>
      <span><i className="set-b" />B</span>
    </p>
  );
}

function SeriesCharts(props: { readonly a: LoadedSample; readonly b: LoadedSample | undefined }) {
  const sets = props.b === undefined ? [['', props.a] as const] : [['A', props.a] as const, ['B', props.b] as const];
  const window = props.a.window ?? props.b?.window;
  const period = window === undefined ? undefined : chooseTracePeriod(window.end - window.start);
  return (
    <>
      <h2>Traces over time {period !== undefined && <span className="muted">per {formatTracePeriod(period)}</span>}</h2>
      <p className="legend">
        <span><i className="status-dot ok" /> OK</span>
        <span><i className="status-dot error" /> Error</span>
        <span><i className="status-dot throttle" /> Throttle</span>
        <span><i className="status-dot fault" /> Fault</span>
        <span className="muted" data-status-meaning>(the worst of each trace&apos;s segments)</span>
      </p>
      {sets.map(([name, loaded]) => {
        const sample = loaded.sample;
        if (sample === undefined || loaded.window === undefined) {
          return <p key={name} className="muted">{name === '' ? '' : `${name}: `}{loaded.state === 'loading' ? 'Reading…' : 'No traces read.'}</p>;
        }
        const seriesPeriod = chooseTracePeriod(loaded.window.end - loaded.window.start);
        const points = buildTraceSeries(sample.summaries, loaded.window, seriesPeriod, sample.readFrom);
        return (
          <div key={name} className="series-set">
            {name !== '' && <span className={`set-tag set-${name.toLowerCase()}`}>{name}</span>}
            <TraceSeriesChart points={points} label={name === '' ? 'Traces per period' : `Traces per period, ${name}`} />
          </div>
        );
      })}
    </>
  );
}

function AnnotationBreakdown(props: {
  readonly keys: readonly string[];
  readonly chosen: string | undefined;
  readonly a: readonly TraceSummary[];
  readonly b: readonly TraceSummary[] | undefined;
  readonly onChoose: (key: string) => void;
  readonly onAdd: ((clause: string) => void) | undefined;
  readonly counts: CountsCache;
}) {
  const { chosen } = props;
  const dimension = annotationDimension(chosen ?? '');
  const count = (set: string, summaries: readonly TraceSummary[]) => (chosen === undefined
    ? { total: summaries.length, values: [], none: 0 }
    : props.counts.count(`${set}:annotation:${chosen}`, summaries, dimension));
  return (
    <BreakdownTable
      dimension={dimension}
      a={count('a', props.a)}
      b={props.b === undefined ? undefined : count('b', props.b)}
      onAdd={props.onAdd}
      note={chosen === undefined ? undefined : 'A trace with several values under the key counts under each.'}
    >
      {props.keys.length > 0 && (
        <select aria-label="Annotation key" value={chosen} onChange={(event) => props.onChoose(event.target.value)}>
          {props.keys.map((key) => <option key={key} value={key}>{key}</option>)}
        </select>
      )}
    </BreakdownTable>
  );
}
