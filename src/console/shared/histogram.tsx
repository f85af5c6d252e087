import { useRef, useState } from 'react';
import type { Bin } from './bins.ts';
import { formatPercent, formatSeconds } from './format.ts';

const DEFAULT_WIDTH = 560;
const HEIGHT = 80;
const AXIS = 18;

/**
 * Response-time histogram as bars. With `onSelect`, dragging across it picks a range of seconds
 * (snapped to bin edges), e.g. to add a `responsetime` filter. `width` is the viewBox's: about the
 * width it is shown at keeps its text the size it is meant to be.
 *
 * With `second` (the same bins of a second set, see binSets), each bin has a bar per set, and a
 * bar's height is its share of its own set: sets of different sizes compare by shape.
 */
export function Histogram(props: {
  readonly bins: readonly Bin[];
  readonly second?: readonly Bin[];
  readonly onSelect?: (from: number, to: number) => void;
  readonly label?: string;
  readonly width?: number;
  /** What to say when there are no bins (default: no requests in the range). */
  readonly empty?: string;
}) {
  const { bins, onSelect, second } = props;
  const width = props.width ?? DEFAULT_WIDTH;
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | undefined>(undefined);
  if (bins.length === 0) return <p className="muted" data-empty="histogram">{props.empty ?? 'No requests in this range.'}</p>;
  const totalA = sum(bins);
  const totalB = second === undefined ? 0 : sum(second);
  const heightOf = (bin: Bin, set: 'a' | 'b'): number => (second === undefined ? bin.count : share(bin.count, set === 'a' ? totalA : totalB));
  const max = Math.max(...bins.map((bin) => heightOf(bin, 'a')), ...(second ?? []).map((bin) => heightOf(bin, 'b'))) || 1;
  const barWidth = width / bins.length;
  const last = bins[bins.length - 1] as Bin;

  const indexAt = (clientX: number): number => {
    const box = svg.current?.getBoundingClientRect();
    if (box === undefined || box.width === 0) return 0;
    const x = ((clientX - box.left) / box.width) * width;
    return Math.max(0, Math.min(bins.length - 1, Math.floor(x / barWidth)));
  };
  const low = drag === undefined ? -1 : Math.min(drag.start, drag.end);
  const high = drag === undefined ? -1 : Math.max(drag.start, drag.end);

  return (
    <figure className="histogram">
      <svg
        ref={svg}
        viewBox={`0 0 ${width} ${HEIGHT + AXIS}`}
        role="img"
        aria-label={props.label ?? 'Response time distribution'}
        className={onSelect === undefined ? undefined : 'selectable'}
        onPointerDown={onSelect === undefined ? undefined : (event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const index = indexAt(event.clientX);
          setDrag({ start: index, end: index });
        }}
        onPointerMove={(event) => { if (drag !== undefined) setDrag({ start: drag.start, end: indexAt(event.clientX) }); }}
        onPointerUp={() => {
          if (drag === undefined || onSelect === undefined) return;
          const from = bins[low]?.from ?? 0;
          const to = bins[high]?.to ?? last.to;
          setDrag(undefined);
          onSelect(from, to);
        }}
      >
        {bins.map((bin, index) => {
          const chosen = index >= low && index <= high ? ' chosen' : '';
          const range = `${formatSeconds(bin.from)} – ${formatSeconds(bin.to)}`;
          const other = second?.[index];
          if (second === undefined || other === undefined) {
            const height = (bin.count / max) * HEIGHT;
            return (
              <rect key={index} className={`bar${chosen}`} x={index * barWidth + 1} y={HEIGHT - height} width={Math.max(1, barWidth - 2)} height={height} data-count={bin.count}>
                <title>{`${range}: ${bin.count}`}</title>
              </rect>
            );
          }
          const half = Math.max(0.5, (barWidth - 2) / 2);
          const title = `${range}: A ${bin.count} (${formatPercent(bin.count, totalA)}), B ${other.count} (${formatPercent(other.count, totalB)})`;
          return (
            <g key={index}>
              {([['a', bin], ['b', other]] as const).map(([set, entry], at) => {
                const height = (heightOf(entry, set) / max) * HEIGHT;
                return (
                  <rect key={set} className={`bar set-${set}${chosen}`} x={index * barWidth + 1 + at * half} y={HEIGHT - height} width={half} height={height} data-set={set} data-count={entry.count}>
                    <title>{title}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        <line x1={0} x2={width} y1={HEIGHT + 0.5} y2={HEIGHT + 0.5} className="axis" />
        <text x={0} y={HEIGHT + 14} className="tick">0</text>
        <text x={width / 2} y={HEIGHT + 14} className="tick" textAnchor="middle">{formatSeconds(last.to / 2)}</text>
        <text x={width} y={HEIGHT + 14} className="tick" textAnchor="end">{formatSeconds(last.to)}</text>
      </svg>
      {onSelect !== undefined && <figcaption className="muted">Drag across the bars to filter by response time.</figcaption>}
    </figure>
  );
}

function sum(bins: readonly Bin[]): number {
  return bins.reduce((total, bin) => total + bin.count, 0);
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}
