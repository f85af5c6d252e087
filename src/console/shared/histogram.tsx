import { useRef, useState } from 'react';
import type { Bin } from './bins.ts';
import { formatSeconds } from './format.ts';

const DEFAULT_WIDTH = 560;
const HEIGHT = 80;
const AXIS = 18;

/**
 * Response-time histogram as bars. With `onSelect`, dragging across it picks a range of seconds
 * (snapped to bin edges), e.g. to add a `responsetime` filter. `width` is the viewBox's: about the
 * width it is shown at keeps its text the size it is meant to be.
 */
export function Histogram(props: {
  readonly bins: readonly Bin[];
  readonly onSelect?: (from: number, to: number) => void;
  readonly label?: string;
  readonly width?: number;
}) {
  const { bins, onSelect } = props;
  const width = props.width ?? DEFAULT_WIDTH;
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | undefined>(undefined);
  if (bins.length === 0) return <p className="muted">No requests in this range.</p>;
  const max = Math.max(...bins.map((bin) => bin.count), 1);
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
          const height = (bin.count / max) * HEIGHT;
          return (
            <rect
              key={index}
              className={index >= low && index <= high ? 'bar chosen' : 'bar'}
              x={index * barWidth + 1}
              y={HEIGHT - height}
              width={Math.max(1, barWidth - 2)}
              height={height}
            >
              <title>{`${formatSeconds(bin.from)} – ${formatSeconds(bin.to)}: ${bin.count}`}</title>
            </rect>
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
