import type { MetricSeries, Window, XrayApi } from '../api/client.ts';
import { useLoader } from '../shared/use-loader.ts';

/** About 30 to 60 bars whatever the range, each a whole number of minutes. */
function periodFor(window: Window): number {
  return Math.max(60, Math.ceil((window.end - window.start) / 60 / 60) * 60);
}

function total(series: MetricSeries): string {
  if (series.Points.length === 0) return '0';
  if (series.Stat === 'Sum') return String(series.Points.reduce((sum, p) => sum + p.Value, 0));
  const mean = series.Points.reduce((sum, p) => sum + p.Value, 0) / series.Points.length;
  return `${mean.toFixed(1)} ${series.Unit === 'Milliseconds' ? 'ms' : series.Unit === 'None' ? '' : series.Unit} avg`.trim();
}

/** One bar a period, to the series' own scale. */
function Sparkline(props: { readonly series: MetricSeries; readonly window: Window }) {
  const width = 100;
  const height = 28;
  const period = periodFor(props.window);
  const slots = Math.max(1, Math.ceil((props.window.end - props.window.start) / period));
  const first = Math.floor(props.window.start / period) * period;
  const max = Math.max(0, ...props.series.Points.map((p) => p.Value));
  const barWidth = width / slots;
  return (
    <svg width={width} height={height} role="img" aria-label={`${props.series.MetricName} per ${period / 60} min: ${props.series.Points.map((p) => p.Value).join(', ') || 'no data'}`}>
      {props.series.Points.map((p) => {
        const h = max === 0 ? 0 : Math.max(1, (p.Value / max) * (height - 2));
        const x = ((p.Timestamp - first) / period) * barWidth;
        return <rect key={p.Timestamp} x={x} y={height - h} width={Math.max(1, barWidth - 1)} height={h} className="metric-bar" fill="#3b6fc4" />;
      })}
    </svg>
  );
}

/** The map's details for a function: its AWS/Lambda metrics and its handler's own (EMF) metrics, from CloudWatch. */
export function FunctionMetrics(props: { readonly api: XrayApi; readonly functionName: string; readonly window: Window }) {
  const { api, functionName, window } = props;
  const metrics = useLoader(JSON.stringify(['function-metrics', functionName, window]), async () => (await api.functionMetrics(functionName, window, periodFor(window))) ?? 'no-source');
  return (
    <section className="function-metrics" aria-label="CloudWatch metrics">
      <h3>CloudWatch metrics</h3>
      {metrics.error !== undefined && <p className="error">{metrics.error.message}</p>}
      {metrics.value === 'no-source' && <p className="muted">CloudWatch metrics come with the local cloud (npm start).</p>}
      {Array.isArray(metrics.value) && (
        <table className="stats">
          <tbody>
            {metrics.value.map((series) => (
              <tr key={`${series.Namespace} ${series.MetricName} ${JSON.stringify(series.Dimensions)}`} data-metric={`${series.Namespace}/${series.MetricName}`}>
                <th title={`${series.Namespace} ${Object.entries(series.Dimensions).map(([k, v]) => `${k}=${v}`).join(', ')} (${series.Stat})`}>
                  {series.MetricName}{series.Namespace !== 'AWS/Lambda' && <span className="muted"> {series.Namespace}</span>}
                </th>
                <td className="metric-total">{total(series)}</td>
                <td><Sparkline series={series} window={window} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
