import { useMemo, useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import { GroupSelect, TimeRangePicker } from '../shared/controls.tsx';
import { formatClock } from '../shared/format.ts';
import { navigate } from '../shared/route.ts';
import type { Route } from '../shared/route.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { isLive, timeRangeFromParams, timeRangeParams, windowOf } from '../shared/time-range.ts';
import { useInterval, useLoader } from '../shared/use-loader.ts';
import { DetailsPanel } from './details-panel.tsx';
import { toMapGraph } from './graph-model.ts';
import { Legend } from './legend.tsx';
import { ServiceMap } from './service-map.tsx';
import type { Selection } from './service-map.tsx';
import { useLayout } from './use-layout.ts';

const REFRESH_MILLIS = 5000;

export function MapPage(props: { readonly api: XrayApi; readonly route: Route }) {
  const { api, route } = props;
  const range = timeRangeFromParams(route.params);
  const group = route.params.get('group') ?? undefined;
  const [live, setLive] = useState(true);
  const [selection, setSelection] = useState<Selection>(undefined);
  const [span, setSpan] = useState(() => windowOf(range, Date.now() / 1000));
  const key = JSON.stringify([range, group]);
  const graph = useLoader(key, async () => {
    const current = windowOf(range, Date.now() / 1000);
    setSpan(current);
    return { graph: toMapGraph(await api.serviceGraph(current, group)), window: current };
  });
  useInterval(graph.reload, REFRESH_MILLIS, live && isLive(range));
  const mapGraph = graph.value?.graph;
  const { layout, error: layoutError } = useLayout(mapGraph);
  const windowSeconds = (graph.value?.window ?? span).end - (graph.value?.window ?? span).start;
  const selectedNode = useMemo(
    () => (selection?.kind === 'node' ? mapGraph?.nodes.find((node) => node.key === selection.key) : undefined),
    [selection, mapGraph],
  );
  const selectedEdge = selection?.kind === 'edge' ? mapGraph?.edges.find((edge) => edge.key === selection.key) : undefined;

  const go = (next: { range?: TimeRange; group?: string | undefined }): void => {
    navigate('map', '', { ...timeRangeParams(next.range ?? range), group: 'group' in next ? next.group : group });
  };

  return (
    <section className="page map-page">
      <header className="toolbar">
        <h1>Service map</h1>
        <TimeRangePicker value={range} onChange={(next) => go({ range: next })} />
        <GroupSelect api={api} value={group} onChange={(next) => go({ group: next })} />
        <label className="live" title={isLive(range) ? undefined : 'a custom range does not move'}>
          <input type="checkbox" checked={live && isLive(range)} disabled={!isLive(range)} onChange={(event) => setLive(event.target.checked)} />
          Live
        </label>
        <button type="button" onClick={graph.reload} disabled={graph.loading}>Refresh</button>
        <span className="status muted" aria-live="polite">
          {mapGraph === undefined ? (graph.loading ? 'Loading…' : '') : `${mapGraph.nodes.length} nodes, updated ${formatClock(graph.value?.window.end)}`}
        </span>
      </header>
      {graph.error !== undefined && <p className="error" role="alert">{graph.error.message}</p>}
      {layoutError !== undefined && <p className="error" role="alert">The map could not be laid out: {layoutError.message}</p>}
      <div className="map-body">
        {mapGraph !== undefined && mapGraph.nodes.length === 0 && !graph.loading && (
          <div className="empty">
            <p>No traces in this time range{group === undefined ? '' : ` for group ${group}`}.</p>
            <p className="muted">Send segments to the daemon (UDP 2000) or run <code>npx xray-tracer load</code> against the local gateway.</p>
          </div>
        )}
        {mapGraph !== undefined && layout !== undefined && mapGraph.nodes.length > 0 && (
          <ServiceMap graph={mapGraph} layout={layout} windowSeconds={windowSeconds} selection={selection} onSelect={setSelection} />
        )}
        {mapGraph !== undefined && (selectedNode !== undefined || selectedEdge !== undefined) && (
          <DetailsPanel
            key={selection?.key}
            api={api}
            graph={mapGraph}
            node={selectedNode}
            edge={selectedEdge}
            window={graph.value?.window ?? span}
            range={range}
            group={group}
            onClose={() => setSelection(undefined)}
          />
        )}
      </div>
      <Legend />
    </section>
  );
}
