import { useMemo, useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import { toMapGraph } from '../map/graph-model.ts';
import { ServiceMap } from '../map/service-map.tsx';
import { useLayout } from '../map/use-layout.ts';
import { formatSeconds, formatTime } from '../shared/format.ts';
import { useLoader } from '../shared/use-loader.ts';
import { SegmentDetails } from './segment-details.tsx';
import type { SegmentDocument } from '../../common/trace-model/timeline.ts';
import { buildTimeline, visibleRows } from '../../common/trace-model/timeline.ts';
import { Waterfall } from './waterfall.tsx';
import { TraceLogs } from './trace-logs.tsx';

/** One trace: its own small map, the waterfall of its segments and the selected segment's details. */
export function TracePage(props: { readonly api: XrayApi; readonly traceId: string }) {
  const { api, traceId } = props;
  const trace = useLoader(`trace:${traceId}`, async () => {
    const [found, services] = await Promise.all([api.trace(traceId), api.traceGraph([traceId])]);
    return { found, graph: toMapGraph(services) };
  });
  const timeline = useMemo(() => {
    const documents = (trace.value?.found?.Segments ?? []).flatMap((segment): SegmentDocument[] => {
      try {
        const parsed: unknown = JSON.parse(segment.Document);
        return typeof parsed === 'object' && parsed !== null ? [parsed as SegmentDocument] : [];
      } catch {
        return [];
      }
    });
    return buildTimeline(documents);
  }, [trace.value]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const { layout } = useLayout(trace.value?.graph);
  const rows = visibleRows(timeline.rows, collapsed);
  const selectedRow = timeline.rows.find((row) => row.id === selected) ?? timeline.rows[0];
  const root = timeline.rows[0];

  return (
    <section className="page trace-page">
      <header className="toolbar">
        <h1>Trace <span className="mono">{traceId}</span></h1>
        <button type="button" onClick={trace.reload} disabled={trace.loading}>Refresh</button>
        <a href="#/traces" onClick={(event) => { if (window.history.length > 1) { event.preventDefault(); window.history.back(); } }}>← Back to traces</a>
      </header>
      {trace.error !== undefined && <p className="error" role="alert">{trace.error.message}</p>}
      {trace.value !== undefined && trace.value.found === undefined && (
        <p className="error" role="alert">No trace with id {traceId} is stored (it may be older than the retention period, or not sent yet).</p>
      )}
      {root !== undefined && (
        <p className="muted trace-facts">
          Started {formatTime(timeline.start)} · {formatSeconds(timeline.end - timeline.start)} end to end · {timeline.rows.length} segments and subsegments
          {trace.value?.found?.LimitExceeded === true ? ' · over the size limit: some segments left out' : ''}
        </p>
      )}
      {trace.value !== undefined && layout !== undefined && trace.value.graph.nodes.length > 0 && (
        <ServiceMap graph={trace.value.graph} layout={layout} windowSeconds={60} compact height={230} />
      )}
      <div className="trace-body">
        {timeline.rows.length > 0 && (
          <Waterfall
            timeline={timeline}
            rows={rows}
            selected={selectedRow?.id}
            collapsed={collapsed}
            onSelect={setSelected}
            onToggle={(id) => {
              const next = new Set(collapsed);
              if (next.has(id)) next.delete(id);
              else next.add(id);
              setCollapsed(next);
            }}
          />
        )}
        {selectedRow !== undefined && <SegmentDetails key={selectedRow.id} row={selectedRow} traceId={traceId} traceStart={timeline.start} />}
      </div>
      <TraceLogs api={api} traceId={traceId} rows={timeline.rows} selected={selectedRow?.id} />
    </section>
  );
}
