import type { XrayApi } from '../api/client.ts';
import { formatTime } from '../shared/format.ts';
import { useLoader } from '../shared/use-loader.ts';
import { clientLabel, connectionErrorCount, healthOf } from './telemetry.ts';

/**
 * The health each X-Ray daemon or collector reports about itself (PutTelemetryRecords): segments it
 * received, sent, spilled over and had rejected, and its failures to reach X-Ray, added up.
 */
export function TelemetryTable(props: { readonly api: XrayApi; readonly refresh: number }) {
  const loaded = useLoader(`telemetry-${props.refresh}`, () => props.api.telemetrySummaries());
  const summaries = loaded.value ?? [];
  return (
    <section className="telemetry">
      <h2>Daemons and collectors</h2>
      {loaded.error !== undefined && <p className="error" role="alert">{loaded.error.message}</p>}
      {loaded.error === undefined && summaries.length === 0 && (
        <p className="muted">No X-Ray daemon or collector has sent telemetry (PutTelemetryRecords) to this service.</p>
      )}
      {summaries.length > 0 && (
        <table className="groups telemetry-clients">
          <thead>
            <tr><th>Client</th><th>Health</th><th>Received</th><th>Sent</th><th>Spillover</th><th>Rejected</th><th>Connection errors</th><th>Last report</th></tr>
          </thead>
          <tbody>
            {summaries.map((summary) => {
              const label = clientLabel(summary);
              return (
                <tr key={label} data-client={label}>
                  <td className="mono">{label}</td>
                  <td data-health={healthOf(summary)}>{healthOf(summary) === 'ok' ? 'ok' : 'losing segments'}</td>
                  <td className="num">{summary.SegmentsReceivedCount ?? 0}</td>
                  <td className="num">{summary.SegmentsSentCount ?? 0}</td>
                  <td className="num">{summary.SegmentsSpilloverCount ?? 0}</td>
                  <td className="num">{summary.SegmentsRejectedCount ?? 0}</td>
                  <td className="num">{connectionErrorCount(summary)}</td>
                  <td>{summary.LastReportTime === undefined ? '' : formatTime(summary.LastReportTime)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
