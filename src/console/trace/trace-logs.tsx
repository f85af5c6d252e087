import { useState } from 'react';
import type { XrayApi } from '../api/client.ts';
import type { LogLine } from '../api/types.ts';
import type { TimelineRow } from '../../common/trace-model/timeline.ts';
import { useLoader } from '../shared/use-loader.ts';
import { linesOfRequest, requestIdOf, traceIdParts } from './trace-logs-model.ts';

/** The trace's CloudWatch Logs lines beside its timeline: every group's, or the selected segment's invocation. */
export function TraceLogs(props: { readonly api: XrayApi; readonly traceId: string; readonly rows: readonly TimelineRow[]; readonly selected: string | undefined }) {
  const { api, traceId, rows, selected } = props;
  const logs = useLoader(`trace-logs:${traceId}`, () => api.traceLogs(traceId));
  const [onlySelected, setOnlySelected] = useState(false);
  const requestId = requestIdOf(rows, selected);
  const unavailable = logs.value === undefined && !logs.loading && logs.error === undefined;
  const all = logs.value ?? [];
  const shown = onlySelected && requestId !== undefined ? linesOfRequest(all, requestId) : all;
  return (
    <section className="trace-logs" aria-label="Log lines of this trace">
      <header className="toolbar">
        <h2>Log lines</h2>
        <label>
          <input type="checkbox" checked={onlySelected} disabled={requestId === undefined} onChange={(event) => setOnlySelected(event.target.checked)} />
          {' '}only the selected segment's invocation{requestId !== undefined ? ` (${requestId})` : ''}
        </label>
        <button type="button" onClick={logs.reload} disabled={logs.loading}>Refresh</button>
      </header>
      {logs.error !== undefined && <p className="muted" role="status">{logs.error.message}</p>}
      {unavailable && <p className="muted" role="status">No CloudWatch Logs here: this X-Ray service runs without the local cloud (start both with <code>npm start</code>).</p>}
      {logs.value !== undefined && shown.length === 0 && <p className="muted">No log lines{onlySelected ? ' for this segment' : ' hold this trace id'}.</p>}
      {shown.length > 0 && <LogTable lines={shown} currentTraceId={traceId} />}
    </section>
  );
}

export function LogTable(props: { readonly lines: readonly LogLine[]; readonly currentTraceId?: string }) {
  return (
    <table className="log-lines">
      <thead><tr><th scope="col">Time</th><th scope="col">Log group</th><th scope="col">Message</th></tr></thead>
      <tbody>
        {props.lines.map((line, index) => (
          <tr key={`${line.Group}:${line.Stream}:${line.TimestampMs}:${index}`}>
            <td className="mono nowrap">{new Date(line.TimestampMs).toISOString().slice(11, 23)}</td>
            <td className="mono" title={`${line.Group} ${line.Stream}`}>{shortGroup(line.Group)}</td>
            <td className="mono message">
              {traceIdParts(line.Message.replace(/\n$/, '')).map((part, i) => (part.traceId !== undefined && part.traceId !== props.currentTraceId
                ? <a key={i} href={`#/trace/${part.traceId}`}>{part.text}</a>
                : <span key={i}>{part.text}</span>))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `TheHttpFlowStack-HttpLambdaLogsEF7FD8E3-29RS...` reads as `HttpLambdaLogs`; other names stay whole. */
function shortGroup(group: string): string {
  const generated = /^[A-Za-z0-9]+-([A-Za-z0-9]+?)[0-9A-F]{8}-[A-Z0-9]{8,13}$/.exec(group);
  return generated?.[1] ?? group;
}
