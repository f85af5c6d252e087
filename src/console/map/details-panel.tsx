import { useState } from 'react';
import type { Window, XrayApi } from '../api/client.ts';
import type { TraceSummary } from '../api/types.ts';
import { binValues } from '../shared/bins.ts';
import { formatCount, formatPercent, formatRate, formatSeconds, formatTime } from '../shared/format.ts';
import { Histogram } from '../shared/histogram.tsx';
import { navigate } from '../shared/route.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { timeRangeParams } from '../shared/time-range.ts';
import { useLoader } from '../shared/use-loader.ts';
import { statusOf } from '../traces/status.ts';
import type { Health, MapEdge, MapGraph, MapNode, StatusFilter } from './graph-model.ts';
import { edgeFilter, nodeFilter, perMinute, withStatus } from './graph-model.ts';
import { STATUS_COLOURS } from '../shared/status-colours.ts';
import { styleOf } from './node-style.ts';
import { OverTime } from './over-time.tsx';
import { FunctionMetrics } from './function-metrics.tsx';
import { edgeSelector, nodeSelector } from './time-series.ts';

const TRACES_SHOWN = 15;

/** What a clicked node or edge did in the window: statistics, response times and its traces. */
export function DetailsPanel(props: {
  readonly api: XrayApi;
  readonly graph: MapGraph;
  readonly node: MapNode | undefined;
  readonly edge: MapEdge | undefined;
  readonly window: Window;
  readonly range: TimeRange;
  readonly group: string | undefined;
  readonly onClose: () => void;
}) {
  const { api, graph, node, edge } = props;
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  const source = edge === undefined ? undefined : byKey.get(edge.source);
  const target = edge === undefined ? undefined : byKey.get(edge.target);
  const [status, setStatus] = useState<StatusFilter>('all');
  const selectionFilter = node !== undefined ? nodeFilter(node) : source !== undefined && target !== undefined ? edgeFilter(source, target) : '';
  const filter = withStatus(selectionFilter, status);
  const selector = node !== undefined ? nodeSelector(node, graph) : source !== undefined && target !== undefined ? edgeSelector(source, target) : undefined;
  const health = node?.health ?? edge?.health;
  const average = node?.averageResponseTime ?? edge?.averageResponseTime;
  // An asynchronous link has no response time (X-Ray does not time a queue): its chart is the age of the events received.
  const linkAge = edge?.link === true;
  const histogram = node?.histogram ?? (linkAge ? edge?.ageHistogram : edge?.histogram) ?? [];
  const seconds = props.window.end - props.window.start;
  const traces = useLoader(JSON.stringify([filter, props.window, props.group]), async () =>
    (await api.traceSummaries(props.window, { filter, group: props.group }, TRACES_SHOWN)).summaries.slice(0, TRACES_SHOWN));

  return (
    <aside className="details" aria-label="Details">
      <header>
        {node !== undefined && (
          <>
            <h2 title={node.name}>{node.name}</h2>
            <p className="muted">{styleOf(node.type).label} · <code>{node.type}</code></p>
          </>
        )}
        {edge !== undefined && (
          <>
            <h2>{source?.name ?? edge.source} → {target?.name ?? edge.target}</h2>
            <p className="muted">Edge{edge.link ? ', asynchronous link' : ''}: {styleOf(source?.type ?? '').label} to {styleOf(target?.type ?? '').label}</p>
          </>
        )}
        <button type="button" className="close" aria-label="Close details" onClick={props.onClose}>×</button>
      </header>
      {health !== undefined && <HealthTable health={health} average={average} perMinute={perMinute(health.total, seconds)} />}
      <OverTime api={api} window={props.window} selector={selector} group={props.group} link={edge?.link === true} />
      {node?.type === 'AWS::Lambda::Function' && <FunctionMetrics api={api} functionName={node.name} window={props.window} />}
      <h3>{linkAge ? 'Received event age' : 'Response time'}</h3>
      <Histogram
        bins={binValues(histogram.map((entry) => ({ value: entry.Value, count: entry.Count })), 24)}
        label={linkAge ? 'Received event age distribution of the link' : 'Response time distribution of the selection'}
        width={352}
        empty={health !== undefined && health.total > 0 ? `${linkAge ? 'No event ages' : 'No response times'} recorded for these ${health.total} requests.` : undefined}
      />
      <h3>Traces</h3>
      <div className="chips" role="group" aria-label="Traces with status">
        {(['all', 'fault', 'error', 'throttle'] as const).map((choice) => (
          <button key={choice} type="button" className={choice === status ? 'chip active' : 'chip'} aria-pressed={choice === status} onClick={() => setStatus(choice)}>
            {choice === 'all' ? 'All' : choice === 'fault' ? 'Faults' : choice === 'error' ? 'Errors' : 'Throttles'}
          </button>
        ))}
      </div>
      {traces.error !== undefined && <p className="error">{traces.error.message}</p>}
      {traces.value !== undefined && traces.value.length === 0 && <p className="muted">No traces.</p>}
      {traces.value !== undefined && traces.value.length > 0 && (
        <ul className="trace-links">
          {traces.value.map((summary) => <TraceLink key={summary.Id} summary={summary} />)}
        </ul>
      )}
      <button
        type="button"
        className="primary"
        onClick={() => navigate('traces', '', { ...timeRangeParams(props.range), group: props.group, filter: filter === '' ? undefined : filter })}
      >
        View all in Traces
      </button>
    </aside>
  );
}

function HealthTable(props: { readonly health: Health; readonly average: number | undefined; readonly perMinute: number }) {
  const { health } = props;
  const rows: Array<[string, number, string]> = [
    ['OK', health.ok, STATUS_COLOURS.ok],
    ['Error (4xx)', health.error, STATUS_COLOURS.error],
    ['Throttle (429)', health.throttle, STATUS_COLOURS.throttle],
    ['Fault (5xx)', health.fault, STATUS_COLOURS.fault],
  ];
  return (
    <table className="stats">
      <tbody>
        <tr><th>Requests</th><td>{formatCount(health.total)}</td></tr>
        <tr><th>Requests / minute</th><td>{formatRate(props.perMinute)}</td></tr>
        <tr><th>Average response time</th><td>{formatSeconds(props.average)}</td></tr>
        {rows.map(([label, count, colour]) => (
          <tr key={label}>
            <th><i className="swatch" style={{ background: colour }} />{label}</th>
            <td>{formatCount(count)} <span className="muted">({formatPercent(count, health.total)})</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TraceLink(props: { readonly summary: TraceSummary }) {
  const { summary } = props;
  const status = statusOf(summary);
  return (
    <li>
      <a href={`#/trace/${encodeURIComponent(summary.Id)}`}>
        <span className={`status-dot ${status}`} title={status} />
        <span className="mono">{summary.Id.slice(-12)}</span>
        <span className="muted">{formatTime(summary.StartTime)}</span>
        <span>{formatSeconds(summary.ResponseTime ?? summary.Duration)}</span>
      </a>
    </li>
  );
}
