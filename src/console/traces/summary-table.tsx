import { useLayoutEffect, useRef, useState } from 'react';
import { formatSeconds, formatTime } from '../shared/format.ts';
import type { SortKey, SortOrder } from './sort.ts';
import { rootCauseDetails, rootCauseLabel, rootCauseOf } from './root-cause.ts';
import { annotationText } from './sort.ts';
import { rootResponseText, statusOf } from './status.ts';
import type { SortedSummaries } from './use-sorted.ts';
import { visibleRows } from './visible-rows.ts';

/** Every row is this tall (cells do not wrap), so which rows are in view follows from the scroll offset. */
export const ROW_PX = 31;
/** The header row's height (styles.css), above the rows in the sizer. */
const HEADER_PX = 34;

const COLUMNS: ReadonlyArray<{ readonly key: SortKey; readonly label: string }> = [
  { key: 'time', label: 'Time' },
  { key: 'id', label: 'Trace ID' },
  { key: 'responseTime', label: 'Response time' },
  { key: 'duration', label: 'Duration' },
  { key: 'status', label: 'Status' },
  { key: 'rootCause', label: 'Root cause' },
  { key: 'method', label: 'Method' },
  { key: 'url', label: 'URL' },
  { key: 'annotations', label: 'Annotations' },
];

/**
 * The list as a table that renders only the rows in view (visible-rows.ts), inside its own scrolled
 * box: the header stays, and the table sits at its first row's place in a box as tall as the list.
 */
export function SummaryTable(props: {
  readonly rows: SortedSummaries;
  readonly sort: SortOrder;
  readonly onSort: (sort: SortOrder) => void;
  readonly onOpen: (traceId: string) => void;
}) {
  const { sort, rows } = props;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ topPx: 0, heightPx: 600 });
  useLayoutEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    let frame = 0;
    const measure = (): void => {
      frame = 0;
      setView((previous) => (previous.topPx === element.scrollTop && previous.heightPx === element.clientHeight
        ? previous : { topPx: element.scrollTop, heightPx: element.clientHeight }));
    };
    // One update a frame, however many scroll events arrive in it.
    const onScroll = (): void => { if (frame === 0) frame = requestAnimationFrame(measure); };
    measure();
    element.addEventListener('scroll', onScroll, { passive: true });
    // The box grows from a header's height to its full height as the first rows arrive.
    const resized = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(onScroll);
    resized?.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resized?.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, []);
  const shown = visibleRows(rows.count, ROW_PX, view.topPx, view.heightPx);
  const indexes = Array.from({ length: shown.to - shown.from }, (_, i) => shown.from + i);
  return (
    <div className="table-scroll summaries-scroll" ref={box} data-row-count={rows.count} aria-busy={rows.sorting}>
      {/* The sizer is as tall as every row: the scroll bar measures the list, and only the small table
          placed in it is laid out again as the box scrolls (spacer rows millions of pixels tall made
          each frame's layout grow with the list). */}
      <div className="summaries-sizer" style={{ height: HEADER_PX + rows.count * ROW_PX }}>
      <table className="summaries" aria-rowcount={rows.count + 1} style={{ top: shown.topPx }}>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" onClick={() => props.onSort({ key: column.key, descending: sort.key === column.key ? !sort.descending : column.key === 'time' })}>
                  {column.label}{sort.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {indexes.map((index) => {
            const summary = rows.row(index);
            const status = statusOf(summary);
            const http = summary.Http;
            const cause = rootCauseOf(summary);
            return (
              <tr key={summary.Id} data-trace-id={summary.Id} aria-rowindex={index + 2} onClick={() => props.onOpen(summary.Id)}>
                <td className="nowrap" title={formatTime(summary.StartTime)}>{formatTime(summary.StartTime)}</td>
                <td className="mono"><a href={`#/trace/${encodeURIComponent(summary.Id)}`} onClick={(event) => event.stopPropagation()}>{summary.Id}</a></td>
                <td className="num">{formatSeconds(summary.ResponseTime)}</td>
                <td className="num">{formatSeconds(summary.Duration)}</td>
                <td className="status">
                  <span className={`badge ${status}`} title={`trace status: the worst of its segments (${status})`}>{status}</span>
                  {' '}<span className="root-response muted" title={rootResponseText(summary)}>{http?.HttpStatus ?? '-'}</span>
                  {summary.IsPartial === true ? <span className="muted"> partial</span> : null}
                </td>
                <td className="root-cause" title={rootCauseDetails(summary)}>
                  {cause !== undefined && <><span className={`status-dot ${cause.kind}`} /> {rootCauseLabel(cause)}</>}
                </td>
                <td>{http?.HttpMethod ?? ''}</td>
                <td className="url" title={http?.HttpURL}>{http?.HttpURL ?? ''}</td>
                <td className="annotations" title={annotationText(summary)}>{annotationText(summary)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
    </div>
  );
}
