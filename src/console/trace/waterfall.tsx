import { Fragment, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
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
  /** A line to show under a row (e.g. where its message was consumed). */
  readonly notes?: ReadonlyMap<string, ReactNode>;
}) {
  const { timeline, rows } = props;
  const total = Math.max(timeline.end - timeline.start, 1e-6);
  const [nameWidth, setNameWidth] = useState(DEFAULT_NAME_WIDTH);
  const axis = useRef<HTMLDivElement>(null);
  const axisWidth = useElementWidth(axis);
  // As many ticks as their labels fit side by side: none overlaps however narrow the axis.
  const step = niceStep(total / Math.max(1, Math.min(6, Math.floor(axisWidth / TICK_SPACING))));
  const ticks: number[] = [];
  for (let t = 0; t <= total + 1e-9; t += step) ticks.push(t);
  const percent = (seconds: number): string => `${(seconds / total) * 100}%`;

  return (
    <div className="waterfall" role="table" aria-label="Trace timeline" style={{ ['--wf-name' as string]: `${nameWidth}px` }}>
      <div className="wf-head" role="row">
        <div className="wf-name" role="columnheader">
          Name
          <ColumnResizer width={nameWidth} onWidth={setNameWidth} />
        </div>
        <div className="wf-duration" role="columnheader">Duration</div>
        <div className="wf-axis" role="columnheader" ref={axis}>
          {ticks.map((tick, index) => (
            <span key={tick} className={index > 0 && tick / total > 0.9 ? 'tick last' : 'tick'} style={{ left: percent(tick) }}>{formatSeconds(tick)}</span>
          ))}
        </div>
      </div>
      {rows.map((row) => {
        const offset = row.start - timeline.start;
        const length = (row.end ?? timeline.end) - row.start;
        const open = !props.collapsed.has(row.id);
        const note = props.notes?.get(row.id);
        return (
          <Fragment key={row.id}>
          <div
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
            <div className="wf-name" role="cell" style={{ paddingLeft: 6 + Math.min(row.depth, 12) * 14 }} title={row.origin === undefined ? row.name : `${row.name} (${row.origin})`}>
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
          {note !== undefined && <div className="wf-note" role="row" data-note-for={row.id}><div role="cell" style={{ paddingLeft: 28 + Math.min(row.depth, 12) * 14 }}>{note}</div></div>}
          </Fragment>
        );
      })}
    </div>
  );
}

const DEFAULT_NAME_WIDTH = 300;
const MIN_NAME_WIDTH = 140;
const MAX_NAME_WIDTH = 900;
/** Pixels a tick label needs ("1.50 s" and a gap). */
const TICK_SPACING = 72;
const KEY_STEP = 20;

/** The element's width in pixels, kept up to date as it resizes. */
function useElementWidth(ref: { readonly current: HTMLElement | null }): number {
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return undefined;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** A handle on the name column's edge: drag it, or focus it and use the arrow keys. */
function ColumnResizer(props: { readonly width: number; readonly onWidth: (width: number) => void }) {
  const clamp = (width: number): number => Math.max(MIN_NAME_WIDTH, Math.min(MAX_NAME_WIDTH, Math.round(width)));
  return (
    <span
      className="wf-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the name column"
      aria-valuenow={props.width}
      aria-valuemin={MIN_NAME_WIDTH}
      aria-valuemax={MAX_NAME_WIDTH}
      tabIndex={0}
      onPointerDown={(event) => {
        event.preventDefault();
        const startX = event.clientX;
        const startWidth = props.width;
        const target = event.currentTarget;
        target.setPointerCapture(event.pointerId);
        const move = (moved: PointerEvent): void => props.onWidth(clamp(startWidth + moved.clientX - startX));
        const up = (): void => {
          target.removeEventListener('pointermove', move);
          target.removeEventListener('pointerup', up);
        };
        target.addEventListener('pointermove', move);
        target.addEventListener('pointerup', up);
      }}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') props.onWidth(clamp(props.width - KEY_STEP));
        else if (event.key === 'ArrowRight') props.onWidth(clamp(props.width + KEY_STEP));
        else return;
        event.preventDefault();
      }}
    />
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
