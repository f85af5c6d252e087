import { STATUS_COLOURS, STATUS_ORDER } from './status-colours.ts';

export type StatusCounts = Readonly<Record<(typeof STATUS_ORDER)[number], number>>;

/** One period's counts as bars stacked up from `bottom` in status order, `scale` pixels a count. */
export function StatusBars(props: { readonly counts: StatusCounts; readonly x: number; readonly bottom: number; readonly width: number; readonly scale: number }) {
  let y = props.bottom;
  return (
    <>
      {STATUS_ORDER.map((status) => {
        const height = props.counts[status] * props.scale;
        y -= height;
        return height > 0 ? <rect key={status} x={props.x} y={y} width={props.width} height={height} fill={STATUS_COLOURS[status]} /> : null;
      })}
    </>
  );
}
