import { useEffect, useMemo, useState } from 'react';
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
import { failureLead, failureText } from './failure.ts';
import { useBatchNotes } from './batch-notes.tsx';
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
  const lead = useMemo(() => failureLead(timeline), [timeline]);
  const { notes, consumedIn } = useBatchNotes(api, traceId, timeline);
  // A trace opens on where it failed, if it did: that row selected and scrolled into view.
  const selectedRow = timeline.rows.find((row) => row.id === selected) ?? lead?.row ?? timeline.rows[0];
  const leadId = lead?.row.id;
  useEffect(() => {
    if (leadId === undefined) return;
    document.querySelector(`[data-row-id="${CSS.escape(leadId)}"]`)?.scrollIntoView({ block: 'center' });
    // The trace's map above lays out later and pushes the timeline down: scroll again then.
  }, [leadId, layout !== undefined]);
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
      {lead !== undefined && (
        <p className={`failure-lead ${lead.status}`} role="status">
          <span className={`status-dot ${lead.status}`} />{' '}
          <button type="button" className="link" onClick={() => setSelected(lead.row.id)}>{failureText(lead)}</button>
        </p>
      )}
      {consumedIn.length > 0 && (
        <p className="notice" data-batch-summary>
          This trace&apos;s SQS {consumedIn.length === 1 ? 'message was' : 'messages were'} consumed in the batch of another trace:{' '}
          {consumedIn.map((id, index) => <span key={id}>{index > 0 ? ', ' : ''}<a className="mono" href={`#/trace/${encodeURIComponent(id)}`}>{id}</a></span>)}
          {' '}(marked in the timeline).
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
            notes={notes}
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
