import { useId, useState } from 'react';
import { useBarPointer } from '../shared/bar-pointer.ts';
import { StatusBars } from '../shared/status-bars.tsx';
import { formatClock, formatMinute } from '../shared/format.ts';
import type { TracePoint } from './trace-series.ts';
import { tracePointText, tracesText } from './trace-series.ts';

const WIDTH = 560;
const HEIGHT = 84;
const GUTTER = 36;
const AXIS = 16;

/**
 * Traces per period, stacked by status; periods the traces read do not cover are hatched, so an
 * empty bar there is not mistaken for a quiet period. Hovering (or the arrow keys) reads out one.
 */
export function TraceSeriesChart(props: { readonly points: readonly TracePoint[]; readonly label: string }) {
  const { points } = props;
  const [hover, setHover] = useState<number | undefined>(undefined);
  const pointer = useBarPointer({ count: points.length, width: WIDTH, gutter: GUTTER, hover, onHover: setHover });
  // Two charts on a page: each needs its own pattern id, and url(#...) takes no colons.
  const hatch = `unread${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const hovered = hover === undefined ? undefined : points[Math.min(hover, points.length - 1)];
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return null;
  const max = Math.max(1, ...points.map((point) => point.total));
  const scale = HEIGHT / max;
  const step = (WIDTH - GUTTER) / points.length;
  const barWidth = Math.max(1, step - (step > 4 ? 1.5 : 0));
  const clock = last.end - last.start < 60 ? formatClock : (seconds: number) => formatMinute(seconds);
  const totals = points.reduce((sum, point) => ({
    ok: sum.ok + point.ok, error: sum.error + point.error, throttle: sum.throttle + point.throttle, fault: sum.fault + point.fault, total: sum.total + point.total,
  }), { ok: 0, error: 0, throttle: 0, fault: 0, total: 0 });

  return (
    <figure className="trace-series">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-label={props.label} tabIndex={0} {...pointer}>
        <defs>
          <pattern id={hatch} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width={6} height={6} fill="#f3f4f7" />
            <rect width={2.5} height={6} fill="#dde1e8" />
          </pattern>
        </defs>
        <line className="grid" x1={GUTTER} x2={WIDTH} y1={0.5} y2={0.5} />
        <text className="tick" x={GUTTER - 4} y={9} textAnchor="end">{max}</text>
        <text className="tick" x={GUTTER - 4} y={HEIGHT} textAnchor="end">0</text>
        {points.map((point, index) => {
          const x = GUTTER + index * step;
          return (
            <g
              key={point.start}
              className={`period coverage-${point.coverage}`}
              data-start={point.start}
              data-total={point.total}
              data-ok={point.ok}
              data-error={point.error}
              data-throttle={point.throttle}
              data-fault={point.fault}
              data-coverage={point.coverage}
            >
              {point.coverage !== 'all' && <rect className="unread" x={x} y={0.5} width={barWidth} height={HEIGHT} fill={`url(#${hatch})`} />}
              <StatusBars counts={point} x={x} bottom={HEIGHT} width={barWidth} scale={scale} />
            </g>
          );
        })}
        {hover !== undefined && hover < points.length && <rect className="hover" x={GUTTER + hover * step} y={0.5} width={step} height={HEIGHT} />}
        <line className="axis" x1={GUTTER} x2={WIDTH} y1={HEIGHT + 0.5} y2={HEIGHT + 0.5} />
        <text className="tick" x={GUTTER} y={HEIGHT + 13}>{clock(first.start)}</text>
        <text className="tick" x={WIDTH} y={HEIGHT + 13} textAnchor="end">{clock(last.end)}</text>
      </svg>
      <figcaption className="readout" aria-live="polite">
        {hovered === undefined ? `Total: ${tracesText(totals)}` : tracePointText(hovered)}
      </figcaption>
    </figure>
  );
}
