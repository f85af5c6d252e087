import { useState } from 'react';
import type { ReactNode } from 'react';
import type { Window, XrayApi } from '../api/client.ts';
import { useBarPointer } from '../shared/bar-pointer.ts';
import { StatusBars } from '../shared/status-bars.tsx';
import { formatMinute, formatSeconds } from '../shared/format.ts';
import { useLoader } from '../shared/use-loader.ts';
import type { SeriesPoint } from './time-series.ts';
import { buildSeries, choosePeriod, formatPeriod, healthText, pointText, seriesTotals } from './time-series.ts';

// The panel is about this wide, so one viewBox unit is about a pixel and the text stays legible.
const WIDTH = 352;
const GUTTER = 44;
const REQUESTS_HEIGHT = 72;
const TIMES_HEIGHT = 52;
const AXIS = 16;

/**
 * Requests (stacked by status) and average response time of the selection, per period of the
 * window, from GetTimeSeriesServiceStatistics. Hovering (or the arrow keys) reads out one period.
 */
export function OverTime(props: {
  readonly api: XrayApi;
  readonly window: Window;
  readonly selector: string | undefined;
  readonly group: string | undefined;
  /** An asynchronous link: X-Ray times no response across a queue, so there is no response-time chart. */
  readonly link?: boolean;
}) {
  const { api, window, selector, group } = props;
  const period = choosePeriod(window.end - window.start);
  const series = useLoader(JSON.stringify([selector, window, period, group]), async () =>
    (selector === undefined ? [] : buildSeries(await api.timeSeries(window, selector, period, group), window, period)));
  const [hover, setHover] = useState<number | undefined>(undefined);
  const points = series.value ?? [];
  // A refresh may shift the window by a period; the readout follows the same index.
  const hovered = hover === undefined ? undefined : points[Math.min(hover, points.length - 1)];

  if (selector === undefined) return null;
  return (
    <>
      <h3>Over time <span className="muted">per {formatPeriod(period)}</span></h3>
      {series.error !== undefined && <p className="error">{series.error.message}</p>}
      {series.value === undefined && series.error === undefined && <p className="muted">Loading…</p>}
      {points.length > 0 && (
        <figure className="over-time">
          <Chart label="Requests per period" height={REQUESTS_HEIGHT} points={points} hover={hover} onHover={setHover} top={String(maxOf(points, (p) => p.total))} axis={props.link === true}>
            {(point, x, width, scale) => (
              <g
                key={point.start}
                className="period"
                data-start={point.start}
                data-total={point.total}
                data-ok={point.ok}
                data-error={point.error}
                data-throttle={point.throttle}
                data-fault={point.fault}
              >
                <StatusBars counts={point} x={x} bottom={REQUESTS_HEIGHT} width={width} scale={scale} />
              </g>
            )}
          </Chart>
          {props.link !== true && <Chart
            label="Average response time per period"
            height={TIMES_HEIGHT}
            points={points}
            hover={hover}
            onHover={setHover}
            value={(point) => point.averageResponseTime ?? 0}
            top={formatSeconds(maxOf(points, (p) => p.averageResponseTime ?? 0))}
            axis
          >
            {(point, x, width, scale) => {
              const height = (point.averageResponseTime ?? 0) * scale;
              return (
                <g key={point.start} className="period" data-start={point.start} data-average={point.averageResponseTime ?? ''}>
                  {height > 0 && <rect className="time-bar" x={x} y={TIMES_HEIGHT - height} width={width} height={height} />}
                </g>
              );
            }}
          </Chart>}
          <figcaption className="readout" aria-live="polite">
            {hovered === undefined ? `Total: ${healthText(seriesTotals(points))}` : pointText(hovered)}
          </figcaption>
        </figure>
      )}
    </>
  );
}

function maxOf(points: readonly SeriesPoint[], value: (point: SeriesPoint) => number): number {
  return Math.max(0, ...points.map(value));
}

/** One chart: a column per period, the hovered one shaded; `children` draws a column's bars. */
function Chart(props: {
  readonly label: string;
  readonly height: number;
  readonly points: readonly SeriesPoint[];
  readonly hover: number | undefined;
  readonly onHover: (index: number | undefined) => void;
  /** What the bars' heights measure. @default the request count */
  readonly value?: (point: SeriesPoint) => number;
  /** The label at the top of the scale. */
  readonly top: string;
  /** Times under the chart. */
  readonly axis?: boolean;
  readonly children: (point: SeriesPoint, x: number, width: number, scale: number) => ReactNode;
}) {
  const { points, height, hover, onHover } = props;
  const pointer = useBarPointer({ count: points.length, width: WIDTH, gutter: GUTTER, hover, onHover });
  const value = props.value ?? ((point: SeriesPoint) => point.total);
  const max = maxOf(points, value);
  const scale = max > 0 ? height / max : 0;
  const step = (WIDTH - GUTTER) / points.length;
  const barWidth = Math.max(1, step - (step > 4 ? 1.5 : 0));
  const first = points[0];
  const last = points[points.length - 1];

  return (
    <svg viewBox={`0 0 ${WIDTH} ${height + (props.axis === true ? AXIS : 2)}`} role="img" aria-label={props.label} tabIndex={0} {...pointer}>
      <line className="grid" x1={GUTTER} x2={WIDTH} y1={0.5} y2={0.5} />
      <text className="tick" x={GUTTER - 4} y={9} textAnchor="end">{props.top}</text>
      <text className="tick" x={GUTTER - 4} y={height} textAnchor="end">0</text>
      {points.map((point, index) => props.children(point, GUTTER + index * step, barWidth, scale))}
      {/* Over the bars, so that it shows on a period that fills the chart too. */}
      {hover !== undefined && hover < points.length && <rect className="hover" x={GUTTER + hover * step} y={0.5} width={step} height={height} />}
      <line className="axis" x1={GUTTER} x2={WIDTH} y1={height + 0.5} y2={height + 0.5} />
      {props.axis === true && first !== undefined && last !== undefined && (
        <>
          <text className="tick" x={GUTTER} y={height + 13}>{formatMinute(first.start)}</text>
          <text className="tick" x={WIDTH} y={height + 13} textAnchor="end">{formatMinute(last.end)}</text>
        </>
      )}
    </svg>
  );
}
