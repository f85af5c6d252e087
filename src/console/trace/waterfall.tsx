import { formatSeconds } from '../shared/format.ts';
import { niceStep } from '../shared/bins.ts';
import type { Timeline, TimelineRow } from '../../common/trace-model/timeline.ts';

/** Segments and subsegments as bars to scale on the trace's own time axis, indented by depth. */
export function Waterfall(props: {
  readonly timeline: Timeline;
  readonly rows: readonly TimelineRow[];
  readonly selected: string | undefined;
  readonly collapsed: ReadonlySet<string>;
  readonly onSelect: (id: string) => void;
  readonly onToggle: (id: string) => void;
}) {
  const { timeline, rows } = props;
  const total = Math.max(timeline.end - timeline.start, 1e-6);
  const step = niceStep(total / 6);
  const ticks: number[] = [];
  for (let t = 0; t <= total + 1e-9; t += step) ticks.push(t);
  const percent = (seconds: number): string => `${(seconds / total) * 100}%`;

  return (
    <div className="waterfall" role="table" aria-label="Trace timeline">
      <div className="wf-head" role="row">
        <div className="wf-name" role="columnheader">Name</div>
        <div className="wf-duration" role="columnheader">Duration</div>
        <div className="wf-axis" role="columnheader">
          {ticks.map((tick, index) => (
            <span key={tick} className={index > 0 && tick / total > 0.9 ? 'tick last' : 'tick'} style={{ left: percent(tick) }}>{formatSeconds(tick)}</span>
          ))}
        </div>
      </div>
      {rows.map((row) => {
        const offset = row.start - timeline.start;
        const length = (row.end ?? timeline.end) - row.start;
        const open = !props.collapsed.has(row.id);
        return (
          <div
            key={row.id}
            role="row"
            className={`wf-row ${row.kind}${props.selected === row.id ? ' selected' : ''}`}
            data-row-id={row.id}
            data-status={row.status}
            tabIndex={0}
            onClick={() => props.onSelect(row.id)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') props.onSelect(row.id);
              else if (moveFocus(event.currentTarget, event.key)) event.preventDefault();
            }}
          >
            <div className="wf-name" role="cell" style={{ paddingLeft: 6 + Math.min(row.depth, 12) * 14 }} title={row.name}>
              {row.children.length > 0
                ? (
                    <button
                      type="button"
                      className="fold"
                      aria-label={open ? `Fold ${row.name}` : `Unfold ${row.name}`}
                      aria-expanded={open}
                      onClick={(event) => { event.stopPropagation(); props.onToggle(row.id); }}
                    >
                      {open ? '▾' : '▸'}
                    </button>
                  )
                : <span className="fold-space" />}
              <span className={`status-dot ${row.status}`} />
              <span className={row.kind === 'segment' ? 'segment-name' : undefined}>{row.name}</span>
              {row.origin !== undefined && <span className="origin">{row.origin}</span>}
            </div>
            <div className="wf-duration num" role="cell">{row.end === undefined ? 'in progress' : formatSeconds(row.end - row.start)}</div>
            <div className="wf-track" role="cell">
              <span
                className={`wf-bar ${row.status}${row.end === undefined ? ' in-progress' : ''}`}
                style={{ left: percent(offset), width: `max(2px, ${percent(Math.max(length, 0))})` }}
                title={`${row.name}: starts at +${formatSeconds(offset)}, ${row.end === undefined ? 'in progress' : `lasts ${formatSeconds(length)}`}`}
              />
            </div>
          </div>
        );
      })}
    </div>
  );
}

/**
 * Arrow up and down (Home and End) move the focus to the row above or below (the first, the last):
 * as in a grid, without a tab stop for each row on the way. False for any other key.
 */
function moveFocus(row: HTMLElement, key: string): boolean {
  const rows = [...(row.parentElement?.querySelectorAll<HTMLElement>(':scope > .wf-row') ?? [])];
  const index = rows.indexOf(row);
  const target = key === 'ArrowDown' ? rows[index + 1] : key === 'ArrowUp' ? rows[index - 1] : key === 'Home' ? rows[0] : key === 'End' ? rows[rows.length - 1] : undefined;
  if (target === undefined) return ['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(key);
  target.focus();
  target.scrollIntoView({ block: 'nearest' });
  return true;
}
