import type { Health } from './graph-model.ts';
import { STATUS_COLOURS, STATUS_ORDER } from '../shared/status-colours.ts';

/** A ring split by the shares of ok, error, throttle and fault requests, clockwise from the top. */
export function HealthRing(props: { readonly health: Health; readonly cx: number; readonly cy: number; readonly r: number; readonly width?: number }) {
  const { health, cx, cy, r } = props;
  const width = props.width ?? 6;
  const circumference = 2 * Math.PI * r;
  const total = STATUS_ORDER.reduce((sum, status) => sum + health[status], 0);
  if (total === 0) return <circle cx={cx} cy={cy} r={r} className="ring-empty" strokeWidth={width} fill="none" />;
  let offset = 0;
  return (
    <g transform={`rotate(-90 ${cx} ${cy})`}>
      {STATUS_ORDER.map((status) => {
        const length = (health[status] / total) * circumference;
        const arc = length === 0 ? null : (
          <circle
            key={status}
            data-status={status}
            cx={cx}
            cy={cy}
            r={r}
            fill="none"
            stroke={STATUS_COLOURS[status]}
            strokeWidth={width}
            strokeDasharray={`${length} ${circumference - length}`}
            strokeDashoffset={-offset}
          />
        );
        offset += length;
        return arc;
      })}
    </g>
  );
}
