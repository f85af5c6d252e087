import { useEffect, useMemo, useState } from 'react';
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
  const key = JSON.stringify([range, group]);
  const graph = useLoader(key, async () => {
    const queried = windowOf(range, Date.now() / 1000);
    return { graph: toMapGraph(await api.serviceGraph(queried, group)), window: queried };
  });
  useInterval(graph.reload, REFRESH_MILLIS, live && isLive(range));
  const loaded = graph.value;
  const mapGraph = loaded?.graph;
  const { layout, error: layoutError } = useLayout(mapGraph);
  // The service's real addresses (a port may be configured, or picked free), asked once.
  const endpoints = useLoader('endpoints', () => api.endpoints());
  const windowSeconds = loaded === undefined ? 0 : loaded.window.end - loaded.window.start;
  const selectedNode = useMemo(
    () => (selection?.kind === 'node' ? mapGraph?.nodes.find((node) => node.key === selection.key) : undefined),
    [selection, mapGraph],
  );
  const selectedEdge = selection?.kind === 'edge' ? mapGraph?.edges.find((edge) => edge.key === selection.key) : undefined;
  useEffect(() => {
    if (selection === undefined) return undefined;
    // Escape closes the panel and gives the focus back to the node or edge it was about.
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      setSelection(undefined);
      const attribute = selection.kind === 'node' ? 'data-node-key' : 'data-edge-key';
      document.querySelector<SVGGElement>(`[${attribute}="${CSS.escape(selection.key)}"]`)?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selection]);

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
          {loaded === undefined ? (graph.loading ? 'Loading…' : '') : `${loaded.graph.nodes.length} nodes, updated ${formatClock(loaded.window.end)}`}
        </span>
      </header>
      {graph.error !== undefined && <p className="error" role="alert">{graph.error.message}</p>}
      {layoutError !== undefined && <p className="error" role="alert">The map could not be laid out: {layoutError.message}</p>}
      <div className="map-body">
        {mapGraph !== undefined && mapGraph.nodes.length === 0 && !graph.loading && (
          <div className="empty">
            <p>No traces in this time range{group === undefined ? '' : ` for group ${group}`}.</p>
            <p className="muted">
              Send segments to the daemon{endpoints.value?.DaemonAddress === undefined ? '' : <> at <code data-daemon-address>UDP {endpoints.value.DaemonAddress}</code></>}
              {endpoints.value?.OtlpTracesUrl === undefined ? '' : <>, spans over OTLP/HTTP to <code>{endpoints.value.OtlpTracesUrl}</code>,</>}
              {' '}or run <code>npx xray-tracer load</code> against the local gateway.
            </p>
          </div>
        )}
        {mapGraph !== undefined && layout !== undefined && mapGraph.nodes.length > 0 && (
          <ServiceMap graph={mapGraph} layout={layout} windowSeconds={windowSeconds} selection={selection} onSelect={setSelection} />
        )}
        {loaded !== undefined && (selectedNode !== undefined || selectedEdge !== undefined) && (
          <DetailsPanel
            key={selection?.key}
            api={api}
            graph={loaded.graph}
            node={selectedNode}
            edge={selectedEdge}
            window={loaded.window}
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
